package tapnet.link;

/**
 * One direction of one emulated link: decides, frame by frame, whether the frame is dropped, duplicated,
 * corrupted or reordered, and when each copy leaves the link. It follows netem's order and semantics
 * ({@code netem_enqueue} in the kernel's {@code net/sched/sch_netem.c}, tc-netem(8)):
 *
 * <ol>
 *   <li>a link that is {@linkplain Impairments#down() down} drops everything; a frame larger than the
 *       {@linkplain Impairments#mtu() MTU} is dropped as {@link LinkDropReason#TOO_BIG}, and the verdict
 *       carries the MTU for an ICMP "fragmentation needed" answer (these two are tapnet's, not netem's);
 *   <li>duplication is decided, then loss. A lost frame that was to be duplicated goes once: the
 *       duplicate stands in for it (netem counts 2 copies, loses one);
 *   <li>each copy then goes on alone, the duplicate first, as netem re-enqueues its clone at the root with
 *       duplication off: the duplicate meets loss again, then every copy meets corruption, the rate
 *       limiter's queue (tail drop), reordering, and the delay;
 *   <li>a reordered copy leaves at once; any other leaves when the rate limiter has sent it, plus the
 *       delay. netem instead lets the delay run first and the rate apply behind it; tapnet's order is
 *       the physical one (queue, then transmission, then propagation), so jitter can reorder frames
 *       after the rate limiter as it does on a real path.
 * </ol>
 *
 * <p>Every random choice comes from a seed: each fault kind (delay, loss, duplication, reordering,
 * corruption) draws from its own {@link Xoshiro256StarStar}, seeded by
 * {@link SplitMix64#derive(long, long)} of the direction's seed and the fault's fixed stream number. So
 * the same seed and the same frames at the same times give the same verdicts, and changing one fault's
 * settings leaves the other faults' draws as they were: turning loss on does not move the delays the
 * delivered frames get. Give each direction of each link its own seed, for example
 * {@code derive(derive(topologySeed, linkIndex), direction)}.
 *
 * <p>Owned by one engine thread; {@link #decide} allocates nothing.
 */
public final class LinkDirection {
    /** tapnet's frames are Ethernet II without a VLAN tag: the MTU counts what follows this header. */
    public static final int ETHERNET_HEADER_LENGTH = 14;

    // Stream numbers of the per-fault generators. Never renumber: every seeded run would change.
    private static final int DELAY_STREAM = 1;
    private static final int LOSS_STREAM = 2;
    private static final int DUPLICATE_STREAM = 3;
    private static final int REORDER_STREAM = 4;
    private static final int CORRUPT_STREAM = 5;
    private static final int SLOT_STREAM = 6;
    /** {@link #slotOpens} before the first frame: the first slot opens when the first frame is due. */
    private static final long NO_SLOT_YET = Long.MIN_VALUE;

    private final Xoshiro256StarStar lossRandom;
    private final DelaySampler delay;
    private final CorrelatedChance duplication;
    private final Reordering reordering;
    private final Corruption corruption;
    private final RateLimiter rateLimiter;
    private final Xoshiro256StarStar slotRandom;
    /** When the current slot opened, or opens; what it may still carry. */
    private long slotOpens = NO_SLOT_YET;
    private int slotPacketsLeft;
    private long slotBytesLeft;
    private final LinkCounters counters = new LinkCounters();
    private LossProcess loss;
    private Impairments impairments;
    private boolean perfect;

    public LinkDirection(Impairments impairments, long seed) {
        this.impairments = impairments;
        this.perfect = impairments.equals(Impairments.NONE);
        lossRandom = new Xoshiro256StarStar(SplitMix64.derive(seed, LOSS_STREAM));
        loss = LossProcess.of(impairments.loss(), lossRandom);
        delay = new DelaySampler(new Xoshiro256StarStar(SplitMix64.derive(seed, DELAY_STREAM)), impairments.delay());
        duplication = new CorrelatedChance(new Xoshiro256StarStar(SplitMix64.derive(seed, DUPLICATE_STREAM)),
                impairments.duplicate());
        reordering = new Reordering(new Xoshiro256StarStar(SplitMix64.derive(seed, REORDER_STREAM)),
                impairments.reorder());
        corruption = new Corruption(new Xoshiro256StarStar(SplitMix64.derive(seed, CORRUPT_STREAM)),
                impairments.corrupt());
        rateLimiter = new RateLimiter(impairments.rate());
        slotRandom = new Xoshiro256StarStar(SplitMix64.derive(seed, SLOT_STREAM));
    }

    /**
     * Changes the settings while frames flow. The generators, the queue and the loss model's state stay
     * (a new loss model kind starts from its first state); frames already decided keep their verdicts.
     * The reorder count starts over when the reorder settings change, as netem's does.
     */
    public void set(Impairments next) {
        if (!loss.update(next.loss())) {
            loss = LossProcess.of(next.loss(), lossRandom);
        }
        delay.set(next.delay());
        duplication.set(next.duplicate());
        reordering.set(next.reorder());
        corruption.set(next.corrupt());
        rateLimiter.set(next.rate());
        impairments = next;
        perfect = next.equals(Impairments.NONE);
    }

    /**
     * Whether the link does nothing to frames ({@link Impairments#NONE}): it need not see them one by one,
     * so an offloaded frame standing for many wire frames may cross it whole ({@link #countPassed}).
     */
    public boolean isPerfect() {
        return perfect;
    }

    /**
     * Counts a frame that crossed the link whole, while it is {@linkplain #isPerfect() perfect}, as the
     * {@code frames} wire frames of {@code bytes} bytes in all it stands for: the counters read as if they
     * had crossed one by one.
     */
    public void countPassed(int frames, long bytes) {
        counters.framesIn += frames;
        counters.bytesIn += bytes;
        counters.framesDelivered += frames;
        counters.bytesDelivered += bytes;
    }

    public Impairments impairments() {
        return impairments;
    }

    public LinkCounters counters() {
        return counters;
    }

    /** Frames in the rate limiter's queue (waiting or being sent) as of the last decision. */
    public int queuedFrames() {
        return rateLimiter.queuedFrames();
    }

    /** Bytes in the rate limiter's queue as of the last decision. */
    public long queuedBytes() {
        return rateLimiter.queuedBytes();
    }

    /**
     * Decides what the link does to one frame offered at {@code nowNanos} and writes it into {@code out}.
     * Calls must come in time order.
     *
     * @param frameLength the Ethernet frame's length in bytes, header included, frame check sequence not
     */
    public void decide(int frameLength, long nowNanos, Verdict out) {
        out.clear();
        counters.framesIn++;
        counters.bytesIn += frameLength;
        if (impairments.down()) {
            refuse(out, LinkDropReason.DOWN);
            return;
        }
        int mtu = impairments.mtu();
        if (mtu != Impairments.NO_MTU && frameLength - ETHERNET_HEADER_LENGTH > mtu) {
            counters.countDrop(LinkDropReason.TOO_BIG);
            out.dropTooBig(mtu);
            return;
        }
        // netem_enqueue counts copies: 2 if duplicated, one fewer if lost; none left is a drop.
        boolean duplicated = duplication.happens();
        if (loss.loses()) {
            if (!duplicated) {
                refuse(out, LinkDropReason.LOSS);
                return;
            }
            duplicated = false;
        }
        if (duplicated) {
            // netem enqueues the clone first, at the root with duplication off: it meets loss again.
            counters.duplicated++;
            if (loss.loses()) {
                counters.countDrop(LinkDropReason.LOSS);
            } else {
                sendCopy(frameLength, nowNanos, out);
            }
        }
        LinkDropReason reason = sendCopy(frameLength, nowNanos, out);
        if (out.copies() == 0) {
            out.drop(reason);
        }
    }

    /** One copy through corruption, the queue, reordering and the delay; returns why it was dropped, or null. */
    private LinkDropReason sendCopy(int frameLength, long now, Verdict out) {
        // netem's order: corruption is drawn before the queue's limit is checked, reordering after it.
        boolean corrupted = corruption.strikes(frameLength);
        if (!rateLimiter.hasRoom(frameLength, now)) {
            counters.countDrop(LinkDropReason.QUEUE_FULL);
            return LinkDropReason.QUEUE_FULL;
        }
        long release;
        boolean reordered = reordering.sendsAtOnce();
        if (reordered) {
            release = now;
            counters.reordered++;
        } else {
            release = rateLimiter.admit(frameLength, now) + delay.next();
            if (impairments.slot().enabled()) {
                release = slotted(release, frameLength);
            }
        }
        if (corrupted) {
            counters.corrupted++;
            out.addCopy(release, corruption.offset(), corruption.mask(), reordered);
        } else {
            out.addCopy(release, -1, 0, reordered);
        }
        counters.framesDelivered++;
        counters.bytesDelivered += frameLength;
        return null;
    }

    /**
     * netem's slots: a frame due while a slot is open leaves when due; one due before the next slot opens
     * waits for it. When a slot has carried its packets or bytes, the next opens {@code min} to {@code max}
     * after the frame that closed it.
     */
    private long slotted(long due, int frameLength) {
        Impairments.Slot slot = impairments.slot();
        if (slotOpens == NO_SLOT_YET) {
            openSlot(due, slot);
        }
        long leaves = Math.max(due, slotOpens);
        slotPacketsLeft--;
        slotBytesLeft -= frameLength;
        if ((slot.packets() > 0 && slotPacketsLeft <= 0) || (slot.bytes() > 0 && slotBytesLeft <= 0)) {
            long span = slot.max().toNanos() - slot.min().toNanos();
            long gap = slot.min().toNanos() + (span == 0 ? 0 : (long) (slotRandom.nextDouble() * span));
            openSlot(leaves + gap, slot);
        }
        return leaves;
    }

    private void openSlot(long at, Impairments.Slot slot) {
        slotOpens = at;
        slotPacketsLeft = slot.packets() > 0 ? slot.packets() : Integer.MAX_VALUE;
        slotBytesLeft = slot.bytes() > 0 ? slot.bytes() : Long.MAX_VALUE;
    }

    private void refuse(Verdict out, LinkDropReason reason) {
        counters.countDrop(reason);
        out.drop(reason);
    }
}
