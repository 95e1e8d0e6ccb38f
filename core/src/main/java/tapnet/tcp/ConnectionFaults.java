package tapnet.tcp;

import java.util.List;
import tapnet.select.Selections;
import tapnet.select.Selector;

/**
 * Faults a listener's connections suffer on purpose, so that a client's handling of them can be tested:
 * each {@link Rule} names a {@link Kind}, its parameter, and which SYNs or connections it hits (all, the
 * first N, or each with a probability drawn from the rule's own seeded generator, so a run replays).
 * One instance per listener with rules (listeners without any share {@link #none()}), used by the engine
 * thread only.
 */
public final class ConnectionFaults {
    /** What goes wrong. The real-world failure each reproduces is in the README's fault table. */
    public enum Kind {
        /** The SYN never arrives: a firewall that drops (the client retransmits, then times out). */
        SYN_DROP(true),
        /** The SYN is answered with RST: nobody listens (connection refused). */
        REFUSE(true),
        /** The SYN is answered with ICMP port unreachable: a firewall that rejects. */
        UNREACHABLE(true),
        /** The first N SYN-ACKs (parameter, default 1) are lost on the way back. */
        SYN_ACK_DROP(false),
        /** The SYN-ACK leaves only after a delay (parameter, nanoseconds): a slow or loaded server. */
        SYN_ACK_DELAY(false),
        /** The first N handshake-completing ACKs (parameter, default 1) are lost: a full accept queue looks so. */
        ACK_DROP(false),
        /** After N bytes received (parameter) the host resets the connection: a crash mid-request. */
        RESET_AFTER_BYTES(false),
        /** The host stops reading: the receive window fills and closes. */
        STALL(false),
        /** The receive window never exceeds N bytes (parameter): a slow reader. */
        WINDOW(false),
        /** Once established, the host forgets the connection without a word; the next segment gets RST. */
        HALF_OPEN(false),
        /** A time (parameter, nanoseconds) after the handshake the host resets the connection. */
        RESET_AFTER_TIME(false),
        /** The host's FIN leaves only a time (parameter, nanoseconds) after the application closed. */
        SLOW_CLOSE(false),
        /** The byte at this offset (parameter) of what the host sends is flipped, under a valid checksum. */
        CORRUPT_AT(false),
        /**
         * After N bytes sent (parameter) and acknowledged, when it has more to send, the host resets the
         * connection: a download cut mid-body.
         */
        RESET_AFTER_BYTES_SENT(false);

        /** Decided per SYN (no connection is made) rather than per connection. */
        final boolean perSyn;

        Kind(boolean perSyn) {
            this.perSyn = perSyn;
        }
    }

    /** One fault: its kind, parameter (see {@link Kind}; 0 when it takes none) and selector. */
    public record Rule(Kind kind, long parameter, Selector selector) {
        public Rule {
            Selector.checked(selector);
        }
    }

    private final Rule[] rules;
    /** Each rule's counting or drawing, from generators split from the seed: a run replays. */
    private final Selections selections;

    public ConnectionFaults(List<Rule> rules, long seed) {
        this.rules = rules.toArray(new Rule[0]);
        this.selections = new Selections(rules.stream().map(Rule::selector).toArray(Selector[]::new), seed);
    }

    /** No faults; one instance serves every listener without any, since it has nothing to count or draw. */
    private static final ConnectionFaults NONE = new ConnectionFaults(List.of(), 0);

    public static ConnectionFaults none() {
        return NONE;
    }

    public boolean isEmpty() {
        return rules.length == 0;
    }

    /** The per-SYN fault that hits this SYN, or null. Each rule's selector counts or draws once per SYN. */
    Kind decideForSyn() {
        Kind hit = null;
        for (int i = 0; i < rules.length; i++) {
            if (rules[i].kind().perSyn && selects(i) && hit == null) {
                hit = rules[i].kind();
            }
        }
        return hit;
    }

    /** The per-connection faults for a new connection, as a bit set over {@link Kind#ordinal()}. */
    int decideForConnection() {
        int mask = 0;
        for (int i = 0; i < rules.length; i++) {
            if (!rules[i].kind().perSyn && selects(i)) {
                mask |= 1 << rules[i].kind().ordinal();
            }
        }
        return mask;
    }

    /** The parameter of the first rule of {@code kind}, or {@code fallback}. */
    long parameter(Kind kind, long fallback) {
        for (Rule rule : rules) {
            if (rule.kind() == kind) {
                return rule.parameter() > 0 ? rule.parameter() : fallback;
            }
        }
        return fallback;
    }

    private boolean selects(int i) {
        return selections.selects(i);
    }

    static boolean has(int mask, Kind kind) {
        return (mask & (1 << kind.ordinal())) != 0;
    }
}
