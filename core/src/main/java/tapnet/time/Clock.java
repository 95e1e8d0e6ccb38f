package tapnet.time;

/** Monotonic time in nanoseconds. Nothing in core reads the system clock except through this. */
public interface Clock {
    long nanos();
}
