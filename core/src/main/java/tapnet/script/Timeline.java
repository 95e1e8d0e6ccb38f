package tapnet.script;

/**
 * The clock a scripted run keeps: run time in nanoseconds from its start, and tasks due at given times.
 * Live runs keep it on a thread of their own with the wall clock; simulated runs on the engine's virtual
 * clock, advancing from one due time to the next.
 */
public interface Timeline {
    /** Run time now, in nanoseconds since the run started. */
    long now();

    /** Runs {@code task} at run time {@code atNanos} (at once when that has passed). */
    void at(long atNanos, Runnable task);
}
