package tapnet.observe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The engine's counters. One thread (the engine) writes; any thread may read. A write is a plain load and
 * a release store, so counting costs nothing measurable on the hot path and readers still see progress.
 */
public final class Counters {
    private static final int DROP_BASE = Counter.ALL.length;

    private final AtomicLongArray values = new AtomicLongArray(Counter.ALL.length + DropReason.ALL.length);

    /** Adds one. Engine thread only. */
    public void increment(Counter counter) {
        add(counter.ordinal(), 1);
    }

    /** Adds {@code delta}. Engine thread only. */
    public void add(Counter counter, long delta) {
        add(counter.ordinal(), delta);
    }

    /** Counts one dropped frame under its reason. Engine thread only. */
    public void drop(DropReason reason) {
        drop(reason, 1);
    }

    /** Counts {@code frames} dropped frames under their reason (a GSO frame counts as its wire frames). Engine thread only. */
    public void drop(DropReason reason, int frames) {
        add(DROP_BASE + reason.ordinal(), frames);
        add(Counter.FRAMES_DROPPED.ordinal(), frames);
    }

    private void add(int index, long delta) {
        values.setRelease(index, values.getPlain(index) + delta);
    }

    public long get(Counter counter) {
        return values.getAcquire(counter.ordinal());
    }

    public long dropped(DropReason reason) {
        return values.getAcquire(DROP_BASE + reason.ordinal());
    }

    /** Every non-zero counter and drop reason by name, in declaration order. Cold path. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Counter c : Counter.ALL) {
            long v = get(c);
            if (v != 0) {
                out.put(c.name().toLowerCase(), v);
            }
        }
        for (DropReason r : DropReason.ALL) {
            long v = dropped(r);
            if (v != 0) {
                out.put("drop." + r.name().toLowerCase(), v);
            }
        }
        return out;
    }
}
