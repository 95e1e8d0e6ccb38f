package tapnet.client;

import java.util.Map;
import java.util.Set;

/**
 * Which connections or queries a fault hits, as the API writes it beside the fault's kind: {@code "first": N},
 * {@code "probability": "10%"}, or (neither) all. What {@link Fault} and {@link DnsFault} share.
 *
 * @param key   {@code first}, {@code probability}, or null for all
 * @param value its value as the API takes it; null with no key
 */
record Selection(String key, Object value) {
    static final Selection ALL = new Selection(null, null);
    private static final Set<String> KEYS = Set.of("first", "probability");

    Selection {
        value = Values.normalized(value);
    }

    /** Only the first {@code count}, at least 1. */
    static Selection first(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("first: at least 1, not " + count);
        }
        return new Selection("first", count);
    }

    /** Each with that chance, in percent, drawn from the run's seed. */
    static Selection probabilityPercent(double percent) {
        return new Selection("probability", Values.percent(percent));
    }

    /** The selection in a fault as the API gives it back. */
    static Selection of(Map<String, Object> fault) {
        String key = fault.containsKey("first") ? "first" : fault.containsKey("probability") ? "probability" : null;
        return key == null ? ALL : new Selection(key, fault.get(key));
    }

    /**
     * A fault's kind as the API gives it back: the one key that is neither a selection's nor one of
     * {@code others} (a DNS fault's name).
     */
    static String kindOf(Map<String, Object> fault, Set<String> others) {
        return fault.keySet().stream().filter(k -> !KEYS.contains(k) && !others.contains(k)).findFirst()
                .orElseThrow(() -> new TapnetException("a fault without a kind: " + Json.write(fault), null));
    }

    /** Adds itself to a fault's JSON (nothing for all). */
    void addTo(Map<String, Object> json) {
        if (key != null) {
            json.put(key, value);
        }
    }
}
