package tapnet.wire;

import java.nio.ByteBuffer;

/**
 * ICMPv6 (RFC 4443): echo, the errors hosts and routers send and read, and the neighbour discovery
 * messages (RFC 4861) whose bodies {@link NeighborDiscovery} reads. Its checksum covers the IPv6
 * pseudo-header, whose sum the caller gives.
 */
public final class Icmpv6Message extends BufferView {
    public static final int HEADER_LENGTH = 8;
    public static final int TYPE_DESTINATION_UNREACHABLE = 1;
    public static final int TYPE_PACKET_TOO_BIG = 2;
    public static final int TYPE_TIME_EXCEEDED = 3;
    public static final int TYPE_PARAMETER_PROBLEM = 4;
    public static final int TYPE_ECHO_REQUEST = 128;
    public static final int TYPE_ECHO_REPLY = 129;
    public static final int TYPE_ROUTER_SOLICITATION = 133;
    public static final int TYPE_ROUTER_ADVERTISEMENT = 134;
    public static final int TYPE_NEIGHBOR_SOLICITATION = 135;
    public static final int TYPE_NEIGHBOR_ADVERTISEMENT = 136;
    public static final int TYPE_REDIRECT = 137;
    /** Destination unreachable codes (RFC 4443 §3.1). */
    public static final int CODE_NO_ROUTE = 0;
    public static final int CODE_ADDRESS_UNREACHABLE = 3;
    public static final int CODE_PORT_UNREACHABLE = 4;
    /** Time exceeded codes (§3.3). */
    public static final int CODE_HOP_LIMIT = 0;
    public static final int CODE_REASSEMBLY_TIME = 1;
    /** Parameter problem codes (§3.4; 3 from RFC 7112). */
    public static final int CODE_ERRONEOUS_FIELD = 0;
    public static final int CODE_UNRECOGNIZED_NEXT_HEADER = 1;
    public static final int CODE_UNRECOGNIZED_OPTION = 2;
    public static final int CODE_INCOMPLETE_CHAIN = 3;

    private static final int TYPE = 0;
    private static final int CODE = 1;
    private static final int CHECKSUM = 2;
    private static final int REST = 4;

    /** Whether {@code type} is an error message (RFC 4443 §2.1: types 0-127): no error is sent about one. */
    public static boolean isError(int type) {
        return type < 128;
    }

    public Icmpv6Message wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    public boolean isComplete() {
        return length >= HEADER_LENGTH;
    }

    /** Whether the checksum is right, given the pseudo-header's sum ({@link Ipv6Packet#pseudoHeader}). */
    public boolean isChecksumValid(long pseudoHeader) {
        return InternetChecksum.finish(InternetChecksum.add(pseudoHeader, buffer, offset, length)) == 0;
    }

    public int type() {
        return u8(TYPE);
    }

    public int code() {
        return u8(CODE);
    }

    /** The 4 bytes after type, code and checksum: echo identifier and sequence, an MTU, a pointer. */
    public int restOfHeader() {
        return i32(REST);
    }

    public int identifier() {
        return u16(REST);
    }

    public int sequence() {
        return u16(REST + 2);
    }

    public int payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    public int payloadLength() {
        return length - HEADER_LENGTH;
    }

    /**
     * Writes type, code and the rest of the header, then the checksum over the whole message and the
     * pseudo-header's sum; the body must already be in place.
     */
    public Icmpv6Message writeHeader(int type, int code, int restOfHeader, long pseudoHeader) {
        putU8(TYPE, type);
        putU8(CODE, code);
        putU16(CHECKSUM, 0);
        putI32(REST, restOfHeader);
        putU16(CHECKSUM, InternetChecksum.finish(InternetChecksum.add(pseudoHeader, buffer, offset, length)));
        return this;
    }
}
