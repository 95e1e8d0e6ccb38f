package tapnet.time;

import java.util.concurrent.TimeUnit;

/** A clock that moves only when told: simulated runs and tests are deterministic and faster than real time. */
public final class VirtualClock implements Clock {
    private long now;

    public VirtualClock() {
        this(0);
    }

    public VirtualClock(long startNanos) {
        this.now = startNanos;
    }

    @Override
    public long nanos() {
        return now;
    }

    public void advance(long amount, TimeUnit unit) {
        advanceTo(now + unit.toNanos(amount));
    }

    public void advanceTo(long nanos) {
        if (nanos < now) {
            throw new IllegalArgumentException("virtual time cannot go back: " + nanos + " < " + now);
        }
        now = nanos;
    }
}
