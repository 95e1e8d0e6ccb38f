package tapnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class IcmpMessageTest {
    private static final int ICMP = 34;
    private final IcmpMessage icmp = new IcmpMessage();

    @Test
    void parsesCapturedEchoRequest() {
        icmp.wrap(Hex.buffer(CapturedFrames.ICMP_ECHO_REQUEST), ICMP, 24);

        assertTrue(icmp.isComplete());
        assertTrue(icmp.isChecksumValid());
        assertEquals(IcmpMessage.TYPE_ECHO_REQUEST, icmp.type());
        assertEquals(0, icmp.code());
        assertEquals(0x473f, icmp.checksum());
        assertEquals(7046, icmp.identifier());
        assertEquals(1, icmp.sequence());
        assertEquals(0x1b860001, icmp.restOfHeader());
        assertEquals(42, icmp.payloadOffset());
        assertEquals(16, icmp.payloadLength());
    }

    @Test
    void parsesCapturedEchoReplyWithTheRequestsIdentifierAndSequence() {
        icmp.wrap(Hex.buffer(CapturedFrames.ICMP_ECHO_REPLY), ICMP, 24);

        assertTrue(icmp.isChecksumValid());
        assertEquals(IcmpMessage.TYPE_ECHO_REPLY, icmp.type());
        assertEquals(0, icmp.code());
        assertEquals(0x4f3f, icmp.checksum());
        assertEquals(7046, icmp.identifier());
        assertEquals(1, icmp.sequence());
    }

    @Test
    void parsesCapturedPortUnreachableOfOddLength() {
        icmp.wrap(Hex.buffer(CapturedFrames.ICMP_PORT_UNREACHABLE), ICMP, 47);

        assertTrue(icmp.isChecksumValid());
        assertEquals(IcmpMessage.TYPE_DESTINATION_UNREACHABLE, icmp.type());
        assertEquals(IcmpMessage.CODE_PORT_UNREACHABLE, icmp.code());
        assertEquals(0x12f2, icmp.checksum());
        assertEquals(0, icmp.restOfHeader());
        assertEquals(39, icmp.payloadLength());
    }

    @Test
    void portUnreachableQuotesTheOffendingDatagramWhole() {
        ByteBuffer frame = Hex.buffer(CapturedFrames.ICMP_PORT_UNREACHABLE);
        icmp.wrap(frame, ICMP, 47);

        Ipv4Packet quoted = new Ipv4Packet().wrap(frame, icmp.payloadOffset(), icmp.payloadLength());
        assertEquals(Ipv4Packet.Validity.VALID, quoted.check());
        assertEquals(Ipv4Packet.PROTOCOL_UDP, quoted.protocol());
        assertEquals(CapturedFrames.IP_A, quoted.source());
        UdpDatagram udp = new UdpDatagram().wrap(frame, quoted.payloadOffset(), quoted.payloadLength());
        assertTrue(udp.isWellFormed());
        assertEquals(7002, udp.destinationPort());
        assertTrue(udp.isChecksumValid(quoted.source(), quoted.destination()));
    }

    @Test
    void writesCapturedEchoRequestFrameByteForByte() {
        ByteBuffer written = ByteBuffer.allocate(58);
        new EthernetFrame().wrap(written, 0, 58)
                .setDestination(CapturedFrames.MAC_B).setSource(CapturedFrames.MAC_A).setEtherType(EthernetFrame.TYPE_IPV4);
        new Ipv4Packet().wrap(written, 14, 44)
                .writeHeader(22362, 64, Ipv4Packet.PROTOCOL_ICMP, CapturedFrames.IP_A, CapturedFrames.IP_B, 24);
        written.put(42, Hex.bytes(CapturedFrames.ICMP_ECHO_REQUEST), 42, 16);

        icmp.wrap(written, ICMP, 24).writeHeader(IcmpMessage.TYPE_ECHO_REQUEST, 0, 0x1b860001);

        assertEquals(Hex.plain(CapturedFrames.ICMP_ECHO_REQUEST), Hex.of(written));
    }

    @Test
    void writesCapturedEchoReplyMessageFromTheRequest() {
        // The IPv4 header of the kernel's reply has no DF, which Ipv4Packet.writeHeader always sets (see
        // Ipv4PacketTest); the ICMP message is compared whole, built as a virtual host answers a request.
        IcmpMessage request = new IcmpMessage().wrap(Hex.buffer(CapturedFrames.ICMP_ECHO_REQUEST), ICMP, 24);
        ByteBuffer written = ByteBuffer.allocate(24);
        written.put(8, request.buffer(), request.payloadOffset(), request.payloadLength());

        icmp.wrap(written, 0, 24).writeHeader(IcmpMessage.TYPE_ECHO_REPLY, 0, request.restOfHeader());

        assertEquals(Hex.plain(CapturedFrames.ICMP_ECHO_REPLY).substring(2 * ICMP), Hex.of(written));
    }

    @Test
    void writesCapturedPortUnreachableMessageOfOddLength() {
        // The kernel sent this error with tos 0xc0 and no DF, which Ipv4Packet.writeHeader cannot express;
        // the ICMP message, quote included, is compared whole.
        ByteBuffer written = ByteBuffer.allocate(47);
        written.put(8, Hex.bytes(CapturedFrames.ICMP_PORT_UNREACHABLE), 42, 39);

        icmp.wrap(written, 0, 47).writeHeader(IcmpMessage.TYPE_DESTINATION_UNREACHABLE, IcmpMessage.CODE_PORT_UNREACHABLE, 0);

        assertEquals(Hex.plain(CapturedFrames.ICMP_PORT_UNREACHABLE).substring(2 * ICMP), Hex.of(written));
    }

    @Test
    void writeHeaderReplacesAStaleChecksum() {
        ByteBuffer frame = Hex.buffer(CapturedFrames.ICMP_ECHO_REQUEST);

        icmp.wrap(frame, ICMP, 24).writeHeader(IcmpMessage.TYPE_ECHO_REPLY, 0, icmp.restOfHeader());

        assertTrue(icmp.isChecksumValid());
        assertEquals(Hex.plain(CapturedFrames.ICMP_ECHO_REPLY).substring(2 * ICMP), Hex.of(frame, ICMP, 24));
    }

    @Test
    void corruptingAnyByteOfTheMessageFailsTheChecksum() {
        for (String hex : new String[] {CapturedFrames.ICMP_ECHO_REQUEST, CapturedFrames.ICMP_PORT_UNREACHABLE}) {
            int length = Hex.bytes(hex).length - ICMP;
            for (int index = 0; index < length; index++) {
                ByteBuffer frame = Hex.buffer(hex);
                frame.put(ICMP + index, (byte) (frame.get(ICMP + index) ^ 0x01));

                assertFalse(icmp.wrap(frame, ICMP, length).isChecksumValid(), "byte " + index);
            }
        }
    }

    @Test
    void checksumOfAFirstFragmentCoversTheWholeReassembledMessage() {
        // Why fragments never reach ICMP: the first one's checksum does not hold over the fragment alone.
        ByteBuffer first = Hex.buffer(CapturedFrames.IPV4_FIRST_FRAGMENT);
        assertFalse(icmp.wrap(first, ICMP, 48).isChecksumValid());

        ByteBuffer reassembled = ByteBuffer.allocate(72);
        reassembled.put(0, first, ICMP, 48);
        reassembled.put(48, Hex.buffer(CapturedFrames.IPV4_LAST_FRAGMENT), ICMP, 24);
        assertTrue(icmp.wrap(reassembled, 0, 72).isChecksumValid());
        assertEquals(IcmpMessage.TYPE_ECHO_REQUEST, icmp.type());
        assertEquals(64, icmp.payloadLength());
    }

    @Test
    void headerIsCompleteFromEightBytes() {
        ByteBuffer frame = Hex.buffer(CapturedFrames.ICMP_ECHO_REQUEST);
        for (int length = 0; length < IcmpMessage.HEADER_LENGTH; length++) {
            assertFalse(icmp.wrap(frame, ICMP, length).isComplete(), "length " + length);
        }
        assertTrue(icmp.wrap(frame, ICMP, 8).isComplete());
    }
}
