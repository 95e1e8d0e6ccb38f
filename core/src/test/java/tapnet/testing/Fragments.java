package tapnet.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tapnet.wire.InternetChecksum;

/**
 * IPv4 fragments made and joined by the tests themselves, byte by byte, independent of the engine's
 * fragmenter and reassembly: what a kernel would send, and what it would make of tapnet's fragments.
 */
public final class Fragments {
    private static final int ETH = 14;

    private Fragments() {
    }

    private static int ihl(byte[] frame) {
        return (frame[ETH] & 0xf) * 4;
    }

    private static int u16(byte[] frame, int at) {
        return (frame[at] & 0xff) << 8 | frame[at + 1] & 0xff;
    }

    private static void putU16(byte[] frame, int at, int value) {
        frame[at] = (byte) (value >>> 8);
        frame[at + 1] = (byte) value;
    }

    /** The fragment offset of an IPv4 frame, in bytes. */
    public static int offset(byte[] frame) {
        return (u16(frame, ETH + 6) & 0x1fff) * 8;
    }

    public static boolean moreFragments(byte[] frame) {
        return (u16(frame, ETH + 6) & 0x2000) != 0;
    }

    public static boolean dontFragment(byte[] frame) {
        return (u16(frame, ETH + 6) & 0x4000) != 0;
    }

    public static int identification(byte[] frame) {
        return u16(frame, ETH + 4);
    }

    /** Whether the IPv4 frame is a piece of a datagram. */
    public static boolean isFragment(byte[] frame) {
        return offset(frame) != 0 || moreFragments(frame);
    }

    /** Bytes {@code from} to {@code from + length} of the IPv4 datagram {@code whole}'s payload, as one fragment. */
    public static byte[] piece(byte[] whole, int from, int length, boolean more) {
        int header = ETH + ihl(whole);
        byte[] frame = new byte[header + length];
        System.arraycopy(whole, 0, frame, 0, header);
        System.arraycopy(whole, header + from, frame, header, length);
        putU16(frame, ETH + 2, header - ETH + length);
        putU16(frame, ETH + 6, (more ? 0x2000 : 0) | from / 8);
        return withChecksum(frame);
    }

    /** The datagram {@code whole} cut into fragments of {@code size} payload bytes (a multiple of 8), in order. */
    public static List<byte[]> cut(byte[] whole, int size) {
        int payload = u16(whole, ETH + 2) - ihl(whole);
        List<byte[]> pieces = new ArrayList<>();
        for (int at = 0; at < payload; at += size) {
            int length = Math.min(size, payload - at);
            pieces.add(piece(whole, at, length, at + length < payload));
        }
        return pieces;
    }

    /**
     * The datagram the fragments (in any order) make, as a frame: the first one's headers, the payloads in
     * order, total length and flags fixed. Fails unless they are one datagram's, whole, without overlap.
     */
    public static byte[] join(List<byte[]> fragments) {
        List<byte[]> sorted = new ArrayList<>(fragments);
        sorted.sort(Comparator.comparingInt(Fragments::offset));
        byte[] first = sorted.get(0);
        if (offset(first) != 0) {
            throw new AssertionError("no first fragment");
        }
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (byte[] f : sorted) {
            if (identification(f) != identification(first)) {
                throw new AssertionError("fragments of two datagrams: " + identification(f) + ", " + identification(first));
            }
            if (offset(f) != payload.size()) {
                throw new AssertionError("fragment at " + offset(f) + " after " + payload.size() + " bytes");
            }
            int header = ETH + ihl(f);
            payload.write(f, header, u16(f, ETH + 2) - ihl(f));
        }
        if (moreFragments(sorted.get(sorted.size() - 1))) {
            throw new AssertionError("the last fragment says more follow");
        }
        int header = ETH + ihl(first);
        byte[] whole = new byte[header + payload.size()];
        System.arraycopy(first, 0, whole, 0, header);
        System.arraycopy(payload.toByteArray(), 0, whole, header, payload.size());
        putU16(whole, ETH + 2, header - ETH + payload.size());
        putU16(whole, ETH + 6, 0);
        return withChecksum(whole);
    }

    /** The frames' bytes, each as the sink captured it. */
    public static List<byte[]> raw(List<Decoded> frames) {
        return frames.stream().map(Decoded::raw).toList();
    }

    private static byte[] withChecksum(byte[] frame) {
        putU16(frame, ETH + 10, 0);
        putU16(frame, ETH + 10, InternetChecksum.of(ByteBuffer.wrap(frame), ETH, ihl(frame)));
        return frame;
    }
}
