package tapnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TcpSegmentTest {
    private static final int TCP = 34;
    private final TcpSegment segment = new TcpSegment();

    /** Wraps the TCP segment of a captured frame: everything after the 20-byte IPv4 header. */
    private TcpSegment wrapCaptured(String hex) {
        ByteBuffer frame = Hex.buffer(hex);
        return segment.wrap(frame, TCP, frame.capacity() - TCP);
    }

    /**
     * A frame of {@code length} bytes over garbage, with its Ethernet and IPv4 headers written the way the
     * captured ones were: TTL 64, DF, no TOS (which is what Ipv4Packet.writeHeader can express).
     */
    private static ByteBuffer frameWithHeaders(int length, long destinationMac, long sourceMac, int ipIdentification,
                                               int source, int destination) {
        byte[] garbage = new byte[length];
        Arrays.fill(garbage, (byte) 0xa5);
        ByteBuffer frame = ByteBuffer.wrap(garbage);
        new EthernetFrame().wrap(frame, 0, length)
                .setDestination(destinationMac).setSource(sourceMac).setEtherType(EthernetFrame.TYPE_IPV4);
        new Ipv4Packet().wrap(frame, 14, length - 14)
                .writeHeader(ipIdentification, 64, Ipv4Packet.PROTOCOL_TCP, source, destination, length - TCP);
        return frame;
    }

    @Test
    void parsesEveryFieldOfCapturedSyn() {
        wrapCaptured(CapturedFrames.TCP_SYN);

        assertTrue(segment.isWellFormed());
        assertTrue(segment.isChecksumValid(CapturedFrames.IP_A, CapturedFrames.IP_B));
        assertEquals(36022, segment.sourcePort());
        assertEquals(7000, segment.destinationPort());
        assertEquals((int) 269377941L, segment.sequenceNumber());
        assertEquals(0, segment.acknowledgmentNumber());
        assertEquals(40, segment.headerLength());
        assertEquals(TcpSegment.SYN, segment.flags());
        assertTrue(segment.has(TcpSegment.SYN));
        assertFalse(segment.has(TcpSegment.ACK));
        assertEquals(64240, segment.window());
        assertEquals(0x10d6, segment.checksum());
        assertEquals(0, segment.urgentPointer());
        assertEquals(54, segment.optionsOffset());
        assertEquals(20, segment.optionsLength());
        assertEquals(74, segment.payloadOffset());
        assertEquals(0, segment.payloadLength());
        assertEquals(1, segment.sequenceLength());
    }

    @Test
    void parsesCapturedSynAckAcknowledgingTheSyn() {
        wrapCaptured(CapturedFrames.TCP_SYN_ACK);

        assertTrue(segment.isChecksumValid(CapturedFrames.IP_B, CapturedFrames.IP_A));
        assertEquals(7000, segment.sourcePort());
        assertEquals(36022, segment.destinationPort());
        assertEquals((int) 3786070535L, segment.sequenceNumber());
        assertEquals((int) 269377941L + 1, segment.acknowledgmentNumber());
        assertEquals(40, segment.headerLength());
        assertEquals(TcpSegment.SYN | TcpSegment.ACK, segment.flags());
        assertEquals(65160, segment.window());
        assertEquals(0x27e8, segment.checksum());
        assertEquals(1, segment.sequenceLength());
    }

    @Test
    void parsesCapturedPureAck() {
        wrapCaptured(CapturedFrames.TCP_ACK);

        assertTrue(segment.isChecksumValid(CapturedFrames.IP_A, CapturedFrames.IP_B));
        assertEquals((int) 269377942L, segment.sequenceNumber());
        assertEquals((int) 3786070536L, segment.acknowledgmentNumber());
        assertEquals(32, segment.headerLength());
        assertEquals(12, segment.optionsLength());
        assertEquals(TcpSegment.ACK, segment.flags());
        assertEquals(63, segment.window(), "unscaled: 63 << 10 bytes");
        assertEquals(0, segment.payloadLength());
        assertEquals(0, segment.sequenceLength());
    }

    @Test
    void parsesCapturedDataSegmentWithPush() {
        ByteBuffer frame = Hex.buffer(CapturedFrames.TCP_DATA);
        segment.wrap(frame, TCP, 45);

        assertTrue(segment.isWellFormed());
        assertTrue(segment.isChecksumValid(CapturedFrames.IP_A, CapturedFrames.IP_B));
        assertEquals(TcpSegment.PSH | TcpSegment.ACK, segment.flags());
        assertEquals((int) 269377942L, segment.sequenceNumber());
        assertEquals((int) 3786070536L, segment.acknowledgmentNumber());
        assertEquals(0xbcb4, segment.checksum());
        assertEquals(66, segment.payloadOffset());
        assertEquals(13, segment.payloadLength());
        assertEquals(13, segment.sequenceLength());
        byte[] payload = new byte[13];
        frame.get(segment.payloadOffset(), payload);
        assertEquals("hello tapnet\n", new String(payload, StandardCharsets.US_ASCII));
    }

    @Test
    void parsesCapturedFinAfterTheData() {
        wrapCaptured(CapturedFrames.TCP_FIN);

        assertTrue(segment.isChecksumValid(CapturedFrames.IP_A, CapturedFrames.IP_B));
        assertEquals(TcpSegment.FIN | TcpSegment.ACK, segment.flags());
        assertEquals((int) 269377942L + 13, segment.sequenceNumber());
        assertEquals(0, segment.payloadLength());
        assertEquals(1, segment.sequenceLength());
    }

    @Test
    void parsesCapturedResetFromAClosedPort() {
        // RFC 9293 §3.10.7.1: a SYN to a closed port gets <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
        wrapCaptured(CapturedFrames.TCP_RST_ACK);

        assertTrue(segment.isWellFormed());
        assertTrue(segment.isChecksumValid(CapturedFrames.IP_B, CapturedFrames.IP_A));
        assertEquals(7001, segment.sourcePort());
        assertEquals(56760, segment.destinationPort());
        assertEquals(0, segment.sequenceNumber());
        assertEquals((int) 4089528283L, segment.acknowledgmentNumber());
        assertEquals(20, segment.headerLength());
        assertEquals(0, segment.optionsLength());
        assertEquals(TcpSegment.RST | TcpSegment.ACK, segment.flags());
        assertEquals(0, segment.window());
        assertEquals(0x6d51, segment.checksum());
        assertEquals(0, segment.sequenceLength());
    }

    @Test
    void flagConstantsAreTheHeaderBitsOfRfc9293() {
        assertEquals(0x02, Hex.byteAt(CapturedFrames.TCP_SYN, TCP + 13));
        assertEquals(0x12, Hex.byteAt(CapturedFrames.TCP_SYN_ACK, TCP + 13));
        assertEquals(0x10, Hex.byteAt(CapturedFrames.TCP_ACK, TCP + 13));
        assertEquals(0x18, Hex.byteAt(CapturedFrames.TCP_DATA, TCP + 13));
        assertEquals(0x11, Hex.byteAt(CapturedFrames.TCP_FIN, TCP + 13));
        assertEquals(0x14, Hex.byteAt(CapturedFrames.TCP_RST_ACK, TCP + 13));
        assertEquals(0xff, TcpSegment.FIN | TcpSegment.SYN | TcpSegment.RST | TcpSegment.PSH
                | TcpSegment.ACK | TcpSegment.URG | TcpSegment.ECE | TcpSegment.CWR);
    }

    @Test
    void everyCapturedSegmentIsWellFormedWithAValidChecksum() {
        CapturedFrames.all().forEach((name, hex) -> {
            ByteBuffer frame = Hex.buffer(hex);
            Ipv4Packet ip = new Ipv4Packet().wrap(frame, 14, frame.capacity() - 14);
            if ((frame.getShort(12) & 0xffff) == EthernetFrame.TYPE_IPV4 && ip.protocol() == Ipv4Packet.PROTOCOL_TCP) {
                segment.wrap(frame, ip.payloadOffset(), ip.payloadLength());
                assertTrue(segment.isWellFormed(), name);
                assertTrue(segment.isChecksumValid(ip.source(), ip.destination()), name);
            }
        });
    }

    @Test
    void writesCapturedSynByteForByte() {
        byte[] captured = Hex.bytes(CapturedFrames.TCP_SYN);
        ByteBuffer frame = frameWithHeaders(74, CapturedFrames.MAC_B, CapturedFrames.MAC_A, 3374, CapturedFrames.IP_A, CapturedFrames.IP_B);

        segment.wrap(frame, TCP, 40).writeHeader(36022, 7000, (int) 269377941L, 0, 40, TcpSegment.SYN, 64240);
        int at = segment.optionsOffset();
        at += TcpOptions.writeMss(frame, at, 1460);
        // Linux packs SACK-permitted and timestamps into 12 bytes (04 02 08 0a ...) with no NOPs; TcpOptions'
        // writers align each option on its own (NOP NOP 04 02, NOP NOP 08 0a ...), so they cannot produce
        // this layout and these 12 bytes are copied from the capture. TcpOptionsTest parses both layouts.
        frame.put(at, captured, at, 12);
        at += 12;
        at += TcpOptions.writeWindowScale(frame, at, 10);
        segment.writeChecksum(CapturedFrames.IP_A, CapturedFrames.IP_B);

        assertEquals(74, at);
        assertEquals(Hex.plain(CapturedFrames.TCP_SYN), Hex.of(frame));
    }

    @Test
    void writesCapturedSynAckByteForByte() {
        byte[] captured = Hex.bytes(CapturedFrames.TCP_SYN_ACK);
        ByteBuffer frame = frameWithHeaders(74, CapturedFrames.MAC_A, CapturedFrames.MAC_B, 0, CapturedFrames.IP_B, CapturedFrames.IP_A);

        segment.wrap(frame, TCP, 40).writeHeader(7000, 36022, (int) 3786070535L, (int) 269377942L, 40,
                TcpSegment.SYN | TcpSegment.ACK, 65160);
        int at = segment.optionsOffset();
        at += TcpOptions.writeMss(frame, at, 1460);
        frame.put(at, captured, at, 12); // SACK-permitted + timestamps, Linux's layout (see the SYN above)
        at += 12;
        TcpOptions.writeWindowScale(frame, at, 10);
        segment.writeChecksum(CapturedFrames.IP_B, CapturedFrames.IP_A);

        assertEquals(Hex.plain(CapturedFrames.TCP_SYN_ACK), Hex.of(frame));
    }

    @Test
    void writesCapturedSynAckWithoutTimestampsEntirelyWithTheWriters() {
        ByteBuffer frame = frameWithHeaders(62, CapturedFrames.MAC_PEER, CapturedFrames.MAC_B, 0, CapturedFrames.IP_B, CapturedFrames.IP_PEER);

        segment.wrap(frame, TCP, 28).writeHeader(7003, 40000, (int) 1152700627L, 1001, 28, TcpSegment.SYN | TcpSegment.ACK, 64240);
        int at = segment.optionsOffset();
        at += TcpOptions.writeMss(frame, at, 1460);
        TcpOptions.writeSackPermitted(frame, at);
        segment.writeChecksum(CapturedFrames.IP_B, CapturedFrames.IP_PEER);

        assertEquals(Hex.plain(CapturedFrames.TCP_SYN_ACK_WITHOUT_TIMESTAMPS), Hex.of(frame));
    }

    @Test
    void writesCapturedPureAckByteForByte() {
        ByteBuffer frame = frameWithHeaders(66, CapturedFrames.MAC_B, CapturedFrames.MAC_A, 3375, CapturedFrames.IP_A, CapturedFrames.IP_B);

        segment.wrap(frame, TCP, 32).writeHeader(36022, 7000, (int) 269377942L, (int) 3786070536L, 32, TcpSegment.ACK, 63);
        TcpOptions.writeTimestamps(frame, segment.optionsOffset(), (int) 1759683538L, (int) 1224532117L);
        segment.writeChecksum(CapturedFrames.IP_A, CapturedFrames.IP_B);

        assertEquals(Hex.plain(CapturedFrames.TCP_ACK), Hex.of(frame));
    }

    @Test
    void writesCapturedDataSegmentByteForByte() {
        ByteBuffer frame = frameWithHeaders(79, CapturedFrames.MAC_B, CapturedFrames.MAC_A, 3376, CapturedFrames.IP_A, CapturedFrames.IP_B);

        segment.wrap(frame, TCP, 45).writeHeader(36022, 7000, (int) 269377942L, (int) 3786070536L, 32,
                TcpSegment.PSH | TcpSegment.ACK, 63);
        TcpOptions.writeTimestamps(frame, segment.optionsOffset(), (int) 1759683538L, (int) 1224532117L);
        frame.put(segment.payloadOffset(), "hello tapnet\n".getBytes(StandardCharsets.US_ASCII));
        segment.writeChecksum(CapturedFrames.IP_A, CapturedFrames.IP_B);

        assertEquals(Hex.plain(CapturedFrames.TCP_DATA), Hex.of(frame));
    }

    @Test
    void writesCapturedFinByteForByte() {
        ByteBuffer frame = frameWithHeaders(66, CapturedFrames.MAC_B, CapturedFrames.MAC_A, 3377, CapturedFrames.IP_A, CapturedFrames.IP_B);

        segment.wrap(frame, TCP, 32).writeHeader(36022, 7000, (int) 269377955L, (int) 3786070536L, 32,
                TcpSegment.FIN | TcpSegment.ACK, 63);
        TcpOptions.writeTimestamps(frame, segment.optionsOffset(), (int) 1759683538L, (int) 1224532117L);
        segment.writeChecksum(CapturedFrames.IP_A, CapturedFrames.IP_B);

        assertEquals(Hex.plain(CapturedFrames.TCP_FIN), Hex.of(frame));
    }

    @Test
    void writesCapturedResetByteForByte() {
        ByteBuffer frame = frameWithHeaders(54, CapturedFrames.MAC_A, CapturedFrames.MAC_B, 0, CapturedFrames.IP_B, CapturedFrames.IP_A);

        segment.wrap(frame, TCP, 20).writeHeader(7001, 56760, 0, (int) 4089528283L, 20, TcpSegment.RST | TcpSegment.ACK, 0);
        segment.writeChecksum(CapturedFrames.IP_B, CapturedFrames.IP_A);

        assertEquals(Hex.plain(CapturedFrames.TCP_RST_ACK), Hex.of(frame));
    }

    @Test
    void writesCapturedSackSegmentsByteForByte() {
        int[] left = {(int) 1201L, (int) 1101L};
        int[] right = {(int) 1217L, (int) 1117L};

        ByteBuffer one = frameWithHeaders(66, CapturedFrames.MAC_PEER, CapturedFrames.MAC_B, 31019, CapturedFrames.IP_B, CapturedFrames.IP_PEER);
        segment.wrap(one, TCP, 32).writeHeader(7003, 40000, (int) 1152700628L, 1001, 32, TcpSegment.ACK, 64240);
        TcpOptions.writeSack(one, segment.optionsOffset(), new int[] {1101}, new int[] {1117}, 1);
        segment.writeChecksum(CapturedFrames.IP_B, CapturedFrames.IP_PEER);
        assertEquals(Hex.plain(CapturedFrames.TCP_SACK_ONE_BLOCK), Hex.of(one));

        ByteBuffer two = frameWithHeaders(74, CapturedFrames.MAC_PEER, CapturedFrames.MAC_B, 31020, CapturedFrames.IP_B, CapturedFrames.IP_PEER);
        segment.wrap(two, TCP, 40).writeHeader(7003, 40000, (int) 1152700628L, 1001, 40, TcpSegment.ACK, 64240);
        TcpOptions.writeSack(two, segment.optionsOffset(), left, right, 2);
        segment.writeChecksum(CapturedFrames.IP_B, CapturedFrames.IP_PEER);
        assertEquals(Hex.plain(CapturedFrames.TCP_SACK_TWO_BLOCKS), Hex.of(two));
    }

    @Test
    void writeHeaderClearsTheReservedBitsAndTheUrgentPointer() {
        ByteBuffer header = Hex.buffer("ff".repeat(20));

        segment.wrap(header, 0, 20).writeHeader(7001, 56760, 0, (int) 4089528283L, 20, TcpSegment.RST | TcpSegment.ACK, 0);

        assertEquals("1b59ddb800000000f3c13fdb5014000000000000", Hex.of(header));
    }

    @Test
    void corruptingAnyByteFailsTheChecksum() {
        for (int index = 0; index < 45; index++) {
            ByteBuffer frame = Hex.buffer(CapturedFrames.TCP_DATA);
            frame.put(TCP + index, (byte) (frame.get(TCP + index) ^ 0x04));

            assertFalse(segment.wrap(frame, TCP, 45).isChecksumValid(CapturedFrames.IP_A, CapturedFrames.IP_B), "byte " + index);
        }
    }

    @Test
    void checksumCoversThePseudoHeader() {
        wrapCaptured(CapturedFrames.TCP_SYN);

        assertFalse(segment.isChecksumValid(CapturedFrames.IP_PEER, CapturedFrames.IP_B));
        assertFalse(segment.isChecksumValid(CapturedFrames.IP_A, CapturedFrames.IP_PEER));
        // A ones' complement sum does not see order: swapped addresses still check (RFC 1071 §2 (A)).
        assertTrue(segment.isChecksumValid(CapturedFrames.IP_B, CapturedFrames.IP_A));
    }

    @Test
    void checksumCoversTheWrappedLengthNotTheEthernetPadding() {
        // The RST padded to 60 bytes: wrapped with the IPv4 payload length the checksum holds; wrapped with
        // the padding it does not, which is why TCP is wrapped with Ipv4Packet.payloadLength().
        ByteBuffer padded = Hex.buffer(Hex.plain(CapturedFrames.TCP_RST_ACK) + "000000000000");

        assertTrue(segment.wrap(padded, TCP, 20).isChecksumValid(CapturedFrames.IP_B, CapturedFrames.IP_A));
        assertFalse(segment.wrap(padded, TCP, 26).isChecksumValid(CapturedFrames.IP_B, CapturedFrames.IP_A));
    }

    @Test
    void dataOffsetBelowFiveWordsIsNotWellFormed() {
        for (int dataOffset = 0; dataOffset < 5; dataOffset++) {
            ByteBuffer frame = Hex.buffer(CapturedFrames.TCP_ACK);
            frame.put(TCP + 12, (byte) (dataOffset << 4));

            assertFalse(segment.wrap(frame, TCP, 32).isWellFormed(), "data offset " + dataOffset);
        }
    }

    @Test
    void dataOffsetBeyondTheSegmentIsNotWellFormed() {
        for (int dataOffset = 9; dataOffset <= 15; dataOffset++) {
            ByteBuffer frame = Hex.buffer(CapturedFrames.TCP_ACK);
            frame.put(TCP + 12, (byte) (dataOffset << 4));

            assertFalse(segment.wrap(frame, TCP, 32).isWellFormed(), "data offset " + dataOffset);
        }
    }

    @Test
    void headerFillingTheWholeSegmentIsWellFormed() {
        assertTrue(wrapCaptured(CapturedFrames.TCP_RST_ACK).isWellFormed());
        assertTrue(wrapCaptured(CapturedFrames.TCP_ACK).isWellFormed());
        assertEquals(0, segment.payloadLength());
    }

    @Test
    void regionShorterThanTheFixedHeaderIsNotWellFormed() {
        ByteBuffer frame = Hex.buffer(CapturedFrames.TCP_RST_ACK);
        for (int length = 0; length < TcpSegment.MIN_HEADER_LENGTH; length++) {
            assertFalse(segment.wrap(frame, TCP, length).isWellFormed(), "length " + length);
        }
    }

    @Test
    void reservedBitsBesideTheDataOffsetDoNotChangeTheHeaderLength() {
        ByteBuffer frame = Hex.buffer(CapturedFrames.TCP_ACK);
        frame.put(TCP + 12, (byte) 0x8f); // data offset 8 and all four reserved bits (AE among them) set

        assertEquals(32, segment.wrap(frame, TCP, 32).headerLength());
        assertEquals(TcpSegment.ACK, segment.flags());
    }

    @Test
    void synAndFinEachTakeOneSequenceNumberBesideThePayload() {
        ByteBuffer frame = Hex.buffer(CapturedFrames.TCP_DATA);
        frame.put(TCP + 13, (byte) (TcpSegment.SYN | TcpSegment.FIN | TcpSegment.ACK));

        assertEquals(13 + 2, segment.wrap(frame, TCP, 45).sequenceLength());
    }

    @Test
    void flagsOfCapturedSegmentsReadAsTcpdumpPrintedThem() {
        assertEquals("S", TcpSegment.flagsToString(wrapCaptured(CapturedFrames.TCP_SYN).flags()));
        assertEquals("S.", TcpSegment.flagsToString(wrapCaptured(CapturedFrames.TCP_SYN_ACK).flags()));
        assertEquals(".", TcpSegment.flagsToString(wrapCaptured(CapturedFrames.TCP_ACK).flags()));
        assertEquals("P.", TcpSegment.flagsToString(wrapCaptured(CapturedFrames.TCP_DATA).flags()));
        assertEquals("F.", TcpSegment.flagsToString(wrapCaptured(CapturedFrames.TCP_FIN).flags()));
        assertEquals("R.", TcpSegment.flagsToString(wrapCaptured(CapturedFrames.TCP_RST_ACK).flags()));
    }

    @Test
    void flagsReadInTcpdumpsOrder() {
        // tcpdump 4.99.3 -r on frames with these flag bytes printed "Flags [FS]", "[.U]", "[S.EW]", "[none]" and
        // "[FSRP.UEW]": FIN, SYN, RST, PSH, ACK, URG, ECE, CWR (print-tcp.c, tcp_flag_values).
        assertEquals("FS", TcpSegment.flagsToString(TcpSegment.FIN | TcpSegment.SYN));
        assertEquals(".U", TcpSegment.flagsToString(TcpSegment.ACK | TcpSegment.URG));
        assertEquals("S.EW", TcpSegment.flagsToString(TcpSegment.SYN | TcpSegment.ACK | TcpSegment.ECE | TcpSegment.CWR));
        assertEquals("none", TcpSegment.flagsToString(0));
        assertEquals("FSRP.UEW", TcpSegment.flagsToString(0xff));
    }
}
