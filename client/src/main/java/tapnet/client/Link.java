package tapnet.client;

import java.util.Map;
import java.util.TreeMap;

/**
 * A node's link to its parent as the run has it now: the settings of each direction (only the keys that are
 * set, as in a topology file: {@code "delay": "20ms"}, {@code "loss": "1%"}, {@code "down": true}) and what
 * each direction did to frames so far.
 */
public record Link(String node, String parent, Direction toNode, Direction fromNode) {

    /**
     * One direction: its settings, and its counters ({@code delivered}, {@code lost}, {@code queueFull},
     * {@code down}, {@code tooBig}, {@code duplicated}, {@code corrupted}, {@code reordered}).
     */
    public record Direction(Map<String, Object> settings, Map<String, Long> counters) {
        public Direction {
            settings = Map.copyOf(settings);
            counters = Map.copyOf(counters);
        }

        /** The setting as the file would write it ({@code "20ms"}), or null when it is not set. */
        public Object setting(String key) {
            return settings.get(key);
        }

        /** The counter's value, 0 when the run does not give it. */
        public long counter(String name) {
            return counters.getOrDefault(name, 0L);
        }

        public boolean isDown() {
            return Boolean.TRUE.equals(settings.get("down"));
        }
    }

    /** Down in either direction. */
    public boolean isDown() {
        return toNode.isDown() || fromNode.isDown();
    }

    static Link from(Object json) {
        Fields link = Fields.of(json, "a link");
        Fields counters = link.object("counters");
        return new Link(link.string("node"), link.string("parent"),
                direction(link.object("toNode"), counters.object("toNode")),
                direction(link.object("fromNode"), counters.object("fromNode")));
    }

    private static Direction direction(Fields settings, Fields counters) {
        Map<String, Object> values = new TreeMap<>();
        settings.map().forEach((k, v) -> {
            if (v != null) {
                values.put(k, v);
            }
        });
        Map<String, Long> counts = new TreeMap<>();
        counters.map().keySet().forEach(name -> counts.put(name, counters.number(name)));
        return new Direction(values, counts);
    }
}
