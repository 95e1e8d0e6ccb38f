package tapnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UdpDatagramTest {
    private static final int UDP = 34;
    private final UdpDatagram udp = new UdpDatagram();

    @Test
    void parsesCapturedDatagram() {
        ByteBuffer frame = Hex.buffer(CapturedFrames.UDP_DATAGRAM);
        udp.wrap(frame, UDP, 19);

        assertTrue(udp.isWellFormed());
        assertTrue(udp.isChecksumValid(CapturedFrames.IP_A, CapturedFrames.IP_B));
        assertEquals(45268, udp.sourcePort());
        assertEquals(7002, udp.destinationPort());
        assertEquals(19, udp.datagramLength());
        assertEquals(0x449f, udp.checksum());
        assertEquals(42, udp.payloadOffset());
        assertEquals(11, udp.payloadLength());
        byte[] payload = new byte[udp.payloadLength()];
        frame.get(udp.payloadOffset(), payload);
        assertEquals("tapnet udp\n", new String(payload, StandardCharsets.US_ASCII));
    }

    @Test
    void writesCapturedFrameByteForByte() {
        ByteBuffer written = ByteBuffer.allocate(53);
        new EthernetFrame().wrap(written, 0, 53)
                .setDestination(CapturedFrames.MAC_B).setSource(CapturedFrames.MAC_A).setEtherType(EthernetFrame.TYPE_IPV4);
        new Ipv4Packet().wrap(written, 14, 39)
                .writeHeader(4275, 64, Ipv4Packet.PROTOCOL_UDP, CapturedFrames.IP_A, CapturedFrames.IP_B, 19);
        written.put(42, "tapnet udp\n".getBytes(StandardCharsets.US_ASCII));

        udp.wrap(written, UDP, 19).write(45268, 7002, 11, CapturedFrames.IP_A, CapturedFrames.IP_B);

        assertEquals(Hex.plain(CapturedFrames.UDP_DATAGRAM), Hex.of(written));
    }

    @Test
    void zeroChecksumMeansNoneAndIsAccepted() {
        // RFC 768: "An all zero transmitted checksum value means that the transmitter generated no checksum".
        ByteBuffer frame = Hex.buffer(CapturedFrames.UDP_DATAGRAM);
        frame.putShort(UDP + 6, (short) 0);
        frame.put(45, (byte) 'X');

        assertTrue(udp.wrap(frame, UDP, 19).isChecksumValid(CapturedFrames.IP_A, CapturedFrames.IP_B));
    }

    @Test
    void computedChecksumOfZeroIsSentAsAllOnes() {
        // RFC 768: a computed checksum of zero is transmitted as all ones. Two payload bytes are chosen so
        // that the checksum comes out zero: first write with them zero, then put that checksum in them.
        ByteBuffer datagram = ByteBuffer.allocate(10);
        udp.wrap(datagram, 0, 10).write(45268, 7002, 2, CapturedFrames.IP_A, CapturedFrames.IP_B);
        datagram.putShort(8, (short) udp.checksum());

        udp.write(45268, 7002, 2, CapturedFrames.IP_A, CapturedFrames.IP_B);

        assertEquals(0xffff, udp.checksum());
        assertTrue(udp.isChecksumValid(CapturedFrames.IP_A, CapturedFrames.IP_B));
        datagram.putShort(6, (short) 0);
        assertEquals(0, InternetChecksum.ofTransport(datagram, 0, 10, CapturedFrames.IP_A, CapturedFrames.IP_B, Ipv4Packet.PROTOCOL_UDP),
                "the ones' complement sum of this datagram is ffff: its checksum is zero");
    }

    @Test
    void corruptingAnyByteFailsTheChecksum() {
        for (int index = 0; index < 19; index++) {
            ByteBuffer frame = Hex.buffer(CapturedFrames.UDP_DATAGRAM);
            frame.put(UDP + index, (byte) (frame.get(UDP + index) ^ 0x80));

            udp.wrap(frame, UDP, 19);
            assertFalse(udp.isWellFormed() && udp.isChecksumValid(CapturedFrames.IP_A, CapturedFrames.IP_B), "byte " + index);
        }
    }

    @Test
    void checksumCoversThePseudoHeaderAddresses() {
        udp.wrap(Hex.buffer(CapturedFrames.UDP_DATAGRAM), UDP, 19);

        assertFalse(udp.isChecksumValid(CapturedFrames.IP_PEER, CapturedFrames.IP_B));
        assertFalse(udp.isChecksumValid(CapturedFrames.IP_A, CapturedFrames.IP_PEER));
    }

    @Test
    void bytesAfterTheStatedLengthAreNeitherPayloadNorChecksummed() {
        // The 53-byte frame padded to 60 on a wire, and the padding handed to the datagram's region.
        ByteBuffer padded = Hex.buffer(Hex.plain(CapturedFrames.UDP_DATAGRAM) + "ffffffffffffff");
        udp.wrap(padded, UDP, 26);

        assertTrue(udp.isWellFormed());
        assertEquals(11, udp.payloadLength());
        assertTrue(udp.isChecksumValid(CapturedFrames.IP_A, CapturedFrames.IP_B));
    }

    @Test
    void lengthFieldBelowTheHeaderIsNotWellFormed() {
        for (int stated = 0; stated < UdpDatagram.HEADER_LENGTH; stated++) {
            ByteBuffer frame = Hex.buffer(CapturedFrames.UDP_DATAGRAM);
            frame.putShort(UDP + 4, (short) stated);

            assertFalse(udp.wrap(frame, UDP, 19).isWellFormed(), "length " + stated);
        }
    }

    @Test
    void lengthFieldBeyondTheRegionIsNotWellFormed() {
        ByteBuffer frame = Hex.buffer(CapturedFrames.UDP_DATAGRAM);

        assertFalse(udp.wrap(frame, UDP, 18).isWellFormed());
        frame.putShort(UDP + 4, (short) 0xffff);
        assertFalse(udp.wrap(frame, UDP, 19).isWellFormed());
    }

    @Test
    void headerOnlyDatagramIsWellFormed() {
        ByteBuffer datagram = ByteBuffer.allocate(8);

        udp.wrap(datagram, 0, 8).write(1, 2, 0, CapturedFrames.IP_A, CapturedFrames.IP_B);

        assertTrue(udp.isWellFormed());
        assertEquals(0, udp.payloadLength());
        assertTrue(udp.isChecksumValid(CapturedFrames.IP_A, CapturedFrames.IP_B));
    }
}
