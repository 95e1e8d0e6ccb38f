package tapnet.dns;

import java.nio.ByteBuffer;
import java.util.List;
import tapnet.select.Selections;
import tapnet.select.Selector;
import tapnet.wire.DnsMessage;
import tapnet.wire.DnsNames;

/**
 * Faults a DNS server's answers suffer on purpose, per name, so that a client's handling of DNS failures
 * can be tested: each {@link Rule} names a pattern, a {@link Kind} with its parameter, and which matching
 * queries it hits (all, the first N, or each with a probability drawn from the rule's own generator, split
 * from the seed, so a run replays). {@link #decide} runs the rules in order for one query: every rule whose
 * name matches counts or draws once; of those that hit, the first outcome kind decides the answer, and the
 * first of each modifier kind changes it. Names are compared in wire form, case aside, against the query's
 * own copy of its name: nothing is allocated per query. One instance per server, shared by its UDP and TCP
 * transports; engine thread only.
 */
public final class DnsFaults {
    /** What goes wrong. The real-world failure each reproduces is in the README's DNS fault table. */
    public enum Kind {
        NXDOMAIN("nxdomain", true),
        SERVFAIL("servfail", true),
        REFUSED("refused", true),
        /** No answer at all: the client's resolver times out. */
        TIMEOUT("timeout", true),
        /** Over UDP, TC and no answers, for the client to ask again over TCP; nothing over TCP. */
        TRUNCATE("truncate", true),
        /** The answer leaves a time (parameter, nanoseconds) later. */
        DELAY("delay", false),
        /** A records answer with this address (parameter, IPv4) instead. */
        WRONG_ADDRESS("wrongAddress", false),
        /** Every answer record carries this TTL (parameter, seconds). */
        TTL("ttl", false);

        private final String key;
        private final boolean outcome;

        Kind(String key, boolean outcome) {
            this.key = key;
            this.outcome = outcome;
        }

        /** The kind's key in a file: {@code nxdomain}, {@code wrongAddress}. */
        public String key() {
            return key;
        }

        /** Whether it replaces the answer (rather than changing the one that goes out). */
        public boolean outcome() {
            return outcome;
        }

        /** The kind spelled {@code key}, or null. */
        public static Kind of(String key) {
            for (Kind k : values()) {
                if (k.key.equals(key)) {
                    return k;
                }
            }
            return null;
        }
    }

    /**
     * One fault: the names it is for ({@code db}, relative to the domain unless it ends with a dot;
     * {@code *.suffix}, every name below the suffix; {@code *} or null, every name), its kind, parameter
     * (see {@link Kind}; 0 when it takes none) and selector.
     */
    public record Rule(String name, Kind kind, long parameter, Selector selector) {
        public Rule {
            java.util.Objects.requireNonNull(kind, "kind");
            Selector.checked(selector);
            if (kind == Kind.DELAY && parameter <= 0 || kind == Kind.TTL && (parameter < 0 || parameter > Integer.MAX_VALUE)) {
                throw new IllegalArgumentException(kind.key() + " " + parameter + " out of range");
            }
        }
    }

    /** How a rule's name matches: every name, exactly one, or every name strictly below one. */
    private static final byte ALL = 0;
    private static final byte EXACT = 1;
    private static final byte BELOW = 2;

    private final String domain;
    private final long seed;
    private final DnsMessage query = new DnsMessage();
    private Rule[] rules;
    private byte[] matching;
    private byte[][] names;
    private Selections selections;

    /**
     * @throws IllegalArgumentException for a rule whose name is no pattern under {@code domain} (see {@link #nameProblem})
     */
    public DnsFaults(String domain, List<Rule> rules, long seed) {
        this.domain = domain;
        this.seed = seed;
        replace(rules);
    }

    /**
     * The rules become {@code rules} (empty: none); their selectors start counting and drawing afresh, from
     * the same seed. Engine thread.
     *
     * @throws IllegalArgumentException as the constructor
     */
    public void replace(List<Rule> rules) {
        Rule[] list = rules.toArray(new Rule[0]);
        byte[] how = new byte[list.length];
        byte[][] wires = new byte[list.length][];
        for (int i = 0; i < list.length; i++) {
            String name = list[i].name();
            String problem = nameProblem(name, domain);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            if (name == null || name.equals("*")) {
                how[i] = ALL;
            } else if (name.startsWith("*.")) {
                how[i] = BELOW;
                wires[i] = DnsNames.encode(DnsNames.qualify(name.substring(2), domain) + ".");
            } else {
                how[i] = EXACT;
                wires[i] = DnsNames.encode(DnsNames.qualify(name, domain) + ".");
            }
        }
        this.rules = list;
        this.matching = how;
        this.names = wires;
        this.selections = new Selections(rules.stream().map(Rule::selector).toArray(Selector[]::new), seed);
    }

    /**
     * Null when {@code name} is a rule's name under {@code domain}: null or {@code *} (every name),
     * {@code *.suffix} (every name below suffix) or a name, each relative to the domain unless it ends with
     * a dot; else what is wrong with it.
     */
    public static String nameProblem(String name, String domain) {
        if (name == null || name.equals("*")) {
            return null;
        }
        String rest = name.startsWith("*.") ? name.substring(2) : name;
        if (rest.indexOf('*') >= 0) {
            return "'" + name + "' has a '*' that is not its first label; expected a name like db, *.shop.test or *";
        }
        if (rest.isEmpty() || rest.equals(".")) {
            return "'" + name + "' names no domain; expected a name like db, *.shop.test or *";
        }
        String problem = DnsNames.problem(rest);
        return problem != null ? problem : DnsNames.problem(DnsNames.qualify(rest, domain));
    }

    public boolean isEmpty() {
        return rules.length == 0;
    }

    /**
     * Decides the faults of the query in {@code buffer} (from {@code offset}, {@code length} bytes) into
     * {@code decision}. Only a query the zone would answer (readable, opcode QUERY) is faulted; others get
     * none. Over TCP {@code truncate} does nothing, though its rule still counts or draws.
     */
    public void decide(ByteBuffer buffer, int offset, int length, boolean overTcp, DnsFaultDecision decision) {
        decision.clear();
        if (rules.length == 0) {
            return;
        }
        query.wrap(buffer, offset, length);
        if (query.check() != DnsMessage.Validity.VALID || query.isResponse() || query.opcode() != DnsMessage.OPCODE_QUERY) {
            return;
        }
        for (int i = 0; i < rules.length; i++) {
            if (!matches(i) || !selections.selects(i)) {
                continue;
            }
            Rule rule = rules[i];
            Kind kind = rule.kind();
            if (kind.outcome()) {
                if (decision.outcome == null && !(kind == Kind.TRUNCATE && overTcp)) {
                    decision.outcome = kind;
                    decision.hits |= 1 << kind.ordinal();
                }
            } else if (kind == Kind.DELAY && decision.delayNanos == 0) {
                decision.delayNanos = rule.parameter();
                decision.hits |= 1 << kind.ordinal();
            } else if (kind == Kind.WRONG_ADDRESS && !decision.replaceAddress) {
                decision.replaceAddress = true;
                decision.address = (int) rule.parameter();
                decision.hits |= 1 << kind.ordinal();
            } else if (kind == Kind.TTL && decision.ttl == DnsFaultDecision.NO_TTL) {
                decision.ttl = (int) rule.parameter();
                decision.hits |= 1 << kind.ordinal();
            }
        }
        if (decision.outcome == Kind.TIMEOUT) { // no answer goes out: nothing to change or hold
            decision.clear();
            decision.outcome = Kind.TIMEOUT;
            decision.hits = 1 << Kind.TIMEOUT.ordinal();
        }
    }

    private boolean matches(int i) {
        return switch (matching[i]) {
            case EXACT -> query.nameEquals(names[i]);
            case BELOW -> query.nameLength() > names[i].length && query.nameWithin(names[i]);
            default -> true;
        };
    }
}
