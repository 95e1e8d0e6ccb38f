package tapnet.wire;

import java.nio.ByteBuffer;

/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit words.
 * Sums are accumulated in a {@code long} four bytes at a time (read eight at once) and folded once at the end, which gives
 * the same result as summing 16-bit words (RFC 1071 §2 (B), byte order independence and deferred carries).
 */
public final class InternetChecksum {
    private InternetChecksum() {
    }

    /** Unfolded sum of {@code length} bytes starting at absolute index {@code offset}, added to {@code sum}. */
    public static long add(long sum, ByteBuffer buffer, int offset, int length) {
        int i = offset;
        int end = offset + length;
        // Two 32-bit words per read, four reads a round into sums of their own: the additions do not wait on
        // each other (a fifth faster on 64 KB than one sum, measured), and none overflows below 2^31 bytes.
        long second = 0;
        long third = 0;
        long fourth = 0;
        while (end - i >= 32) {
            long a = buffer.getLong(i);
            long b = buffer.getLong(i + 8);
            long c = buffer.getLong(i + 16);
            long d = buffer.getLong(i + 24);
            sum += (a >>> 32) + (a & 0xffff_ffffL);
            second += (b >>> 32) + (b & 0xffff_ffffL);
            third += (c >>> 32) + (c & 0xffff_ffffL);
            fourth += (d >>> 32) + (d & 0xffff_ffffL);
            i += 32;
        }
        sum += second + third + fourth;
        while (end - i >= 8) {
            long words = buffer.getLong(i);
            sum += (words >>> 32) + (words & 0xffff_ffffL);
            i += 8;
        }
        if (end - i >= 4) {
            sum += buffer.getInt(i) & 0xffff_ffffL;
            i += 4;
        }
        if (end - i >= 2) {
            sum += buffer.getShort(i) & 0xffff;
            i += 2;
        }
        if (i < end) {
            sum += (buffer.get(i) & 0xff) << 8;
        }
        return sum;
    }

    /** Unfolded sum of the IPv4 pseudo-header that TCP and UDP checksums cover (RFC 9293 §3.1). */
    public static long pseudoHeader(int source, int destination, int protocol, int transportLength) {
        return (source & 0xffff_ffffL) + (destination & 0xffff_ffffL) + protocol + transportLength;
    }

    /** Folds a sum to 16 bits and complements it: the value to store in a checksum field. */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** The checksum of a region: {@code finish(add(0, ...))}. A region that holds its own correct checksum gives 0. */
    public static int of(ByteBuffer buffer, int offset, int length) {
        return finish(add(0, buffer, offset, length));
    }

    /**
     * Checksum of a TCP or UDP segment with its pseudo-header, given the sum of its two addresses (IPv4 or
     * IPv6: the pseudo-headers differ only in how long the addresses are); 0 means a received one is intact.
     */
    public static int ofTransport(ByteBuffer buffer, int offset, int length, long addressSum, int protocol) {
        return finish(add(addressSum + protocol + length, buffer, offset, length));
    }

    /** Checksum of a TCP or UDP segment with its pseudo-header; 0 means a received segment is intact. */
    public static int ofTransport(ByteBuffer buffer, int offset, int length, int source, int destination, int protocol) {
        return finish(add(pseudoHeader(source, destination, protocol, length), buffer, offset, length));
    }
}
