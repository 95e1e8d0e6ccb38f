package tapnet.topology;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import tapnet.wire.DnsNames;

/**
 * A named, periodic measurement: every {@code every}, from {@code from} (the kernel of the TAP's namespace:
 * {@code tap}; a port, whose namespace's kernel it uses; or a virtual host, with tapnet's own TCP), one
 * sample of {@code kind} against {@code target}.
 *
 * @param target  {@code 10.77.0.10} (ping), {@code 10.77.0.10:80} (connect, bulk), {@code http://10.77.0.10/} (http),
 *                a counter's name (counter) or the absolute name queried, {@code db.shop.test} (dns)
 * @param timeout how long one sample may take before it counts as timed out
 * @param bytes   what a bulk sample sends (0 for the other kinds)
 * @param dns     what a dns sample asks and whom; null for the other kinds
 */
public record ProbeSpec(String name, Kind kind, String target, String from, Duration every, Duration timeout, long bytes,
                        DnsQuery dns) {
    /** What a probe measures; each sample's value is in {@link #unit()}. */
    public enum Kind {
        /** ICMP echo: round-trip time; lost when no reply comes within the timeout. */
        PING("ms"),
        /** TCP connect: time to established; refused (RST) or timed out otherwise. */
        CONNECT("ms"),
        /** HTTP GET: time to the whole answer; ok for a 2xx status. */
        HTTP("ms"),
        /** Bulk transfer: sends {@code bytes} and measures goodput. */
        BULK("Mbit/s"),
        /** One DNS query over UDP: time to the answer; ok for NOERROR, else failed with the rcode's name. */
        DNS("ms"),
        /** One of tapnet's own counters (target: its name, {@code drop.link_loss}): its value over time. */
        COUNTER("count");

        private final String unit;

        Kind(String unit) {
            this.unit = unit;
        }

        public String unit() {
            return unit;
        }
    }

    public ProbeSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(every, "every");
        Objects.requireNonNull(timeout, "timeout");
        if ((kind == Kind.DNS) != (dns != null)) {
            throw new IllegalArgumentException("a dns probe, and only one, has a DNS query");
        }
    }

    /** A probe of any kind but dns. */
    public ProbeSpec(String name, Kind kind, String target, String from, Duration every, Duration timeout, long bytes) {
        this(name, kind, target, from, every, timeout, bytes, null);
    }

    /**
     * The question a dns probe asks, class IN, and the server it asks (the topology's, UDP port 53).
     *
     * @param name   absolute, lower case, without the final dot: {@code db.shop.test}
     * @param type   the record type's name, one of {@link #TYPES}
     * @param server the DNS server's IPv4 address
     */
    public record DnsQuery(String name, String type, int server) {
        /** The record types a probe may ask for, by name, with their codes (RFC 1035 §3.2.2, RFC 3596, RFC 2782). */
        public static final List<String> TYPES = List.of("A", "AAAA", "CNAME", "TXT", "SRV", "MX", "PTR");
        private static final int[] CODES = {1, 28, 5, 16, 33, 15, 12};

        public DnsQuery {
            Objects.requireNonNull(name, "name");
            String problem = DnsNames.problem(name);
            if (problem != null) {
                throw new IllegalArgumentException("invalid DNS probe name: " + problem);
            }
            if (!TYPES.contains(type)) {
                throw new IllegalArgumentException("no DNS record type " + type + "; expected one of " + TYPES);
            }
        }

        /** The type's code in a question. */
        public int typeCode() {
            return CODES[TYPES.indexOf(type)];
        }
    }
}
