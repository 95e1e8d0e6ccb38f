package tapnet.link;

import java.time.Duration;
import java.util.Objects;

/**
 * What one direction of an emulated link does to frames: the settings of tc-netem(8), with its names
 * where the idea is the same, plus an MTU and an up/down switch. Immutable; change a setting with a
 * {@code with...} method and hand the result to {@link LinkDirection#set}. Every constructor checks its
 * ranges and says what is wrong and what is expected.
 *
 * <p>Probabilities and correlations are fractions from 0 to 1 (netem's percent divided by 100).
 * {@link #NONE} is a perfect link: no delay, no loss, no limit.
 *
 * @param down      drops every frame (the cable is pulled)
 * @param mtu       the largest IP packet the link carries, in bytes, the Ethernet header not counted
 *                  (as {@code ip link set mtu}); larger frames are dropped with
 *                  {@link LinkDropReason#TOO_BIG}. {@link #NO_MTU} (0) for no limit
 * @param delay     netem's {@code delay TIME [JITTER [CORRELATION]]} and {@code distribution}
 * @param loss      netem's {@code loss random}, {@code loss gemodel} or {@code loss state}
 * @param duplicate netem's {@code duplicate PERCENT [CORRELATION]}
 * @param reorder   netem's {@code reorder PERCENT [CORRELATION] [gap DISTANCE]}
 * @param corrupt   netem's {@code corrupt PERCENT [CORRELATION]}
 * @param rate      netem's {@code rate RATE [PACKETOVERHEAD [CELLSIZE [CELLOVERHEAD]]]} and {@code limit},
 *                  with a limit in bytes too
 * @param slot      netem's {@code slot MIN [MAX] [packets N] [bytes N]}: frames leave in bursts
 */
public record Impairments(boolean down, int mtu, Delay delay, LossModel loss, Chance duplicate, Reorder reorder,
                          Chance corrupt, Rate rate, Slot slot) {

    /** Without slots: what links were before slots came. */
    public Impairments(boolean down, int mtu, Delay delay, LossModel loss, Chance duplicate, Reorder reorder,
                       Chance corrupt, Rate rate) {
        this(down, mtu, delay, loss, duplicate, reorder, corrupt, rate, Slot.NONE);
    }

    /** {@link #mtu} for a link that carries frames of any size. */
    public static final int NO_MTU = 0;
    /** RFC 791: every IPv4 host must take packets of 68 bytes unfragmented; no link is smaller. */
    public static final int MIN_MTU = 68;
    public static final int MAX_MTU = 65_535;
    /**
     * Delays and jitters beyond an hour are surely a mistake in units; the cap also keeps sums of
     * nanoseconds far from overflow.
     */
    public static final Duration MAX_DELAY = Duration.ofHours(1);

    /** A perfect link. */
    public static final Impairments NONE = new Impairments(false, NO_MTU, Delay.NONE, LossModel.NONE, Chance.NEVER,
            Reorder.NONE, Chance.NEVER, Rate.UNLIMITED, Slot.NONE);

    public Impairments {
        if (mtu != NO_MTU && (mtu < MIN_MTU || mtu > MAX_MTU)) {
            throw new IllegalArgumentException("mtu " + mtu + " is out of range; expected " + MIN_MTU + " to "
                    + MAX_MTU + " bytes, or " + NO_MTU + " for no limit");
        }
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(duplicate, "duplicate");
        Objects.requireNonNull(reorder, "reorder");
        Objects.requireNonNull(corrupt, "corrupt");
        Objects.requireNonNull(rate, "rate");
        Objects.requireNonNull(slot, "slot");
    }

    /** netem's {@code slot}: frames leave only when a slot opens, each slot carrying a bounded burst. */
    public Impairments withSlot(Slot value) {
        return new Impairments(down, mtu, delay, loss, duplicate, reorder, corrupt, rate, value);
    }

    public Impairments withDown(boolean value) {
        return new Impairments(value, mtu, delay, loss, duplicate, reorder, corrupt, rate, slot);
    }

    public Impairments withMtu(int value) {
        return new Impairments(down, value, delay, loss, duplicate, reorder, corrupt, rate, slot);
    }

    /** netem's {@code delay TIME}, keeping the jitter, correlation and distribution. */
    public Impairments withDelay(Duration value) {
        return withDelay(new Delay(value, delay.jitter, delay.correlation, delay.distribution));
    }

    /** netem's {@code delay TIME JITTER}, keeping the correlation and distribution. */
    public Impairments withDelay(Duration value, Duration jitter) {
        return withDelay(new Delay(value, jitter, delay.correlation, delay.distribution));
    }

    /** netem's {@code delay TIME JITTER CORRELATION}, keeping the distribution. */
    public Impairments withDelay(Duration value, Duration jitter, double correlation) {
        return withDelay(new Delay(value, jitter, correlation, delay.distribution));
    }

    /** netem's {@code distribution}, keeping delay, jitter and correlation. */
    public Impairments withDistribution(DelayDistribution value) {
        return withDelay(new Delay(delay.delay, delay.jitter, delay.correlation, value));
    }

    public Impairments withDelay(Delay value) {
        return new Impairments(down, mtu, value, loss, duplicate, reorder, corrupt, rate, slot);
    }

    /** netem's {@code loss random PERCENT}. */
    public Impairments withLoss(double probability) {
        return withLoss(LossModel.random(probability));
    }

    /** netem's {@code loss random PERCENT CORRELATION}. */
    public Impairments withLoss(double probability, double correlation) {
        return withLoss(LossModel.random(probability, correlation));
    }

    public Impairments withLoss(LossModel value) {
        return new Impairments(down, mtu, delay, value, duplicate, reorder, corrupt, rate, slot);
    }

    /** netem's {@code duplicate PERCENT}. */
    public Impairments withDuplicate(double probability) {
        return withDuplicate(probability, 0);
    }

    /** netem's {@code duplicate PERCENT CORRELATION}. */
    public Impairments withDuplicate(double probability, double correlation) {
        return new Impairments(down, mtu, delay, loss, chance("duplicate", probability, correlation), reorder, corrupt,
                rate, slot);
    }

    /** netem's {@code reorder PERCENT}: that share of frames skips the delay (gap 1). */
    public Impairments withReorder(double probability) {
        return withReorder(new Reorder(probability, 0, 1));
    }

    /** netem's {@code reorder PERCENT CORRELATION gap DISTANCE}. */
    public Impairments withReorder(double probability, double correlation, int gap) {
        return withReorder(new Reorder(probability, correlation, gap));
    }

    public Impairments withReorder(Reorder value) {
        return new Impairments(down, mtu, delay, loss, duplicate, value, corrupt, rate, slot);
    }

    /** netem's {@code corrupt PERCENT}. */
    public Impairments withCorrupt(double probability) {
        return withCorrupt(probability, 0);
    }

    /** netem's {@code corrupt PERCENT CORRELATION}. */
    public Impairments withCorrupt(double probability, double correlation) {
        return new Impairments(down, mtu, delay, loss, duplicate, reorder, chance("corrupt", probability, correlation),
                rate, slot);
    }

    /** netem's {@code rate RATE}, keeping overheads and queue limits; 0 for no limit. */
    public Impairments withRate(long bitsPerSecond) {
        return withRate(new Rate(bitsPerSecond, rate.packetOverhead, rate.cellSize, rate.cellOverhead, rate.limit,
                rate.limitBytes));
    }

    /** netem's {@code rate RATE PACKETOVERHEAD}, keeping the cell settings and queue limits. */
    public Impairments withRate(long bitsPerSecond, int packetOverhead) {
        return withRate(new Rate(bitsPerSecond, packetOverhead, rate.cellSize, rate.cellOverhead, rate.limit,
                rate.limitBytes));
    }

    /** The rate limiter's queue: at most {@code packets} frames and, unless 0, {@code bytes} bytes. */
    public Impairments withQueueLimit(int packets, long bytes) {
        return withRate(new Rate(rate.bitsPerSecond, rate.packetOverhead, rate.cellSize, rate.cellOverhead, packets,
                bytes));
    }

    public Impairments withRate(Rate value) {
        return new Impairments(down, mtu, delay, loss, duplicate, reorder, corrupt, value, slot);
    }

    /** A {@link Chance}, checked under its netem name so that the message says which setting is wrong. */
    private static Chance chance(String name, double probability, double correlation) {
        requireProbability(name, probability);
        requireProbability(name + " correlation", correlation);
        return new Chance(probability, correlation);
    }

    static void requireProbability(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " " + value
                    + " is out of range; expected a probability from 0 to 1 (0.25 for 25%)");
        }
    }

    private static void requireDuration(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException(name + " " + value + " is out of range; expected 0 to " + MAX_DELAY);
        }
    }

    /**
     * netem's {@code delay TIME JITTER CORRELATION} and {@code distribution}: each frame is held for
     * {@code delay} plus a variation of up to a few {@code jitter}s drawn from {@code distribution}
     * (see {@link DelayDistribution} for each one's exact spread), the draws correlated as
     * {@link CorrelatedUniform} describes. Without jitter every frame gets exactly {@code delay}.
     */
    public record Delay(Duration delay, Duration jitter, double correlation, DelayDistribution distribution) {
        public static final Delay NONE = new Delay(Duration.ZERO, Duration.ZERO, 0, DelayDistribution.UNIFORM);

        public Delay {
            requireDuration("delay", delay);
            requireDuration("jitter", jitter);
            requireProbability("delay correlation", correlation);
            Objects.requireNonNull(distribution, "distribution");
        }
    }

    /** A netem percentage with its correlation: {@code duplicate} and {@code corrupt}. */
    public record Chance(double probability, double correlation) {
        public static final Chance NEVER = new Chance(0, 0);

        public Chance {
            requireProbability("probability", probability);
            requireProbability("correlation", correlation);
        }
    }

    /**
     * netem's {@code reorder PERCENT CORRELATION gap DISTANCE}, as {@code netem_enqueue} implements it:
     * the first {@code gap - 1} frames are delayed; after them each frame is sent at once (skipping the
     * delay and the rate limiter's queue) with probability {@code probability}, or delayed otherwise;
     * after a frame is sent at once the count starts over. With {@code gap} 5 and probability 1, every 5th
     * frame overtakes the 4 before it. With gap 1 (what iproute2 sets when no gap is given) each frame is
     * sent at once with the probability. Reordering shows only when there is a delay to skip.
     */
    public record Reorder(double probability, double correlation, int gap) {
        public static final Reorder NONE = new Reorder(0, 0, 0);

        public Reorder {
            requireProbability("reorder", probability);
            requireProbability("reorder correlation", correlation);
            if (gap < 0) {
                throw new IllegalArgumentException("reorder gap " + gap + " is negative; expected 1 or more");
            }
            if (probability == 0 && gap > 0) {
                throw new IllegalArgumentException("reorder gap " + gap + " has no reorder probability; expected"
                        + " one above 0 (1 sends every " + ordinal(gap) + " frame at once), as tc refuses a gap without it");
            }
            if (probability > 0 && gap == 0) {
                gap = 1;
            }
        }

        private static String ordinal(int n) {
            return n + (n % 100 >= 11 && n % 100 <= 13 ? "th" : switch (n % 10) {
                case 1 -> "st";
                case 2 -> "nd";
                case 3 -> "rd";
                default -> "th";
            });
        }
    }

    /**
     * netem's {@code rate RATE PACKETOVERHEAD CELLSIZE CELLOVERHEAD} and {@code limit}: the link sends
     * {@code bitsPerSecond}; a frame takes {@code (length + packetOverhead)·8/bitsPerSecond} to send,
     * behind the frames before it. With cells (ATM: 48 and 5) the length after the overhead is rounded up
     * to whole cells of {@code cellSize + cellOverhead} bytes, as {@code packet_time_ns} does.
     * {@code packetOverhead} may be negative (−14 leaves out the Ethernet header); 24 adds Ethernet's
     * preamble, frame check sequence and inter-frame gap.
     *
     * <p>Frames waiting to be sent, and the one being sent, are the queue: at most {@code limit} frames
     * and, unless {@code limitBytes} is 0, at most that many bytes (frame lengths, without overheads).
     * A frame that does not fit is dropped (tail drop, {@link LinkDropReason#QUEUE_FULL}). Unlike netem,
     * whose {@code limit} counts the frames in its delay line too, tapnet counts only frames waiting for
     * the rate limiter: frames already sent and still travelling the delay are not held back by it. With
     * {@code bitsPerSecond} 0 (no rate limit) there is no queue.
     */
    public record Rate(long bitsPerSecond, int packetOverhead, int cellSize, int cellOverhead, int limit,
                       long limitBytes) {
        /** netem's default {@code limit}, in frames. */
        public static final int DEFAULT_LIMIT = 1000;
        /** 10 Tbit/s: more is surely a mistake in units. */
        public static final long MAX_BITS_PER_SECOND = 10_000_000_000_000L;
        public static final int MAX_OVERHEAD = 65_535;
        public static final int MAX_CELL_OVERHEAD = 1024;
        public static final int MAX_LIMIT = 1 << 24;
        public static final Rate UNLIMITED = new Rate(0, 0, 0, 0, DEFAULT_LIMIT, 0);

        public Rate {
            if (bitsPerSecond < 0 || bitsPerSecond > MAX_BITS_PER_SECOND) {
                throw new IllegalArgumentException("rate " + bitsPerSecond + " bit/s is out of range; expected 0 (no limit)"
                        + " to " + MAX_BITS_PER_SECOND + " bit/s");
            }
            if (packetOverhead < -MAX_OVERHEAD || packetOverhead > MAX_OVERHEAD) {
                throw new IllegalArgumentException("packet overhead " + packetOverhead + " is out of range; expected "
                        + -MAX_OVERHEAD + " to " + MAX_OVERHEAD + " bytes");
            }
            if (cellSize < 0 || cellSize > MAX_OVERHEAD) {
                throw new IllegalArgumentException("cell size " + cellSize + " is out of range; expected 0 (no cells) to "
                        + MAX_OVERHEAD + " bytes");
            }
            if (cellSize > 0 && (cellOverhead <= -cellSize || cellOverhead > MAX_CELL_OVERHEAD)) {
                throw new IllegalArgumentException("cell overhead " + cellOverhead + " is out of range; expected "
                        + (1 - cellSize) + " to " + MAX_CELL_OVERHEAD + " bytes for cells of " + cellSize + " bytes");
            }
            if (cellSize == 0 && cellOverhead != 0) {
                throw new IllegalArgumentException("cell overhead " + cellOverhead + " without a cell size; expected a"
                        + " cell size above 0, or no cell overhead");
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit " + limit + " is out of range; expected 1 to " + MAX_LIMIT
                        + " frames");
            }
            if (limitBytes < 0) {
                throw new IllegalArgumentException("limit " + limitBytes + " bytes is negative; expected 0 (no byte limit)"
                        + " or more");
            }
        }

        /** A rate with no overhead and netem's default queue of 1000 frames. */
        public static Rate of(long bitsPerSecond) {
            return new Rate(bitsPerSecond, 0, 0, 0, DEFAULT_LIMIT, 0);
        }

        public boolean limited() {
            return bitsPerSecond > 0;
        }
    }

    /**
     * netem's {@code slot MIN_DELAY [MAX_DELAY] [packets N] [bytes N]}: the link delivers in slots, as WiFi
     * aggregation or DOCSIS grants do. A slot opens, carries frames as they fall due until it has carried
     * {@code packets} frames or {@code bytes} bytes, and the next one opens a time drawn uniformly from
     * {@code min} to {@code max} later; frames due meanwhile wait for it. At least one of the budgets must
     * be set: a slot without one would never close. {@link #NONE}: no slots.
     */
    public record Slot(Duration min, Duration max, int packets, long bytes) {
        public static final Slot NONE = new Slot(Duration.ZERO, Duration.ZERO, 0, 0);

        public Slot {
            Objects.requireNonNull(min, "min");
            Objects.requireNonNull(max, "max");
            if (min.isNegative() || max.compareTo(min) < 0 || max.compareTo(MAX_DELAY) > 0) {
                throw new IllegalArgumentException("slot times " + min + " to " + max + " are out of range; expected 0 <= min"
                        + " <= max <= " + MAX_DELAY.toHours() + "h");
            }
            if (packets < 0 || bytes < 0) {
                throw new IllegalArgumentException("a slot's packets and bytes are counts: at least 0");
            }
            if ((packets > 0 || bytes > 0) == false && (!min.isZero() || !max.isZero())) {
                throw new IllegalArgumentException("a slot needs packets or bytes, how much one slot carries; without"
                        + " a budget it would never close");
            }
        }

        public boolean enabled() {
            return packets > 0 || bytes > 0;
        }
    }
}
