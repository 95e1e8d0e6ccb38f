package tapnet.client;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The run's counters at one moment (names as {@code tapnet ctl counters} prints them: {@code frames_in},
 * {@code drop.link_loss}, ...), immutable. {@link #diff(Counters)} gives what changed between two readings,
 * which is what a test wants to see: what its traffic did.
 */
public final class Counters {
    private final Map<String, Long> values;

    public Counters(Map<String, Long> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /** The counter's value; 0 for a name the run does not keep (see {@link #contains}). */
    public long get(String name) {
        return values.getOrDefault(name, 0L);
    }

    public boolean contains(String name) {
        return values.containsKey(name);
    }

    /** Every counter, by name in order. */
    public Map<String, Long> asMap() {
        return values;
    }

    /**
     * What changed since {@code before}: for each counter whose value differs, this value minus that one (a
     * counter {@code before} lacks counts from 0). Counters that did not change are left out.
     */
    public Counters diff(Counters before) {
        Map<String, Long> changed = new TreeMap<>();
        values.forEach((name, value) -> {
            long delta = value - before.get(name);
            if (delta != 0) {
                changed.put(name, delta);
            }
        });
        return new Counters(changed);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** One counter a line, {@code name value}, in name order. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        values.forEach((name, value) -> out.append(name).append(' ').append(value).append('\n'));
        return out.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Counters c && c.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }
}
