package tapnet.time;

/** The machine's monotonic clock, for live runs behind a TAP. */
public final class LiveClock implements Clock {
    @Override
    public long nanos() {
        return System.nanoTime();
    }
}
