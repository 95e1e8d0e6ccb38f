package tapnet.wire;

import java.nio.ByteBuffer;

/** ICMP for IPv4 (RFC 792): echo, and the errors virtual hosts and routers send and read. */
public final class IcmpMessage extends BufferView {
    public static final int HEADER_LENGTH = 8;
    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DESTINATION_UNREACHABLE = 3;
    public static final int TYPE_SOURCE_QUENCH = 4;
    public static final int TYPE_REDIRECT = 5;
    public static final int TYPE_ECHO_REQUEST = 8;
    public static final int TYPE_TIME_EXCEEDED = 11;
    public static final int TYPE_PARAMETER_PROBLEM = 12;
    public static final int CODE_HOST_UNREACHABLE = 1;
    /** Time exceeded: fragment reassembly time exceeded (RFC 792). */
    public static final int CODE_REASSEMBLY_TIME_EXCEEDED = 1;
    public static final int CODE_PROTOCOL_UNREACHABLE = 2;
    public static final int CODE_PORT_UNREACHABLE = 3;
    /** Destination unreachable: fragmentation needed and DF set (RFC 792; RFC 1191 adds the next-hop MTU). */
    public static final int CODE_FRAGMENTATION_NEEDED = 4;

    private static final int TYPE = 0;
    private static final int CODE = 1;
    private static final int CHECKSUM = 2;
    private static final int IDENTIFIER = 4;
    private static final int SEQUENCE = 6;

    /**
     * Whether {@code type} is an ICMP error message: no ICMP error is ever sent about one (RFC 1812
     * §4.3.2.7), so that errors do not beget errors.
     */
    public static boolean isError(int type) {
        return type == TYPE_DESTINATION_UNREACHABLE || type == TYPE_TIME_EXCEEDED || type == TYPE_SOURCE_QUENCH
                || type == TYPE_REDIRECT || type == TYPE_PARAMETER_PROBLEM;
    }

    public IcmpMessage wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    public boolean isComplete() {
        return length >= HEADER_LENGTH;
    }

    /** True when the checksum over the whole message is right. */
    public boolean isChecksumValid() {
        return InternetChecksum.of(buffer, offset, length) == 0;
    }

    public int type() {
        return u8(TYPE);
    }

    public int code() {
        return u8(CODE);
    }

    public int checksum() {
        return u16(CHECKSUM);
    }

    /** Echo identifier (echo request and reply only). */
    public int identifier() {
        return u16(IDENTIFIER);
    }

    /** Echo sequence number (echo request and reply only). */
    public int sequence() {
        return u16(SEQUENCE);
    }

    /** The 4 bytes after type, code and checksum, whatever the type makes of them. */
    public int restOfHeader() {
        return i32(IDENTIFIER);
    }

    public int payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    public int payloadLength() {
        return length - HEADER_LENGTH;
    }

    /**
     * Writes type, code and the rest of the header, then the checksum over the whole message; the payload
     * must already be in place.
     */
    public IcmpMessage writeHeader(int type, int code, int restOfHeader) {
        putU8(TYPE, type);
        putU8(CODE, code);
        putU16(CHECKSUM, 0);
        putI32(IDENTIFIER, restOfHeader);
        putU16(CHECKSUM, InternetChecksum.of(buffer, offset, length));
        return this;
    }
}
