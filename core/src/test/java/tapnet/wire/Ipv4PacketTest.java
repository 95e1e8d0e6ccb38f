package tapnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tapnet.wire.Ipv4Packet.Validity;

class Ipv4PacketTest {
    private static final int IP = EthernetFrame.HEADER_LENGTH;
    private final Ipv4Packet ip = new Ipv4Packet();

    /** Recomputes the header checksum, so that a test's only flaw is the one it made. */
    private static void refreshChecksum(ByteBuffer frame, int headerLength) {
        frame.putShort(IP + 10, (short) 0);
        frame.putShort(IP + 10, (short) InternetChecksum.of(frame, IP, headerLength));
    }

    private Ipv4Packet wrapWhole(ByteBuffer frame) {
        return ip.wrap(frame, IP, frame.capacity() - IP);
    }

    @Test
    void parsesEveryFieldOfCapturedSyn() {
        wrapWhole(Hex.buffer(CapturedFrames.TCP_SYN));

        assertEquals(Validity.VALID, ip.check());
        assertEquals(4, ip.version());
        assertEquals(20, ip.headerLength());
        assertEquals(0, ip.typeOfService());
        assertEquals(60, ip.totalLength());
        assertEquals(3374, ip.identification());
        assertTrue(ip.dontFragment());
        assertFalse(ip.moreFragments());
        assertEquals(0, ip.fragmentOffset());
        assertFalse(ip.isFragment());
        assertEquals(64, ip.ttl());
        assertEquals(Ipv4Packet.PROTOCOL_TCP, ip.protocol());
        assertEquals(0x17be, ip.checksum());
        assertEquals(CapturedFrames.IP_A, ip.source());
        assertEquals(CapturedFrames.IP_B, ip.destination());
        assertEquals(34, ip.payloadOffset());
        assertEquals(40, ip.payloadLength());
    }

    @Test
    void parsesCapturedEchoReplyWithoutDontFragment() {
        wrapWhole(Hex.buffer(CapturedFrames.ICMP_ECHO_REPLY));

        assertEquals(Validity.VALID, ip.check());
        assertEquals(9043, ip.identification());
        assertFalse(ip.dontFragment());
        assertFalse(ip.isFragment());
        assertEquals(Ipv4Packet.PROTOCOL_ICMP, ip.protocol());
        assertEquals(CapturedFrames.IP_B, ip.source());
        assertEquals(24, ip.payloadLength());
    }

    @Test
    void parsesTypeOfServiceOfCapturedIcmpError() {
        // Linux sends ICMP errors with precedence "internetwork control" (tos 0xc0).
        wrapWhole(Hex.buffer(CapturedFrames.ICMP_PORT_UNREACHABLE));

        assertEquals(Validity.VALID, ip.check());
        assertEquals(0xc0, ip.typeOfService());
        assertEquals(67, ip.totalLength());
    }

    @Test
    void parsesCapturedUdpHeader() {
        wrapWhole(Hex.buffer(CapturedFrames.UDP_DATAGRAM));

        assertEquals(Validity.VALID, ip.check());
        assertEquals(Ipv4Packet.PROTOCOL_UDP, ip.protocol());
        assertEquals(4275, ip.identification());
        assertEquals(19, ip.payloadLength());
    }

    @Test
    void everyCapturedIpv4FrameIsValid() {
        CapturedFrames.all().forEach((name, hex) -> {
            ByteBuffer frame = Hex.buffer(hex);
            if ((frame.getShort(12) & 0xffff) == EthernetFrame.TYPE_IPV4) {
                assertEquals(Validity.VALID, wrapWhole(frame).check(), name);
            }
        });
    }

    @Test
    void firstCapturedFragmentHasMoreFragmentsAndOffsetZero() {
        wrapWhole(Hex.buffer(CapturedFrames.IPV4_FIRST_FRAGMENT));

        assertEquals(Validity.VALID, ip.check());
        assertTrue(ip.moreFragments());
        assertFalse(ip.dontFragment());
        assertEquals(0, ip.fragmentOffset());
        assertTrue(ip.isFragment());
        assertEquals(48, ip.payloadLength());
    }

    @Test
    void lastCapturedFragmentHasAnOffsetInBytesAndNoMoreFragments() {
        wrapWhole(Hex.buffer(CapturedFrames.IPV4_LAST_FRAGMENT));

        assertEquals(Validity.VALID, ip.check());
        assertFalse(ip.moreFragments());
        assertEquals(48, ip.fragmentOffset());
        assertTrue(ip.isFragment());
        assertEquals(22534, ip.identification());
    }

    @Test
    void dontFragmentAloneIsNotAFragment() {
        assertFalse(wrapWhole(Hex.buffer(CapturedFrames.TCP_SYN)).isFragment());
    }

    @Test
    void largestFragmentOffsetIsReadInBytes() {
        ByteBuffer frame = Hex.buffer(CapturedFrames.IPV4_LAST_FRAGMENT);
        frame.putShort(IP + 6, (short) 0x1fff);

        assertEquals(0x1fff * 8, wrapWhole(frame).fragmentOffset());
        assertTrue(ip.isFragment());
        assertFalse(ip.moreFragments());
        assertFalse(ip.dontFragment());
    }

    @Test
    void writeHeaderReproducesCapturedSynHeader() {
        ByteBuffer written = ByteBuffer.allocate(74);

        ip.wrap(written, IP, 60).writeHeader(3374, 64, Ipv4Packet.PROTOCOL_TCP, CapturedFrames.IP_A, CapturedFrames.IP_B, 40);

        assertEquals(Hex.plain(CapturedFrames.TCP_SYN).substring(2 * IP, 2 * 34), Hex.of(written, IP, 20));
    }

    @Test
    void writeHeaderReproducesCapturedUdpHeaderOverGarbage() {
        ByteBuffer written = Hex.buffer("ff".repeat(53));

        ip.wrap(written, IP, 39).writeHeader(4275, 64, Ipv4Packet.PROTOCOL_UDP, CapturedFrames.IP_A, CapturedFrames.IP_B, 19);

        assertEquals(Hex.plain(CapturedFrames.UDP_DATAGRAM).substring(2 * IP, 2 * 34), Hex.of(written, IP, 20));
        assertEquals(Validity.VALID, ip.wrap(written, IP, 39).check());
    }

    @Test
    void writeHeaderAlwaysSetsDontFragmentUnlikeTheKernelsEchoReply() {
        // The kernel's echo reply has no DF; tapnet never fragments, so its writer always sets DF. Every
        // other byte but the flags and the checksum that covers them is the captured one.
        String captured = Hex.plain(CapturedFrames.ICMP_ECHO_REPLY).substring(2 * IP, 2 * 34);
        ByteBuffer written = ByteBuffer.allocate(58);

        ip.wrap(written, IP, 44).writeHeader(9043, 64, Ipv4Packet.PROTOCOL_ICMP, CapturedFrames.IP_B, CapturedFrames.IP_A, 24);

        String header = Hex.of(written, IP, 20);
        assertEquals(captured.substring(0, 12), header.substring(0, 12));
        assertEquals("4000", header.substring(12, 16));
        assertEquals(captured.substring(16, 20), header.substring(16, 20));
        assertEquals(captured.substring(24), header.substring(24));
        assertTrue(ip.dontFragment());
        assertEquals(Validity.VALID, ip.check());
    }

    @Test
    void corruptingAnyHeaderByteAfterTheLengthIsABadChecksum() {
        for (int index = 4; index < 20; index++) {
            ByteBuffer frame = Hex.buffer(CapturedFrames.TCP_SYN);
            frame.put(IP + index, (byte) (frame.get(IP + index) ^ 0x10));

            assertEquals(Validity.BAD_CHECKSUM, wrapWhole(frame).check(), "byte " + index);
        }
    }

    @Test
    void corruptingThePayloadLeavesTheHeaderValid() {
        // The header checksum covers the header only (RFC 791 §3.1); the transport checksum guards the rest.
        ByteBuffer frame = Hex.buffer(CapturedFrames.TCP_DATA);
        frame.put(70, (byte) 'H');

        assertEquals(Validity.VALID, wrapWhole(frame).check());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void headerLengthBelowFiveWordsIsMalformed(int ihl) {
        ByteBuffer frame = Hex.buffer(CapturedFrames.TCP_SYN);
        frame.put(IP, (byte) (0x40 | ihl));
        refreshChecksum(frame, 20);

        assertEquals(Validity.MALFORMED, wrapWhole(frame).check());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5, 6, 15})
    void versionOtherThanFourIsMalformed(int version) {
        ByteBuffer frame = Hex.buffer(CapturedFrames.TCP_SYN);
        frame.put(IP, (byte) (version << 4 | 5));
        refreshChecksum(frame, 20);

        assertEquals(Validity.MALFORMED, wrapWhole(frame).check());
    }

    @Test
    void versionSixWithABadChecksumIsMalformedFirst() {
        ByteBuffer frame = Hex.buffer(CapturedFrames.TCP_SYN);
        frame.put(IP, (byte) 0x65);

        assertEquals(Validity.MALFORMED, wrapWhole(frame).check());
    }

    @Test
    void totalLengthBeyondTheRegionIsMalformed() {
        ByteBuffer frame = Hex.buffer(CapturedFrames.TCP_SYN);
        frame.putShort(IP + 2, (short) 61);
        refreshChecksum(frame, 20);

        assertEquals(Validity.MALFORMED, wrapWhole(frame).check());
        assertEquals(Validity.MALFORMED, ip.wrap(Hex.buffer(CapturedFrames.TCP_SYN), IP, 59).check());
    }

    @Test
    void totalLengthShorterThanTheHeaderIsMalformed() {
        ByteBuffer frame = Hex.buffer(CapturedFrames.TCP_SYN);
        frame.putShort(IP + 2, (short) 19);
        refreshChecksum(frame, 20);

        assertEquals(Validity.MALFORMED, wrapWhole(frame).check());
    }

    @Test
    void headerLengthBeyondTheTotalLengthIsMalformed() {
        // IHL 15 says 60 header bytes; the RST's datagram is 40 bytes long.
        ByteBuffer frame = Hex.buffer(CapturedFrames.TCP_RST_ACK);
        frame.put(IP, (byte) 0x4f);

        assertEquals(Validity.MALFORMED, wrapWhole(frame).check());
    }

    @Test
    void optionsAreSkippedAndCoveredByTheChecksum() {
        // The captured RST with one word of options (NOP, NOP, NOP, EOL) inserted after the fixed header.
        String rst = Hex.plain(CapturedFrames.TCP_RST_ACK);
        ByteBuffer frame = Hex.buffer(rst.substring(0, 2 * 34) + "01010100" + rst.substring(2 * 34));
        frame.put(IP, (byte) 0x46);
        frame.putShort(IP + 2, (short) 44);
        refreshChecksum(frame, 24);

        assertEquals(Validity.VALID, wrapWhole(frame).check());
        assertEquals(24, ip.headerLength());
        assertEquals(38, ip.payloadOffset());
        assertEquals(20, ip.payloadLength());
        assertEquals(0x1b59, frame.getShort(ip.payloadOffset()) & 0xffff);

        frame.put(IP + 21, (byte) 0x07);
        assertEquals(Validity.BAD_CHECKSUM, wrapWhole(frame).check());
    }

    @Test
    void ethernetPaddingAfterTheTotalLengthIsAllowedAndNotPayload() {
        // A 54-byte frame is padded to 60 on a real wire.
        ByteBuffer padded = Hex.buffer(Hex.plain(CapturedFrames.TCP_RST_ACK) + "000000000000");

        assertEquals(Validity.VALID, ip.wrap(padded, IP, 46).check());
        assertEquals(20, ip.payloadLength());
    }
}
