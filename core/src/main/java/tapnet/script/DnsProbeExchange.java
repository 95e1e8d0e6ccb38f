package tapnet.script;

import tapnet.topology.ProbeSpec;
import tapnet.wire.DnsMessage;
import tapnet.wire.DnsNames;

/**
 * What a dns probe sends and how it reads the answer, whoever carries the datagrams (a kernel socket or a
 * virtual host): one plain query (RFC 1035 §4.1: RD set, no EDNS0, so at most 512 bytes come back), and
 * the sample its answer makes. An answer counts only with the query's id, QR set and the question echoed
 * (RFC 5452 §9.1: what a resolver checks before it believes a datagram); anything else is not it, and the
 * sample goes on waiting. Cold path: a few queries a second, so plain arrays.
 *
 * <p>The sample is ok for NOERROR, also with no record of the type (NODATA: the name exists, the server
 * answered; outcome {@code no data}); else it failed with the rcode's name, {@code NXDOMAIN}, {@code SERVFAIL}.
 * A truncated answer (TC) is timed and judged by its rcode like any other, its outcome {@code truncated}:
 * asking again over TCP is a resolver's job, not what the probe measures.
 */
public final class DnsProbeExchange {
    public static final int PORT = 53;
    /** RFC 1035 §4.1.1, RFC 2136 §2.2 (codes 6 to 10); DNS_RCODE_NAMES of the IANA registry. */
    private static final String[] RCODES = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
            "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"};
    private static final int FLAG_QR = 0x8000;
    private static final int FLAG_TC = 0x0200;
    private static final int FLAG_RD = 0x0100;

    private DnsProbeExchange() {
    }

    /** The query for {@code question} with {@code id}: header, then the one question, class IN. */
    public static byte[] query(ProbeSpec.DnsQuery question, int id) {
        byte[] name = DnsNames.encode(question.name());
        byte[] query = new byte[DnsMessage.HEADER_LENGTH + name.length + 4];
        putU16(query, 0, id);
        putU16(query, 2, FLAG_RD);
        putU16(query, 4, 1);
        System.arraycopy(name, 0, query, DnsMessage.HEADER_LENGTH, name.length);
        putU16(query, DnsMessage.HEADER_LENGTH + name.length, question.typeCode());
        putU16(query, DnsMessage.HEADER_LENGTH + name.length + 2, DnsMessage.CLASS_IN);
        return query;
    }

    /**
     * The sample the datagram in {@code answer[0, length)} makes of a query sent as {@code query} (its bytes,
     * the id and question in them), {@code millis} after it was sent; null when it is no answer to it.
     */
    public static RunReport.Sample judge(byte[] query, byte[] answer, int length, long atNanos, double millis) {
        if (length < DnsMessage.HEADER_LENGTH || u16(answer, 0) != u16(query, 0)) {
            return null;
        }
        int flags = u16(answer, 2);
        int questions = u16(answer, 4);
        if ((flags & FLAG_QR) == 0 || questions > 1 || questions == 1 && !echoes(query, answer, length)) {
            return null; // no question at all is how a server answers one it could not read (FORMERR): taken
        }
        int rcode = flags & 0xf;
        boolean truncated = (flags & FLAG_TC) != 0;
        if (rcode == DnsMessage.RCODE_NOERROR) {
            return new RunReport.Sample(atNanos, true, millis, truncated ? "truncated" : u16(answer, 6) == 0 ? "no data" : "ok");
        }
        return new RunReport.Sample(atNanos, false, Double.NaN, rcodeName(rcode) + (truncated ? " truncated" : ""));
    }

    /** {@code NXDOMAIN} for 3; {@code RCODE 12} for a code without a name here. */
    public static String rcodeName(int rcode) {
        return rcode >= 0 && rcode < RCODES.length ? RCODES[rcode] : "RCODE " + rcode;
    }

    /**
     * Whether the answer's question is the query's, the name's letters in any case (RFC 4343). Type and class
     * compare the same way: no type a probe asks for has a byte that is a letter.
     */
    private static boolean echoes(byte[] query, byte[] answer, int length) {
        if (length < query.length) {
            return false;
        }
        for (int i = DnsMessage.HEADER_LENGTH; i < query.length; i++) {
            if (lower(answer[i]) != lower(query[i])) {
                return false;
            }
        }
        return true;
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }

    private static int u16(byte[] bytes, int at) {
        return (bytes[at] & 0xff) << 8 | bytes[at + 1] & 0xff;
    }

    private static void putU16(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >>> 8);
        bytes[at + 1] = (byte) value;
    }
}
