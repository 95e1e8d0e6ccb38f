package tapnet.time;

import java.util.Arrays;

/**
 * A hashed timing wheel (Varghese &amp; Lauck) over a fixed set of integer handles. Each handle (a connection
 * slot, say) has at most one deadline; scheduling it again moves it. Scheduling, cancelling and firing are
 * O(1) and allocate nothing: entries are linked through primitive arrays indexed by handle.
 *
 * <p>Deadlines more than one revolution away stay in their bucket and are skipped until due. A deadline
 * fires on the first {@link #poll} whose {@code now} is at or past it, never before.
 */
public final class TimerWheel {
    public static final long NONE = Deadline.NONE;
    private static final int NIL = -1;

    /** Called for each handle whose deadline has passed; the handle is already unscheduled. */
    @FunctionalInterface
    public interface Expiry {
        void onExpiry(int handle, long now);
    }

    private final long tickNanos;
    private final int mask;
    private final int[] bucketHead;
    private final int[] next;
    private final int[] previous;
    private final int[] bucketOf;
    private final long[] deadline;
    private long currentTick;
    private int scheduled;
    /** {@link #earliestDeadline()}'s answer while {@link #earliestKnown}: kept until a change may move it. */
    private long earliest;
    private boolean earliestKnown;

    /**
     * @param capacity   number of handles, 0 to capacity - 1
     * @param tickNanos  bucket width; deadlines are kept exactly, the width only bounds how much work a poll does
     * @param buckets    buckets per revolution, a power of two
     * @param startNanos the time the wheel starts at
     */
    public TimerWheel(int capacity, long tickNanos, int buckets, long startNanos) {
        if (Integer.bitCount(buckets) != 1) {
            throw new IllegalArgumentException("buckets must be a power of two: " + buckets);
        }
        this.tickNanos = tickNanos;
        this.mask = buckets - 1;
        this.bucketHead = new int[buckets];
        Arrays.fill(bucketHead, NIL);
        this.next = new int[capacity];
        this.previous = new int[capacity];
        this.bucketOf = new int[capacity];
        Arrays.fill(bucketOf, NIL);
        this.deadline = new long[capacity];
        Arrays.fill(deadline, NONE);
        this.currentTick = startNanos / tickNanos;
    }

    public int capacity() {
        return next.length;
    }

    public int scheduledCount() {
        return scheduled;
    }

    public boolean isScheduled(int handle) {
        return bucketOf[handle] != NIL;
    }

    /** The handle's deadline, or {@link #NONE}. */
    public long deadline(int handle) {
        return deadline[handle];
    }

    /** Sets the handle's deadline, replacing any earlier one. */
    public void schedule(int handle, long deadlineNanos) {
        if (bucketOf[handle] != NIL) {
            forgetEarliestIf(handle);
            unlink(handle);
        } else {
            scheduled++;
        }
        if (earliestKnown && (earliest == NONE || deadlineNanos < earliest)) {
            earliest = deadlineNanos;
        }
        long tick = Math.max(Math.floorDiv(deadlineNanos, tickNanos), currentTick);
        int bucket = (int) (tick & mask);
        deadline[handle] = deadlineNanos;
        bucketOf[handle] = bucket;
        previous[handle] = NIL;
        next[handle] = bucketHead[bucket];
        if (bucketHead[bucket] != NIL) {
            previous[bucketHead[bucket]] = handle;
        }
        bucketHead[bucket] = handle;
    }

    public void cancel(int handle) {
        if (bucketOf[handle] != NIL) {
            forgetEarliestIf(handle);
            unlink(handle);
            bucketOf[handle] = NIL;
            deadline[handle] = NONE;
            scheduled--;
        }
    }

    /**
     * Fires every handle whose deadline is at or before {@code now}. A handler may schedule or cancel any
     * handle, itself included. Returns how many fired.
     */
    public int poll(long now, Expiry expiry) {
        if (scheduled == 0) {
            currentTick = Math.max(currentTick, Math.floorDiv(now, tickNanos));
            return 0;
        }
        long nowTick = Math.floorDiv(now, tickNanos);
        // Past one revolution every bucket has been visited once; visiting more would find nothing new.
        long lastTick = Math.min(nowTick, currentTick + mask);
        int fired = 0;
        for (long tick = currentTick; tick <= lastTick; tick++) {
            int handle = bucketHead[(int) (tick & mask)];
            while (handle != NIL) {
                int following = next[handle];
                if (deadline[handle] <= now) {
                    cancel(handle);
                    expiry.onExpiry(handle, now);
                    fired++;
                    if (following != NIL && bucketOf[following] != (int) (tick & mask)) {
                        // The handler moved the entry we were about to visit; restart this bucket.
                        following = bucketHead[(int) (tick & mask)];
                    }
                }
                handle = following;
            }
        }
        currentTick = Math.max(currentTick, nowTick);
        return fired;
    }

    /**
     * The earliest deadline scheduled, or {@link #NONE}: how long an engine may sleep, how far a simulated
     * run may jump. Kept between calls until a change may move it; then found by walking the buckets from
     * the current tick to the first that holds an entry due in this revolution (an entry's bucket is its
     * tick's, except an overdue one's, which is the current tick's), and only when none is due within a
     * revolution by looking at every entry scheduled.
     */
    public long earliestDeadline() {
        if (scheduled == 0) {
            return NONE;
        }
        if (!earliestKnown) {
            earliest = earliestThisRevolution();
            if (earliest == NONE) {
                earliest = earliestOfAll();
            }
            earliestKnown = true;
        }
        return earliest;
    }

    private long earliestThisRevolution() {
        for (long tick = currentTick; tick <= currentTick + mask; tick++) {
            long found = NONE;
            for (int h = bucketHead[(int) (tick & mask)]; h != NIL; h = next[h]) {
                long d = deadline[h];
                if (Math.floorDiv(d, tickNanos) <= tick && (found == NONE || d < found)) {
                    found = d;
                }
            }
            if (found != NONE) {
                return found;
            }
        }
        return NONE;
    }

    private long earliestOfAll() {
        long found = NONE;
        for (int bucket = 0; bucket <= mask; bucket++) {
            for (int h = bucketHead[bucket]; h != NIL; h = next[h]) {
                if (found == NONE || deadline[h] < found) {
                    found = deadline[h];
                }
            }
        }
        return found;
    }

    /** The handle leaves or moves: if it held the earliest deadline, that must be found again. */
    private void forgetEarliestIf(int handle) {
        if (earliestKnown && deadline[handle] == earliest) {
            earliestKnown = false;
        }
    }

    private void unlink(int handle) {
        int p = previous[handle];
        int n = next[handle];
        if (p != NIL) {
            next[p] = n;
        } else {
            bucketHead[bucketOf[handle]] = n;
        }
        if (n != NIL) {
            previous[n] = p;
        }
    }
}
