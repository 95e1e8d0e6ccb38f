package tapnet.topology.yaml;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import tapnet.dns.DnsFaults;
import tapnet.select.Selector;
import tapnet.topology.DnsRecordSpec;

/**
 * Reads the DNS server's {@code faults: [ { name: db, nxdomain: {}, first: 2 }, { name: "*", delay: 2s } ]}:
 * each entry the names it is for, one kind of fault and which queries it hits. The server's {@code faults:},
 * a script's {@code dnsFaults:} events and {@code tapnet ctl dnsFaults} read the same.
 */
final class DnsFaultsReader {
    static final List<String> KINDS = Arrays.stream(DnsFaults.Kind.values()).map(DnsFaults.Kind::key).toList();
    static final Section.Keys FAULT = new Section.Keys("a DNS fault",
            Section.concat(List.of("name"), KINDS, List.of("first", "probability")));
    static final String EXAMPLE = "[ { name: db, nxdomain: {}, first: 2 }, { name: \"*.shop.test\", delay: 2s } ]";
    /** What a change of DNS faults is told when the topology has no DNS server. */
    static final String NO_SERVER = "this topology has no DNS server, so no DNS faults to change; expected a topology with"
            + " dns: { address: ..., domain: ... }";
    private static final String NAME_EXPECTED = "a name like db (under the domain), *.shop.test (every name below it) or *";

    private final Problems problems;
    private final Scalars scalars;

    DnsFaultsReader(Problems problems, Scalars scalars) {
        this.problems = problems;
        this.scalars = scalars;
    }

    /**
     * The rules of a list, names under {@code domain} (null: a domain with mistakes, reported; names are then
     * checked alone); those with mistakes (reported) are left out.
     */
    List<DnsFaults.Rule> read(Node node, String domain) {
        if (Section.isNull(node)) {
            return List.of();
        }
        if (!(node instanceof SequenceNode list)) {
            problems.at(node, "the DNS faults are " + Section.describe(node) + "; expected a list of faults, like " + EXAMPLE);
            return List.of();
        }
        List<DnsFaults.Rule> rules = new ArrayList<>();
        for (Node item : list.getValue()) {
            DnsFaults.Rule rule = fault(item, domain);
            if (rule != null) {
                rules.add(rule);
            }
        }
        return rules;
    }

    private DnsFaults.Rule fault(Node item, String domain) {
        int before = problems.count();
        Section fault = Section.read(item, item, "this DNS fault", FAULT, problems);
        if (fault == null) {
            return null;
        }
        String name = fault.has("name") ? name(fault.get("name"), domain) : null;
        List<String> kinds = fault.keys().stream().filter(KINDS::contains).toList();
        if (kinds.isEmpty() && problems.count() != before) {
            return null; // a misspelt kind was reported already; "no kind" too would be noise
        }
        if (kinds.size() != 1) {
            problems.at(item, (kinds.isEmpty() ? "this DNS fault has no kind" : "this DNS fault has " + kinds.size()
                    + " kinds (" + String.join(", ", kinds) + ")") + "; expected exactly one of: " + String.join(", ", KINDS));
            return null;
        }
        DnsFaults.Kind kind = DnsFaults.Kind.of(kinds.get(0));
        long parameter = parameter(kind, fault.get(kind.key()));
        Selector selector = FaultsReader.selector(fault, problems, scalars, "queries", "query");
        if (problems.count() != before || selector == null) {
            return null;
        }
        return new DnsFaults.Rule(name, kind, parameter, selector);
    }

    /** A rule as a {@code faults:} entry reads: {@code {name: db, nxdomain: {}, first: 2}}; for reports and replies. */
    private String name(Node node, String domain) {
        String name = scalars.text(node, "name", NAME_EXPECTED);
        if (name == null) {
            return null;
        }
        String problem = DnsFaults.nameProblem(name.strip(), domain == null ? "." : domain);
        if (problem != null) {
            problems.at(node, problem);
        }
        return name.strip();
    }

    /** A kind's value; 0 when it takes none, or when reported. */
    private long parameter(DnsFaults.Kind kind, Node value) {
        if (kind.outcome()) {
            if (!Section.isNull(value) && !(value instanceof MappingNode m && m.getValue().isEmpty())) {
                problems.at(value, "'" + kind.key() + "' takes no value; write " + kind.key() + ": {} (and first: N or"
                        + " probability: P% to choose which queries)");
            }
            return 0;
        }
        return switch (kind) {
            case DELAY -> {
                Duration delay = scalars.duration(value, "delay", Duration.ofMillis(1), Duration.ofMinutes(10));
                yield delay == null ? 0 : delay.toNanos();
            }
            case WRONG_ADDRESS -> {
                Integer address = scalars.ipv4(value, "wrongAddress", "the IPv4 address A records answer instead, like 10.77.0.99");
                yield address == null ? 0 : address & 0xffff_ffffL;
            }
            case TTL -> scalars.integer(value, "ttl", 0, DnsRecordSpec.MAX_TTL,
                    "the TTL every answer record gets, from 0 to " + DnsRecordSpec.MAX_TTL + " seconds, like 0", 0);
            default -> throw new AssertionError("a DNS fault without a reader: " + kind);
        };
    }
}
