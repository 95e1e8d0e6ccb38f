package tapnet.wire;

import java.nio.ByteBuffer;

/** TCP header (RFC 9293 §3.1), options and payload. Sequence numbers are raw 32-bit {@code int}s. */
public final class TcpSegment extends BufferView {
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MAX_HEADER_LENGTH = 60;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    private static final int SOURCE_PORT = 0;
    private static final int DESTINATION_PORT = 2;
    private static final int SEQUENCE = 4;
    private static final int ACKNOWLEDGMENT = 8;
    private static final int DATA_OFFSET = 12;
    private static final int FLAGS = 13;
    private static final int WINDOW = 14;
    /** Where the checksum lies in the header: what a virtio-net header's csum_offset says for TCP. */
    public static final int CHECKSUM_OFFSET = 16;
    private static final int CHECKSUM = CHECKSUM_OFFSET;
    private static final int URGENT_POINTER = 18;

    public TcpSegment wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /** True when the fixed header is whole and the data offset points inside the segment. */
    public boolean isWellFormed() {
        if (length < MIN_HEADER_LENGTH) {
            return false;
        }
        int headerLength = headerLength();
        return headerLength >= MIN_HEADER_LENGTH && headerLength <= length;
    }

    /** True when the checksum, with the IPv4 pseudo-header of these addresses, is right (RFC 9293 MUST-3). */
    public boolean isChecksumValid(int source, int destination) {
        return InternetChecksum.ofTransport(buffer, offset, length, source, destination, Ipv4Packet.PROTOCOL_TCP) == 0;
    }

    /** As above, with the sum of the pseudo-header's addresses (either family). */
    public boolean isChecksumValid(long addressSum) {
        return InternetChecksum.ofTransport(buffer, offset, length, addressSum, Ipv4Packet.PROTOCOL_TCP) == 0;
    }

    public int sourcePort() {
        return u16(SOURCE_PORT);
    }

    public int destinationPort() {
        return u16(DESTINATION_PORT);
    }

    public int sequenceNumber() {
        return i32(SEQUENCE);
    }

    public int acknowledgmentNumber() {
        return i32(ACKNOWLEDGMENT);
    }

    /** Header length in bytes, options included (data offset × 4). */
    public int headerLength() {
        return (u8(DATA_OFFSET) >>> 4) * 4;
    }

    /** The eight flag bits, CWR to FIN; see the constants. */
    public int flags() {
        return u8(FLAGS);
    }

    /**
     * Leaves the checksum partial, as an offloaded segment carries it: the pseudo-header's sum, folded and not
     * complemented (what the kernel's CHECKSUM_PARTIAL expects), from its unfolded {@code pseudoHeader}.
     */
    public TcpSegment writePartialChecksum(long pseudoHeader) {
        putU16(CHECKSUM, ~InternetChecksum.finish(pseudoHeader) & 0xffff);
        return this;
    }

    public TcpSegment setSequenceNumber(int sequence) {
        putI32(SEQUENCE, sequence);
        return this;
    }

    public TcpSegment setFlags(int flags) {
        putU8(FLAGS, flags);
        return this;
    }

    public boolean has(int flag) {
        return (u8(FLAGS) & flag) != 0;
    }

    public int window() {
        return u16(WINDOW);
    }

    public int checksum() {
        return u16(CHECKSUM);
    }

    public int urgentPointer() {
        return u16(URGENT_POINTER);
    }

    /** Absolute index of the first option byte. */
    public int optionsOffset() {
        return offset + MIN_HEADER_LENGTH;
    }

    public int optionsLength() {
        return headerLength() - MIN_HEADER_LENGTH;
    }

    /** Absolute index of the first payload byte. */
    public int payloadOffset() {
        return offset + headerLength();
    }

    public int payloadLength() {
        return length - headerLength();
    }

    /**
     * Sequence space the segment occupies: payload plus one each for SYN and FIN (RFC 9293 §3.4).
     */
    public int sequenceLength() {
        int flags = flags();
        return payloadLength() + ((flags & SYN) != 0 ? 1 : 0) + ((flags & FIN) != 0 ? 1 : 0);
    }

    /**
     * Writes the fixed header with a zero checksum. {@code headerLength} includes options, which the
     * caller writes at {@link #optionsOffset()}; see {@link TcpOptions}.
     */
    public TcpSegment writeHeader(int sourcePort, int destinationPort, int sequence, int acknowledgment,
                                  int headerLength, int flags, int window) {
        putU16(SOURCE_PORT, sourcePort);
        putU16(DESTINATION_PORT, destinationPort);
        putI32(SEQUENCE, sequence);
        putI32(ACKNOWLEDGMENT, acknowledgment);
        putU8(DATA_OFFSET, (headerLength / 4) << 4);
        putU8(FLAGS, flags);
        putU16(WINDOW, window);
        putU16(CHECKSUM, 0);
        putU16(URGENT_POINTER, 0);
        return this;
    }

    /** Computes and stores the checksum over the whole segment ({@link #length()} bytes) and pseudo-header. */
    public TcpSegment writeChecksum(int source, int destination) {
        return writeChecksum((source & 0xffff_ffffL) + (destination & 0xffff_ffffL));
    }

    /** As above, with the sum of the pseudo-header's addresses (either family). */
    public TcpSegment writeChecksum(long addressSum) {
        putU16(CHECKSUM, 0);
        putU16(CHECKSUM, InternetChecksum.ofTransport(buffer, offset, length, addressSum, Ipv4Packet.PROTOCOL_TCP));
        return this;
    }

    /**
     * Renders flags as tcpdump does ("S.", "F.", "R", "P.", "FS", ".U"), in its order F S R P . U E W, for
     * test messages and logs. Cold path.
     */
    public static String flagsToString(int flags) {
        StringBuilder sb = new StringBuilder();
        if ((flags & FIN) != 0) sb.append('F');
        if ((flags & SYN) != 0) sb.append('S');
        if ((flags & RST) != 0) sb.append('R');
        if ((flags & PSH) != 0) sb.append('P');
        if ((flags & ACK) != 0) sb.append('.');
        if ((flags & URG) != 0) sb.append('U');
        if ((flags & ECE) != 0) sb.append('E');
        if ((flags & CWR) != 0) sb.append('W');
        return sb.length() == 0 ? "none" : sb.toString();
    }
}
