package tapnet.wire;

import java.nio.ByteBuffer;

/** The fixed IPv6 header (RFC 8200 §3). Extension headers are walked elsewhere; no jumbograms. */
public final class Ipv6Packet extends BufferView {
    public static final int HEADER_LENGTH = 40;
    public static final int NEXT_HOP_BY_HOP = 0;
    public static final int NEXT_TCP = 6;
    public static final int NEXT_UDP = 17;
    public static final int NEXT_FRAGMENT = 44;
    public static final int NEXT_ICMPV6 = 58;
    public static final int NEXT_NONE = 59;
    /** The smallest MTU every IPv6 link carries (RFC 8200 §5). */
    public static final int MIN_MTU = 1280;

    private static final int VERSION_CLASS_FLOW = 0;
    private static final int PAYLOAD_LENGTH = 4;
    private static final int NEXT_HEADER = 6;
    private static final int HOP_LIMIT = 7;
    /** Where the source address starts; the destination follows it. */
    public static final int SOURCE = 8;
    public static final int DESTINATION = 24;

    public Ipv6Packet wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /**
     * Whether the header is whole, version 6, and its payload length fits the region (trailing bytes, the
     * Ethernet padding, are allowed). A payload length of 0 would announce a jumbogram: refused.
     */
    public boolean isValid() {
        return length >= HEADER_LENGTH && version() == 6 && payloadLength() > 0
                && HEADER_LENGTH + payloadLength() <= length;
    }

    public int version() {
        return u8(VERSION_CLASS_FLOW) >>> 4;
    }

    public int payloadLength() {
        return u16(PAYLOAD_LENGTH);
    }

    public int nextHeader() {
        return u8(NEXT_HEADER);
    }

    public int hopLimit() {
        return u8(HOP_LIMIT);
    }

    /** A router's forwarding step (RFC 8200 §3): no checksum to mend. */
    public Ipv6Packet decrementHopLimit() {
        putU8(HOP_LIMIT, hopLimit() - 1);
        return this;
    }

    public long sourceHigh() {
        return buffer.getLong(offset + SOURCE);
    }

    public long sourceLow() {
        return buffer.getLong(offset + SOURCE + 8);
    }

    public long destinationHigh() {
        return buffer.getLong(offset + DESTINATION);
    }

    public long destinationLow() {
        return buffer.getLong(offset + DESTINATION + 8);
    }

    /** Absolute index of the first byte after the fixed header. */
    public int payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    /** Unfolded sum of the pseudo-header (RFC 8200 §8.1) for an upper layer of {@code length} bytes. */
    public long pseudoHeader(int nextHeader, int length) {
        return InternetChecksum.add(nextHeader + (long) length, buffer, offset + SOURCE, 32);
    }

    /** The unfolded sum of the source and destination, as the pseudo-header takes them. */
    public long addressSum() {
        return pseudoHeader(0, 0);
    }

    /** Writes the fixed header: traffic class and flow label 0, the addresses already sums of handles. */
    public Ipv6Packet writeHeader(int payloadLength, int nextHeader, int hopLimit) {
        putI32(VERSION_CLASS_FLOW, 6 << 28);
        putU16(PAYLOAD_LENGTH, payloadLength);
        putU8(NEXT_HEADER, nextHeader);
        putU8(HOP_LIMIT, hopLimit);
        return this;
    }

    public Ipv6Packet setPayloadLength(int payloadLength) {
        putU16(PAYLOAD_LENGTH, payloadLength);
        return this;
    }

    public Ipv6Packet setNextHeader(int nextHeader) {
        putU8(NEXT_HEADER, nextHeader);
        return this;
    }

    public Ipv6Packet setSource(long high, long low) {
        buffer.putLong(offset + SOURCE, high);
        buffer.putLong(offset + SOURCE + 8, low);
        return this;
    }

    public Ipv6Packet setDestination(long high, long low) {
        buffer.putLong(offset + DESTINATION, high);
        buffer.putLong(offset + DESTINATION + 8, low);
        return this;
    }
}
