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

    /** How many counters services may name ({@link #named}): a fixed room, taken at build time. */
    public static final int MAX_NAMED = 4096;

    private final AtomicLongArray values = new AtomicLongArray(Counter.ALL.length + DropReason.ALL.length);
    private final AtomicLongArray namedValues = new AtomicLongArray(MAX_NAMED);
    /** The names given so far, in order; index i is {@link #namedValues}' slot i. Cold path only. */
    private final java.util.List<String> names = new java.util.ArrayList<>();

    /**
     * The slot of a counter a service names (like {@code http.80.route.1.requests}), made on first asking:
     * the same name is the same slot, so services that share a name add up. Build time, engine thread; fails
     * past {@link #MAX_NAMED} names.
     */
    public synchronized int named(String name) {
        int index = names.indexOf(name);
        if (index >= 0) {
            return index;
        }
        if (names.size() == MAX_NAMED) {
            throw new IllegalStateException("more than " + MAX_NAMED + " named counters (" + name + ")");
        }
        names.add(name);
        return names.size() - 1;
    }

    /** Adds one to a named counter's slot. Engine thread only. */
    public void incrementNamed(int slot) {
        namedValues.setRelease(slot, namedValues.getPlain(slot) + 1);
    }

    /** A named counter's value, 0 when it was never named. */
    public long namedValue(String name) {
        int index;
        synchronized (this) {
            index = names.indexOf(name);
        }
        return index < 0 ? 0 : namedValues.getAcquire(index);
    }

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

    /** Every non-zero counter and drop reason by name, in declaration order, then named counters. Cold path. */
    public Map<String, Long> snapshot() {
        return snapshot(false);
    }

    /** As {@link #snapshot()}, with the counters still at zero too when {@code withZeros} (the control API's). */
    public Map<String, Long> snapshot(boolean withZeros) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Counter c : Counter.ALL) {
            long v = get(c);
            if (v != 0 || withZeros) {
                out.put(c.name().toLowerCase(), v);
            }
        }
        for (DropReason r : DropReason.ALL) {
            long v = dropped(r);
            if (v != 0 || withZeros) {
                out.put("drop." + r.name().toLowerCase(), v);
            }
        }
        synchronized (this) {
            for (int i = 0; i < names.size(); i++) {
                long v = namedValues.getAcquire(i);
                if (v != 0 || withZeros) {
                    out.put(names.get(i), v);
                }
            }
        }
        return out;
    }
}
