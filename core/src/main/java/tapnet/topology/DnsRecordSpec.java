package tapnet.topology;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import tapnet.wire.DnsNames;
import tapnet.wire.Ipv4Address;

/**
 * One record the DNS server serves besides the nodes' own: {@code { name: www, type: CNAME, value: web }}.
 * A name is relative to the domain unless it ends with a dot or with the domain; {@code @} is the domain.
 * The value is written as in a zone file (RFC 1035 §5.1): A {@code 10.77.0.20}; AAAA {@code fd00::20};
 * CNAME a name; TXT any text; SRV {@code priority weight port target}; MX {@code preference exchange}.
 *
 * @param ttl seconds; {@link #INHERIT} for the server's TTL
 */
public record DnsRecordSpec(String name, Type type, int ttl, String value) {
    public static final int INHERIT = -1;
    /** RFC 2181 §8: a TTL is 0 to 2^31 - 1 seconds. */
    public static final long MAX_TTL = Integer.MAX_VALUE;

    /** The record types a file may add. */
    public enum Type {
        A, AAAA, CNAME, TXT, SRV, MX;

        /** The types, as a file spells them: "A, AAAA, CNAME, TXT, SRV or MX". */
        public static String spelled() {
            return "A, AAAA, CNAME, TXT, SRV or MX";
        }
    }

    public DnsRecordSpec {
        String problem = nameProblem(name);
        if (problem == null && ttl != INHERIT) {
            problem = ttlProblem(ttl);
        }
        if (problem == null) {
            problem = valueProblem(type, value);
        }
        if (problem != null) {
            throw new IllegalArgumentException("invalid DNS record: " + problem);
        }
    }

    /** Null when {@code name} may own a record (relative, absolute or {@code @}); else what is wrong. */
    public static String nameProblem(String name) {
        if ("@".equals(name)) {
            return null;
        }
        return name == null || name.equals(".") ? "'" + name + "' is not a record's name; expected a name like www or @"
                : DnsNames.problem(name);
    }

    public static String ttlProblem(long ttl) {
        return ttl < 0 || ttl > MAX_TTL ? "TTL " + ttl + " is out of range; expected 0 to " + MAX_TTL + " seconds" : null;
    }

    /** Null when {@code value} is a value of {@code type}, else what is wrong with it, with an example. */
    public static String valueProblem(Type type, String value) {
        if (value == null) {
            return "a " + type + " record has no value";
        }
        String[] f = value.strip().split("\\s+");
        return switch (type) {
            case A -> ipv4(value) == null ? "'" + value + "' is not an IPv4 address; expected one like 10.77.0.20" : null;
            case AAAA -> ipv6(value) == null ? "'" + value + "' is not an IPv6 address; expected one like fd00::20" : null;
            case CNAME -> DnsNames.problem(value);
            case TXT -> value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 4000
                    ? "a TXT value of more than 4000 bytes would not fit a reply" : null;
            case SRV -> f.length != 4 || !isU16(f[0]) || !isU16(f[1]) || !isU16(f[2]) || DnsNames.problem(f[3]) != null
                    ? "'" + value + "' is not an SRV value; expected priority, weight, port (0 to 65535) and target, like 10 5 80 web"
                    : null;
            case MX -> f.length != 2 || !isU16(f[0]) || DnsNames.problem(f[1]) != null
                    ? "'" + value + "' is not an MX value; expected a preference (0 to 65535) and a host, like 10 mail" : null;
        };
    }

    private static boolean isU16(String text) {
        return text.matches("\\d{1,5}") && Integer.parseInt(text) <= 0xffff;
    }

    /** The value's whitespace-separated fields, for SRV and MX. */
    public List<String> fields() {
        return List.of(value.strip().split("\\s+"));
    }

    /** An A record's address. */
    public int ipv4() {
        return ipv4(value);
    }

    /** An AAAA record's 16 bytes. */
    public byte[] ipv6Bytes() {
        return ipv6(value);
    }

    private static byte[] ipv6(String text) {
        String t = text.strip();
        if (!t.contains(":") || !t.matches("[0-9A-Fa-f:.]+")) {
            return null; // only literals: never a lookup
        }
        try {
            InetAddress address = InetAddress.getByName(t);
            return address instanceof Inet6Address ? address.getAddress() : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Dotted-quad text as an address, or null: read without throwing. */
    private static Integer ipv4(String text) {
        try {
            return Ipv4Address.parse(text.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The type as a file spells it, any case; null when it is none of {@link Type}. */
    public static Type type(String text) {
        try {
            return Type.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
