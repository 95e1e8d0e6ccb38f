package tapnet.link;

/**
 * The sending side of a link with a rate: a FIFO queue in front of a transmitter that sends
 * {@code bitsPerSecond}. A frame admitted at {@code now} starts when the frames before it are sent
 * ({@code max(now, busyUntil)}) and takes {@code wireLength·8/bitsPerSecond}, where the wire length is
 * netem's {@code packet_time_ns}: the frame plus {@code packetOverhead}, rounded up to whole cells of
 * {@code cellSize + cellOverhead} bytes if cells are set. The queue is the frames admitted and not yet
 * completely sent; it drains as time passes, and a frame that would make it longer than {@code limit}
 * frames or {@code limitBytes} bytes is refused (tail drop).
 *
 * <p>Time is kept exactly: the fraction of a nanosecond left over by each frame is carried to the next
 * one while the transmitter stays busy, so a long busy period sends at the set rate to the nanosecond
 * instead of drifting by a rounding per frame.
 *
 * <p>The queue's finish times and lengths live in two primitive rings that grow (by doubling, to at most
 * the power of two at or above {@code limit}) only when the queue gets longer than ever before: no
 * allocation per frame once a run has reached its longest queue.
 */
final class RateLimiter {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int INITIAL_CAPACITY = 64;

    private long bitsPerSecond;
    private int packetOverhead;
    private int cellSize;
    private int cellOverhead;
    private int limit;
    private long limitBytes;

    private long[] finishNanos = new long[INITIAL_CAPACITY];
    private int[] lengths = new int[INITIAL_CAPACITY];
    private int head;
    private int count;
    private long queuedBytes;
    /** Bit-nanoseconds (bits·10⁹ mod rate) the last frame's finish time was rounded down by. */
    private long carry;

    RateLimiter(Impairments.Rate settings) {
        set(settings);
    }

    /**
     * New settings. Frames already admitted keep their finish times; later frames queue behind them at the
     * new rate. Without a rate, later frames pass at once, ahead of any still queued.
     */
    void set(Impairments.Rate settings) {
        bitsPerSecond = settings.bitsPerSecond();
        packetOverhead = settings.packetOverhead();
        cellSize = settings.cellSize();
        cellOverhead = settings.cellOverhead();
        limit = settings.limit();
        limitBytes = settings.limitBytes();
    }

    /** Whether a frame of this length, arriving at {@code now}, fits in the queue. Drains what is sent by then. */
    boolean hasRoom(int frameLength, long now) {
        if (bitsPerSecond == 0) {
            return true;
        }
        drain(now);
        return count < limit && (limitBytes == 0 || queuedBytes + frameLength <= limitBytes);
    }

    /**
     * Queues a frame that {@link #hasRoom} just accepted at the same {@code now}; returns the time its last
     * bit is sent ({@code now} without a rate).
     */
    long admit(int frameLength, long now) {
        if (bitsPerSecond == 0) {
            return now;
        }
        long start;
        if (count == 0) {
            start = now;
            carry = 0; // an idle transmitter starts afresh: nothing to catch up on
        } else {
            start = finishNanos[slot(count - 1)];
        }
        long bitNanos = wireLength(frameLength) * Byte.SIZE * NANOS_PER_SECOND + carry;
        long finish = start + bitNanos / bitsPerSecond;
        carry = bitNanos % bitsPerSecond;
        push(finish, frameLength);
        return finish;
    }

    /** Frames in the queue (waiting or being sent) after the last call. */
    int queuedFrames() {
        return count;
    }

    /** Bytes in the queue after the last call. */
    long queuedBytes() {
        return queuedBytes;
    }

    /** netem's {@code packet_time_ns} length: overhead added, then rounded up to whole cells. */
    private long wireLength(int frameLength) {
        long length = Math.max(0, (long) frameLength + packetOverhead);
        if (cellSize > 0) {
            long cells = (length + cellSize - 1) / cellSize;
            length = cells * (cellSize + cellOverhead);
        }
        return length;
    }

    private void drain(long now) {
        // Finish times only grow along the queue, so the sent frames are all at its head.
        while (count > 0 && finishNanos[head] - now <= 0) {
            queuedBytes -= lengths[head];
            head = (head + 1) & (finishNanos.length - 1);
            count--;
        }
    }

    private void push(long finish, int frameLength) {
        if (count == finishNanos.length) {
            grow();
        }
        int tail = slot(count);
        finishNanos[tail] = finish;
        lengths[tail] = frameLength;
        count++;
        queuedBytes += frameLength;
    }

    private int slot(int index) {
        return (head + index) & (finishNanos.length - 1);
    }

    /** Doubles the rings (their length stays a power of two), unrolling the queue to start at index 0. */
    private void grow() {
        long[] newFinish = new long[finishNanos.length * 2];
        int[] newLengths = new int[lengths.length * 2];
        for (int i = 0; i < count; i++) {
            newFinish[i] = finishNanos[slot(i)];
            newLengths[i] = lengths[slot(i)];
        }
        finishNanos = newFinish;
        lengths = newLengths;
        head = 0;
    }
}
