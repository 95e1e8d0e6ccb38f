package tapnet.wire;

import java.nio.ByteBuffer;

/** UDP header (RFC 768). */
public final class UdpDatagram extends BufferView {
    public static final int HEADER_LENGTH = 8;

    private static final int SOURCE_PORT = 0;
    private static final int DESTINATION_PORT = 2;
    private static final int LENGTH = 4;
    private static final int CHECKSUM = 6;

    public UdpDatagram wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /** True when the header is whole and its length field covers the header and fits the region. */
    public boolean isWellFormed() {
        if (length < HEADER_LENGTH) {
            return false;
        }
        int stated = datagramLength();
        return stated >= HEADER_LENGTH && stated <= length;
    }

    /** Zero in the checksum field means the sender computed none, which IPv4 allows (RFC 768). */
    public boolean isChecksumValid(int source, int destination) {
        return isChecksumValid((source & 0xffff_ffffL) + (destination & 0xffff_ffffL), false);
    }

    /**
     * As above, with the sum of the pseudo-header's addresses; over IPv6 a zero checksum is no checksum
     * and the datagram is refused (RFC 8200 §8.1).
     */
    public boolean isChecksumValid(long addressSum, boolean ipv6) {
        return checksum() == 0 ? !ipv6
                : InternetChecksum.ofTransport(buffer, offset, datagramLength(), addressSum, Ipv4Packet.PROTOCOL_UDP) == 0;
    }

    public int sourcePort() {
        return u16(SOURCE_PORT);
    }

    public int destinationPort() {
        return u16(DESTINATION_PORT);
    }

    /** The length field: header plus payload. */
    public int datagramLength() {
        return u16(LENGTH);
    }

    public int checksum() {
        return u16(CHECKSUM);
    }

    public int payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    public int payloadLength() {
        return datagramLength() - HEADER_LENGTH;
    }

    /** Writes the header and the checksum; the payload must already be in place. */
    public UdpDatagram write(int sourcePort, int destinationPort, int payloadLength, int source, int destination) {
        return write(sourcePort, destinationPort, payloadLength, (source & 0xffff_ffffL) + (destination & 0xffff_ffffL));
    }

    /** As above, with the sum of the pseudo-header's addresses (either family). */
    public UdpDatagram write(int sourcePort, int destinationPort, int payloadLength, long addressSum) {
        int total = HEADER_LENGTH + payloadLength;
        putU16(SOURCE_PORT, sourcePort);
        putU16(DESTINATION_PORT, destinationPort);
        putU16(LENGTH, total);
        return writeChecksum(addressSum);
    }

    public UdpDatagram setDatagramLength(int length) {
        putU16(LENGTH, length);
        return this;
    }

    /**
     * Computes and stores the checksum over the datagram ({@link #datagramLength()} bytes) and the pseudo-header
     * of {@code addressSum}; a computed 0 is sent as all ones, 0 meaning "none" (RFC 768).
     */
    public UdpDatagram writeChecksum(long addressSum) {
        putU16(CHECKSUM, 0);
        int sum = InternetChecksum.ofTransport(buffer, offset, datagramLength(), addressSum, Ipv4Packet.PROTOCOL_UDP);
        putU16(CHECKSUM, sum == 0 ? 0xffff : sum);
        return this;
    }
}
