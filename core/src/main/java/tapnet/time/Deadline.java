package tapnet.time;

/**
 * Deadlines are clock readings in nanoseconds; {@link #NONE} is the one way every part of the engine says
 * "nothing is due" (timers, held frames): later than any time, so the earliest of several is their minimum.
 */
public final class Deadline {
    /** No deadline: nothing is due, ever. */
    public static final long NONE = Long.MAX_VALUE;

    private Deadline() {
    }

    /**
     * How long from {@code now} until {@code deadline}: 0 when it is due, -1 when it is {@link #NONE} (wait
     * for as long as it takes).
     */
    public static long nanosUntil(long deadline, long now) {
        return deadline == NONE ? -1 : Math.max(0, deadline - now);
    }
}
