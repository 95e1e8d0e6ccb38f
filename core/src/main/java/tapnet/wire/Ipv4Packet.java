package tapnet.wire;

import java.nio.ByteBuffer;

/** IPv4 header (RFC 791). Options are skipped, never interpreted. */
public final class Ipv4Packet extends BufferView {
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int PROTOCOL_ICMP = 1;
    public static final int PROTOCOL_TCP = 6;
    public static final int PROTOCOL_UDP = 17;

    private static final int VERSION_IHL = 0;
    private static final int TOS = 1;
    private static final int TOTAL_LENGTH = 2;
    private static final int IDENTIFICATION = 4;
    private static final int FLAGS_FRAGMENT = 6;
    private static final int TTL = 8;
    private static final int PROTOCOL = 9;
    private static final int CHECKSUM = 10;
    private static final int SOURCE = 12;
    private static final int DESTINATION = 16;

    private static final int FLAG_RESERVED = 0x8000;
    private static final int FLAG_DONT_FRAGMENT = 0x4000;
    private static final int FLAG_MORE_FRAGMENTS = 0x2000;
    private static final int FRAGMENT_OFFSET_MASK = 0x1fff;

    /** What {@link #check()} found. */
    public enum Validity { VALID, MALFORMED, BAD_CHECKSUM }

    public Ipv4Packet wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /**
     * Checks, in this order, that the header is whole, is version 4, that its header and total lengths fit
     * the region, and that the header checksum is right. Trailing bytes beyond the total length (Ethernet
     * padding) are allowed.
     */
    public Validity check() {
        if (length < MIN_HEADER_LENGTH || version() != 4) {
            return Validity.MALFORMED;
        }
        int headerLength = headerLength();
        int totalLength = totalLength();
        if (headerLength < MIN_HEADER_LENGTH || headerLength > totalLength || totalLength > length) {
            return Validity.MALFORMED;
        }
        if (InternetChecksum.of(buffer, offset, headerLength) != 0) {
            return Validity.BAD_CHECKSUM;
        }
        return Validity.VALID;
    }

    public int version() {
        return u8(VERSION_IHL) >>> 4;
    }

    /** Header length in bytes (IHL × 4). */
    public int headerLength() {
        return (u8(VERSION_IHL) & 0xf) * 4;
    }

    public int typeOfService() {
        return u8(TOS);
    }

    public int totalLength() {
        return u16(TOTAL_LENGTH);
    }

    public int identification() {
        return u16(IDENTIFICATION);
    }

    public Ipv4Packet setIdentification(int identification) {
        putU16(IDENTIFICATION, identification);
        return this;
    }

    /** The unfolded sum of the source and destination, as the TCP and UDP pseudo-header takes them. */
    public long addressSum() {
        return (source() & 0xffff_ffffL) + (destination() & 0xffff_ffffL);
    }

    /** The flag RFC 791 reserves, which must be zero. */
    public boolean reservedFlag() {
        return (u16(FLAGS_FRAGMENT) & FLAG_RESERVED) != 0;
    }

    public boolean dontFragment() {
        return (u16(FLAGS_FRAGMENT) & FLAG_DONT_FRAGMENT) != 0;
    }

    public boolean moreFragments() {
        return (u16(FLAGS_FRAGMENT) & FLAG_MORE_FRAGMENTS) != 0;
    }

    /** Fragment offset in bytes. */
    public int fragmentOffset() {
        return (u16(FLAGS_FRAGMENT) & FRAGMENT_OFFSET_MASK) * 8;
    }

    /** True for any piece of a fragmented datagram: more fragments follow, or this is not the first. */
    public boolean isFragment() {
        return (u16(FLAGS_FRAGMENT) & (FLAG_MORE_FRAGMENTS | FRAGMENT_OFFSET_MASK)) != 0;
    }

    public int ttl() {
        return u8(TTL);
    }

    public int protocol() {
        return u8(PROTOCOL);
    }

    /**
     * What a router does to a packet it forwards (RFC 1812 §5.3.1): the TTL one less, the header checksum
     * made again over the whole header (options included).
     */
    public Ipv4Packet decrementTtl() {
        putU8(TTL, ttl() - 1);
        return updateChecksum();
    }

    public int checksum() {
        return u16(CHECKSUM);
    }

    /** Sets the header length (a multiple of 4, 20 to 60); the checksum is left to {@link #updateChecksum}. */
    public Ipv4Packet setHeaderLength(int bytes) {
        putU8(VERSION_IHL, 0x40 | bytes / 4);
        return this;
    }

    public Ipv4Packet setTotalLength(int bytes) {
        putU16(TOTAL_LENGTH, bytes);
        return this;
    }

    /**
     * Makes the packet a fragment at {@code offsetBytes} (a multiple of 8) with more fragments following or
     * not, DF clear (RFC 791 §3.2); offset 0 without more fragments makes it whole again.
     */
    public Ipv4Packet setFragment(int offsetBytes, boolean moreFragments) {
        putU16(FLAGS_FRAGMENT, (moreFragments ? FLAG_MORE_FRAGMENTS : 0) | (offsetBytes / 8 & FRAGMENT_OFFSET_MASK));
        return this;
    }

    /** Makes the header checksum again over the whole header (options included), after fields changed. */
    public Ipv4Packet updateChecksum() {
        putU16(CHECKSUM, 0);
        putU16(CHECKSUM, InternetChecksum.of(buffer, offset, headerLength()));
        return this;
    }

    public int source() {
        return i32(SOURCE);
    }

    public int destination() {
        return i32(DESTINATION);
    }

    /** Absolute index of the payload, past any options. */
    public int payloadOffset() {
        return offset + headerLength();
    }

    /** Payload length as the header states it (total length minus header length). */
    public int payloadLength() {
        return totalLength() - headerLength();
    }

    /**
     * Writes a 20-byte header without options and with its checksum. {@code payloadLength} is the
     * transport's length; DF is set (a datagram too big for its MTU is then made into fragments, DF clear).
     */
    public Ipv4Packet writeHeader(int identification, int ttl, int protocol, int source, int destination, int payloadLength) {
        putU8(VERSION_IHL, 0x45);
        putU8(TOS, 0);
        putU16(TOTAL_LENGTH, MIN_HEADER_LENGTH + payloadLength);
        putU16(IDENTIFICATION, identification);
        putU16(FLAGS_FRAGMENT, FLAG_DONT_FRAGMENT);
        putU8(TTL, ttl);
        putU8(PROTOCOL, protocol);
        putU16(CHECKSUM, 0);
        putI32(SOURCE, source);
        putI32(DESTINATION, destination);
        putU16(CHECKSUM, InternetChecksum.of(buffer, offset, MIN_HEADER_LENGTH));
        return this;
    }
}
