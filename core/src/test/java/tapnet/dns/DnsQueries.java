package tapnet.dns;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Queries as stub resolvers send them (RFC 1035 §4.1): RD set, one question, an OPT record when asked. */
public final class DnsQueries {
    private DnsQueries() {
    }

    /** A query for {@code name} (as written, case kept); {@code ednsSize} 0 for none. */
    public static byte[] query(int id, String name, int type, int ednsSize) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        u16(out, id);
        u16(out, 0x0100);
        u16(out, 1);
        u16(out, 0);
        u16(out, 0);
        u16(out, ednsSize > 0 ? 1 : 0);
        for (String label : name.split("\\.")) {
            out.write(label.length());
            out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        out.write(0);
        u16(out, type);
        u16(out, 1);
        if (ednsSize > 0) {
            out.write(0);
            u16(out, 41);
            u16(out, ednsSize);
            u16(out, 0);
            u16(out, 0);
            u16(out, 0);
        }
        return out.toByteArray();
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    /** {@code message} as it goes over TCP: after a two-byte length (RFC 1035 §4.2.2). */
    public static byte[] framed(byte[] message) {
        byte[] out = new byte[2 + message.length];
        out[0] = (byte) (message.length >>> 8);
        out[1] = (byte) message.length;
        System.arraycopy(message, 0, out, 2, message.length);
        return out;
    }

    /** The whole messages of a TCP stream, each after its two-byte length. */
    public static java.util.List<byte[]> unframe(byte[] stream) {
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        int at = 0;
        while (at + 2 <= stream.length) {
            int length = (stream[at] & 0xff) << 8 | stream[at + 1] & 0xff;
            out.add(java.util.Arrays.copyOfRange(stream, at + 2, at + 2 + length));
            at += 2 + length;
        }
        return out;
    }
}
