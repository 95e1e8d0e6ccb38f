package tapnet.topology.yaml;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A YAML mapping read against the keys it may hold. Unknown keys, keys that moved elsewhere and repeated
 * keys are reported when the section is read; what is left are the entries the reader knows.
 */
final class Section {
    /**
     * The keys of one kind of mapping.
     *
     * @param owner what the mapping is, with its article, for messages: "a host", "tap"
     * @param known the keys it may hold, in the order the documentation lists them
     * @param moved keys a file may hold from an older design, each with where what it meant is given now
     */
    record Keys(String owner, List<String> known, Map<String, String> moved) {
        Keys(String owner, List<String> known) {
            this(owner, known, Map.of());
        }

        String expected() {
            return known.isEmpty() ? "no keys" : "one of: " + String.join(", ", known);
        }
    }

    /** Groups of keys as one list, in order: a few keys of every entry and the kinds it may be, say. */
    @SafeVarargs
    static List<String> concat(List<String>... groups) {
        return Stream.of(groups).flatMap(List::stream).toList();
    }

    private final Node anchor;
    private final String subject;
    private final Map<String, NodeTuple> entries;
    private final Problems problems;

    private Section(Node anchor, String subject, Map<String, NodeTuple> entries, Problems problems) {
        this.anchor = anchor;
        this.subject = subject;
        this.entries = entries;
        this.problems = problems;
    }

    /**
     * Reads {@code value} as a mapping of {@code keys}. A YAML null (nothing after the colon) reads as an
     * empty mapping; anything else that is not a mapping is reported and gives null.
     *
     * @param anchor  where to report keys that are missing: the key that names this mapping, say
     * @param subject this mapping in messages about it as a whole: "host 'web'", "this service"
     */
    static Section read(Node value, Node anchor, String subject, Keys keys, Problems problems) {
        if (isNull(value)) {
            return new Section(anchor, subject, Map.of(), problems);
        }
        if (!(value instanceof MappingNode mapping)) {
            problems.at(value, describe(value) + " is not " + keys.owner() + "; expected a mapping with "
                    + (keys.known().isEmpty() ? "no keys, like {}" : "keys from: " + String.join(", ", keys.known())));
            return null;
        }
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        for (NodeTuple entry : uniqueEntries(mapping, keys.owner(), problems).values()) {
            String key = ((ScalarNode) entry.getKeyNode()).getValue();
            if (keys.known().contains(key)) {
                entries.put(key, entry);
            } else if (key.equals("<<")) {
                problems.at(entry.getKeyNode(), "'<<' (a merge key) is not part of YAML 1.2, which tapnet reads; expected "
                        + keys.expected() + " (share whole mappings and lists with &anchor and *alias instead)");
            } else if (keys.moved().containsKey(key)) {
                problems.at(entry.getKeyNode(), "'" + key + "' is not a key of " + keys.owner() + ": "
                        + keys.moved().get(key) + "; expected " + keys.expected());
            } else {
                problems.at(entry.getKeyNode(), "'" + key + "' is not a key of " + keys.owner() + "; expected " + keys.expected());
            }
        }
        return new Section(anchor, subject, entries, problems);
    }

    /**
     * The entries of a mapping by key, in file order. Keys that are not plain text, and keys seen before,
     * are reported (YAML forbids repeated keys; most parsers silently keep the last one) and left out.
     */
    static Map<String, NodeTuple> uniqueEntries(MappingNode mapping, String owner, Problems problems) {
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        for (NodeTuple entry : mapping.getValue()) {
            Node keyNode = entry.getKeyNode();
            if (!(keyNode instanceof ScalarNode scalar) || isNull(keyNode)) {
                problems.at(keyNode, describe(keyNode) + " is not a key; expected a name in " + owner);
                continue;
            }
            NodeTuple first = entries.putIfAbsent(scalar.getValue(), entry);
            if (first != null) {
                problems.at(keyNode, "'" + scalar.getValue() + "' appears twice in " + owner + " (first on line "
                        + Problems.line(first.getKeyNode()) + "); expected each key once");
            }
        }
        return entries;
    }

    /** The value of {@code key}, or null when the mapping does not have it. */
    Node get(String key) {
        NodeTuple entry = entries.get(key);
        return entry == null ? null : entry.getValueNode();
    }

    /** The key node of {@code key}, or null. */
    Node keyNode(String key) {
        NodeTuple entry = entries.get(key);
        return entry == null ? null : entry.getKeyNode();
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    /** The value of {@code key}; when it is missing, reports that and gives null. */
    Node require(String key, String expected) {
        Node value = get(key);
        if (value == null) {
            problems.at(anchor, subject + " has no '" + key + "'; expected " + expected);
        }
        return value;
    }

    /** The keys present, in file order. */
    List<String> keys() {
        return List.copyOf(entries.keySet());
    }

    Node anchor() {
        return anchor;
    }

    /** True for YAML's null: nothing after the colon, {@code ~} or {@code null}. */
    static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    /** A node as messages name it: its text in quotes, or what kind of node it is. */
    static String describe(Node node) {
        if (isNull(node)) {
            return "nothing";
        }
        if (node instanceof ScalarNode scalar) {
            return "'" + scalar.getValue() + "'";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return "a mapping";
    }
}
