package tapnet.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import tapnet.wire.DnsMessage;
import tapnet.wire.Ipv4Address;

/**
 * A reply as a test reads it: header fields and each answer as "owner TTL TYPE data", names decompressed.
 * An independent reader (allocating, plain), so the zone's writing is checked by other code than its own.
 */
record AnsweredReply(byte[] bytes, int length) {
    static AnsweredReply of(DnsZone zone, byte[] query, int maxSize) {
        ByteBuffer reply = ByteBuffer.allocate(2048);
        int length = zone.answer(ByteBuffer.wrap(query), 0, query.length, reply, 0, maxSize);
        byte[] bytes = new byte[length];
        reply.get(0, bytes);
        return new AnsweredReply(bytes, length);
    }

    /** As the zone answers a query that came over TCP: no 512-byte or EDNS0 limit, only {@code maxSize}. */
    static AnsweredReply overTcp(DnsZone zone, byte[] query, int maxSize) {
        ByteBuffer reply = ByteBuffer.allocate(0x10000);
        int length = zone.answerOverTcp(ByteBuffer.wrap(query), 0, query.length, reply, 0, maxSize);
        byte[] bytes = new byte[length];
        reply.get(0, bytes);
        return new AnsweredReply(bytes, length);
    }

    private int u16(int at) {
        return (bytes[at] & 0xff) << 8 | bytes[at + 1] & 0xff;
    }

    int id() {
        return u16(0);
    }

    int rcode() {
        return u16(2) & 0xf;
    }

    boolean authoritative() {
        return (u16(2) & 0x0400) != 0;
    }

    boolean truncated() {
        return (u16(2) & 0x0200) != 0;
    }

    /** The offset after the name at {@code at} as it sits. */
    private int skipName(int at) {
        while (true) {
            int b = bytes[at] & 0xff;
            if (b >= 0xc0) {
                return at + 2;
            }
            at += 1 + b;
            if (b == 0) {
                return at;
            }
        }
    }

    private String name(int at) {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = bytes[at] & 0xff;
            if (b >= 0xc0) {
                at = (b & 0x3f) << 8 | bytes[at + 1] & 0xff;
                continue;
            }
            if (b == 0) {
                return sb.length() == 0 ? "." : sb.toString();
            }
            sb.append(new String(bytes, at + 1, b, java.nio.charset.StandardCharsets.US_ASCII)).append('.');
            at += 1 + b;
        }
    }

    List<String> answers() {
        List<String> lines = new ArrayList<>();
        if (length < 12) {
            return lines;
        }
        int at = 12;
        for (int i = 0; i < u16(4); i++) {
            at = skipName(at) + 4;
        }
        for (int i = 0; i < u16(6); i++) {
            String owner = name(at);
            at = skipName(at);
            int type = u16(at);
            long ttl = ((long) u16(at + 4) << 16) | u16(at + 6);
            int rdlength = u16(at + 8);
            int rdata = at + 10;
            lines.add(owner + " " + ttl + " " + data(type, rdata, rdlength));
            at = rdata + rdlength;
        }
        return lines;
    }

    boolean hasOpt() {
        return u16(10) == 1 && u16(length - 11 + 1) == DnsMessage.TYPE_OPT;
    }

    /** The reply's length counted as if every answer's owner were a 2-byte pointer: equal when they all are. */
    int bytesWithCompressedOwners() {
        int at = 12;
        for (int i = 0; i < u16(4); i++) {
            at = skipName(at) + 4;
        }
        int total = at;
        for (int i = 0; i < u16(6); i++) {
            int next = skipName(at);
            int rdlength = u16(next + 8);
            total += 2 + 10 + rdlength;
            at = next + 10 + rdlength;
        }
        return total + (length - at);
    }

    private String data(int type, int at, int length) {
        switch (type) {
            case DnsMessage.TYPE_A:
                return "A " + Ipv4Address.format(ByteBuffer.wrap(bytes, at, 4).getInt());
            case DnsMessage.TYPE_AAAA:
                try {
                    byte[] a = new byte[16];
                    System.arraycopy(bytes, at, a, 0, 16);
                    return "AAAA " + InetAddress.getByAddress(a).getHostAddress();
                } catch (UnknownHostException e) {
                    throw new AssertionError(e);
                }
            case DnsMessage.TYPE_CNAME:
                return "CNAME " + name(at);
            case DnsMessage.TYPE_PTR:
                return "PTR " + name(at);
            case DnsMessage.TYPE_MX:
                return "MX " + u16(at) + " " + name(at + 2);
            case DnsMessage.TYPE_SRV:
                return "SRV " + u16(at) + " " + u16(at + 2) + " " + u16(at + 4) + " " + name(at + 6);
            case DnsMessage.TYPE_TXT:
                return "TXT \"" + new String(bytes, at + 1, bytes[at] & 0xff, java.nio.charset.StandardCharsets.UTF_8) + "\"";
            default:
                return "TYPE" + type + " (" + length + " bytes)";
        }
    }
}
