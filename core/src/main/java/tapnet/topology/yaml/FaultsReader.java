package tapnet.topology.yaml;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import tapnet.select.Selector;
import tapnet.tcp.ConnectionFaults;

/**
 * Reads a service's {@code faults: [ { refuse: {}, first: 3 }, { synAckDelay: 200ms, probability: 10% } ]}:
 * each entry one kind of fault and which connections it hits. A script's {@code faults:} events give their
 * kinds as such entries too, so both read the same.
 */
final class FaultsReader {
    static final List<String> FAULT_KINDS = List.of("synDrop", "refuse", "unreachable", "synAckDrop", "synAckDelay",
            "ackDrop", "resetAfter", "resetAfterSent", "stall", "window", "halfOpen", "slowClose", "corruptAt");
    static final Section.Keys FAULT = new Section.Keys("a fault", Section.concat(FAULT_KINDS, List.of("first", "probability")));
    /** The kinds that take no value, only {@code {}}: what they do has no amount. */
    private static final List<String> WITHOUT_VALUE = List.of("synDrop", "refuse", "unreachable", "stall", "halfOpen");

    private final Problems problems;
    private final Scalars scalars;

    FaultsReader(Problems problems, Scalars scalars) {
        this.problems = problems;
        this.scalars = scalars;
    }

    /** The rules of a {@code faults:} list; those with mistakes (reported) are left out. */
    List<ConnectionFaults.Rule> read(Node node) {
        if (!(node instanceof SequenceNode list)) {
            problems.at(node, "'faults' is " + Section.describe(node) + "; expected a list of faults, like"
                    + " [ { synAckDelay: 200ms }, { refuse: {}, first: 3 } ]");
            return List.of();
        }
        List<ConnectionFaults.Rule> rules = new ArrayList<>();
        for (Node item : list.getValue()) {
            ConnectionFaults.Rule rule = fault(item);
            if (rule != null) {
                rules.add(rule);
            }
        }
        return rules;
    }

    /** One entry: null when it cannot be made; a rule made despite a reported mistake is not to be used. */
    ConnectionFaults.Rule fault(Node item) {
        int before = problems.count();
        Section fault = Section.read(item, item, "this fault", FAULT, problems);
        if (fault == null) {
            return null;
        }
        List<String> kinds = fault.keys().stream().filter(FAULT_KINDS::contains).toList();
        if (kinds.isEmpty() && problems.count() != before) {
            return null; // a misspelt kind was reported already; "no kind" too would be noise
        }
        if (kinds.size() != 1) {
            problems.at(item, (kinds.isEmpty() ? "this fault has no kind" : "this fault has " + kinds.size()
                    + " kinds") + "; expected exactly one of: " + String.join(", ", FAULT_KINDS));
            return null;
        }
        String kind = kinds.get(0);
        Node value = fault.get(kind);
        if (WITHOUT_VALUE.contains(kind) && !Section.isNull(value) && !(value instanceof MappingNode m && m.getValue().isEmpty())) {
            problems.at(value, "'" + kind + "' takes no value; write " + kind + ": {} (and first: N or probability: P% to"
                    + " choose which connections)");
            return null;
        }
        long parameter = 0;
        ConnectionFaults.Kind type;
        switch (kind) {
            case "synDrop" -> type = ConnectionFaults.Kind.SYN_DROP;
            case "refuse" -> type = ConnectionFaults.Kind.REFUSE;
            case "unreachable" -> type = ConnectionFaults.Kind.UNREACHABLE;
            case "stall" -> type = ConnectionFaults.Kind.STALL;
            case "halfOpen" -> type = ConnectionFaults.Kind.HALF_OPEN;
            case "synAckDrop", "ackDrop" -> {
                type = kind.equals("ackDrop") ? ConnectionFaults.Kind.ACK_DROP : ConnectionFaults.Kind.SYN_ACK_DROP;
                parameter = Section.isNull(value) || value instanceof MappingNode ? 1
                        : scalars.integer(value, kind, 1, 100, "how many to lose, from 1 to 100 (or {} for one)", 1);
            }
            case "synAckDelay" -> {
                type = ConnectionFaults.Kind.SYN_ACK_DELAY;
                parameter = nanos(scalars.duration(value, kind, Duration.ofNanos(1), Duration.ofMinutes(10)));
            }
            case "resetAfter" -> {
                // a size resets after that many bytes, a duration after that long
                String text = value instanceof ScalarNode sc ? sc.getValue().strip() : "";
                if (text.matches(".*[0-9.]\\s*(ns|us|µs|ms|s|m|h)")) {
                    type = ConnectionFaults.Kind.RESET_AFTER_TIME;
                    parameter = nanos(scalars.duration(value, kind, Duration.ofNanos(1), Duration.ofDays(1)));
                } else {
                    type = ConnectionFaults.Kind.RESET_AFTER_BYTES;
                    parameter = scalars.size(value, kind, 1, Long.MAX_VALUE);
                }
            }
            case "resetAfterSent" -> { // the other direction: a download cut mid-body
                type = ConnectionFaults.Kind.RESET_AFTER_BYTES_SENT;
                parameter = scalars.size(value, kind, 1, Long.MAX_VALUE);
            }
            case "window" -> {
                type = ConnectionFaults.Kind.WINDOW;
                parameter = scalars.size(value, kind, 1, 1L << 30);
            }
            case "slowClose" -> {
                type = ConnectionFaults.Kind.SLOW_CLOSE;
                parameter = nanos(scalars.duration(value, kind, Duration.ofNanos(1), Duration.ofMinutes(10)));
            }
            case "corruptAt" -> {
                type = ConnectionFaults.Kind.CORRUPT_AT;
                parameter = value instanceof ScalarNode sc && sc.getValue().strip().equals("0") ? 0
                        : scalars.size(value, kind, 0, Long.MAX_VALUE);
            }
            default -> throw new AssertionError("a fault without a reader: " + kind);
        }
        Selector selector = selector(fault, problems, scalars, "SYNs or connections", "connection");
        return selector == null ? null : new ConnectionFaults.Rule(type, parameter, selector);
    }

    /**
     * Which {@code events} (plural; {@code event} one of them) a fault hits: the first few, a share of them,
     * or (by default) all; null when it gives both (reported). Shared with the DNS faults' reader.
     */
    static Selector selector(Section fault, Problems problems, Scalars scalars, String events, String event) {
        if (fault.has("first") && fault.has("probability")) {
            problems.at(fault.keyNode("probability"), "this fault has both 'first' and 'probability'; expected one of them"
                    + " (or neither: every " + event + ")");
            return null;
        }
        if (fault.has("first")) {
            return new Selector.First((int) scalars.integer(fault.get("first"), "first", 1, Integer.MAX_VALUE,
                    "how many " + events + " it hits first, like 3", 1));
        }
        if (fault.has("probability")) {
            Double probability = scalars.fraction(fault.get("probability"), "probability", "a percentage, like 10%");
            // when reported, the rule is not used: the entry's reader sees the problem
            return new Selector.Probability(probability == null ? 0 : probability);
        }
        return new Selector.All();
    }

    private static long nanos(Duration duration) {
        return duration == null ? 0 : duration.toNanos();
    }
}
