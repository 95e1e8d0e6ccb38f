package tapnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tapnet.wire.Ipv4Packet.Validity;

/**
 * Nothing a frame contains may throw out of the wire views (DESIGN.md, invariants). Each buffer here holds
 * exactly the bytes under test, so a read one byte too far throws instead of reading stale memory.
 */
class MalformedFramesTest {
    private static final int IP = 14;
    private static final int TRANSPORT = 34;

    static Stream<Arguments> capturedFrames() {
        return CapturedFrames.all().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("capturedFrames")
    void everyTruncationIsAnsweredAsIncompleteWithoutThrowing(String name, String hex) {
        ByteBuffer whole = Hex.buffer(hex);
        int full = whole.capacity();
        boolean arp = (whole.getShort(12) & 0xffff) == EthernetFrame.TYPE_ARP;
        Ipv4Packet wholeIp = new Ipv4Packet().wrap(whole, IP, full - IP);

        for (int length = 0; length <= full; length++) {
            ByteBuffer cut = Hex.truncated(hex, length);
            String at = name + " cut to " + length + " bytes";
            int ipRegion = Math.max(0, length - IP);
            try {
                assertEquals(length >= EthernetFrame.HEADER_LENGTH, new EthernetFrame().wrap(cut, 0, length).isComplete(), at);
                if (arp) {
                    assertEquals(length >= IP + ArpPacket.LENGTH, new ArpPacket().wrap(cut, IP, ipRegion).isValidEthernetIpv4(), at);
                    continue;
                }
                assertEquals(length == full ? Validity.VALID : Validity.MALFORMED, new Ipv4Packet().wrap(cut, IP, ipRegion).check(), at);
                if (!wholeIp.isFragment()) {
                    checkTransport(cut, Math.max(0, length - TRANSPORT), length == full, wholeIp, at);
                }
            } catch (RuntimeException e) {
                fail(at + " threw " + e, e);
            }
        }
    }

    /** The transport view over a cut region, as if the IPv4 layer had not checked: its own checks must hold. */
    private static void checkTransport(ByteBuffer cut, int region, boolean whole, Ipv4Packet wholeIp, String at) {
        int wholeLength = wholeIp.payloadLength();
        switch (wholeIp.protocol()) {
            case Ipv4Packet.PROTOCOL_TCP -> {
                TcpSegment tcp = new TcpSegment().wrap(cut, TRANSPORT, region);
                int headerLength = ((wholeIp.buffer().get(TRANSPORT + 12) & 0xff) >>> 4) * 4;
                assertEquals(region >= headerLength, tcp.isWellFormed(), at);
                if (tcp.isWellFormed()) {
                    new TcpOptions().parse(tcp);
                    assertEquals(whole, tcp.isChecksumValid(wholeIp.source(), wholeIp.destination()), at);
                }
            }
            case Ipv4Packet.PROTOCOL_UDP -> {
                UdpDatagram udp = new UdpDatagram().wrap(cut, TRANSPORT, region);
                assertEquals(region >= wholeLength, udp.isWellFormed(), at);
                if (udp.isWellFormed()) {
                    assertTrue(udp.isChecksumValid(wholeIp.source(), wholeIp.destination()), at);
                }
            }
            case Ipv4Packet.PROTOCOL_ICMP -> {
                IcmpMessage icmp = new IcmpMessage().wrap(cut, TRANSPORT, region);
                assertEquals(region >= IcmpMessage.HEADER_LENGTH, icmp.isComplete(), at);
                // No length goes into the ICMP checksum: cutting off zero bytes at the end goes unnoticed
                // (the echoes end in zeros), which is one reason the IPv4 total length is checked first.
                assertEquals(whole || onlyZerosFrom(wholeIp.buffer(), TRANSPORT + region), icmp.isChecksumValid(), at);
            }
            default -> fail("no captured frame carries protocol " + wholeIp.protocol());
        }
    }

    private static boolean onlyZerosFrom(ByteBuffer buffer, int from) {
        for (int i = from; i < buffer.capacity(); i++) {
            if (buffer.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("capturedFrames")
    void truncatedFrameIsNeverAcceptedByTheWholeChain(String name, String hex) {
        FrameDissector dissector = new FrameDissector();
        int full = Hex.bytes(hex).length;
        int verdict = dissector.dissect(Hex.buffer(hex), 0, full);

        for (int length = 0; length < full; length++) {
            int cut = dissector.dissect(Hex.truncated(hex, length), 0, length);
            assertTrue(cut < FrameDissector.ACCEPTED_ARP, name + " cut to " + length + " was accepted");
        }
        assertTrue(verdict >= FrameDissector.ACCEPTED_ARP || name.contains("fragment"), name + " whole: " + verdict);
    }

    @Test
    void wholeCapturedFramesAreAcceptedByTheLayerTheyBelongTo() {
        FrameDissector dissector = new FrameDissector();
        assertEquals(FrameDissector.ACCEPTED_ARP, dissector.dissect(Hex.buffer(CapturedFrames.ARP_REPLY), 0, 42));
        assertEquals(FrameDissector.ACCEPTED_ICMP, dissector.dissect(Hex.buffer(CapturedFrames.ICMP_PORT_UNREACHABLE), 0, 81));
        assertEquals(FrameDissector.ACCEPTED_TCP, dissector.dissect(Hex.buffer(CapturedFrames.TCP_SACK_TWO_BLOCKS), 0, 74));
        assertEquals(FrameDissector.ACCEPTED_UDP, dissector.dissect(Hex.buffer(CapturedFrames.UDP_DATAGRAM), 0, 53));
        assertEquals(FrameDissector.DROPPED_FRAGMENT, dissector.dissect(Hex.buffer(CapturedFrames.IPV4_FIRST_FRAGMENT), 0, 82));
    }

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(9293);
        FrameDissector dissector = new FrameDissector();
        for (int round = 0; round < 50_000; round++) {
            byte[] bytes = new byte[random.nextInt(130)];
            random.nextBytes(bytes);
            // Steer most frames past the first checks, so that every layer sees garbage.
            if (bytes.length > 14 && random.nextInt(4) != 0) {
                bytes[12] = 0x08;
                bytes[13] = (byte) (random.nextInt(4) == 0 ? 0x06 : 0x00);
                bytes[14] = (byte) (random.nextInt(4) == 0 ? bytes[14] : 0x40 | (5 + random.nextInt(11)));
            }
            dissectOrFail(dissector, bytes, "random round " + round);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("capturedFrames")
    void corruptedCapturedFramesWithRepairedChecksumsNeverThrow(String name, String hex) {
        // Random bytes changed, then every checksum put right again, so that the corruption reaches the
        // deepest layer instead of being dropped at the first checksum.
        Random random = new Random(name.hashCode());
        FrameDissector dissector = new FrameDissector();
        for (int round = 0; round < 3_000; round++) {
            byte[] bytes = Hex.bytes(hex);
            int changes = 1 + random.nextInt(4);
            for (int c = 0; c < changes; c++) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            int length = random.nextInt(5) == 0 ? random.nextInt(bytes.length + 1) : bytes.length;
            byte[] cut = new byte[length];
            System.arraycopy(bytes, 0, cut, 0, length);
            repairChecksums(ByteBuffer.wrap(cut));
            dissectOrFail(dissector, cut, name + " round " + round);
        }
        if (name.startsWith("TCP")) {
            assertTrue(dissector.tcpOptionsParsed > 1_000, "corruption reached TCP options " + dissector.tcpOptionsParsed + " times");
        }
    }

    private static void dissectOrFail(FrameDissector dissector, byte[] bytes, String what) {
        try {
            dissector.dissect(ByteBuffer.wrap(bytes), 0, bytes.length);
        } catch (RuntimeException e) {
            fail(what + " threw " + e + " on " + Hex.of(ByteBuffer.wrap(bytes)), e);
        }
    }

    /** Recomputes the IPv4 header and transport checksums where the (possibly corrupted) lengths allow. */
    private static void repairChecksums(ByteBuffer frame) {
        int length = frame.capacity();
        if (length < TRANSPORT) {
            return;
        }
        int headerLength = (frame.get(IP) & 0xf) * 4;
        if (headerLength < 20 || IP + headerLength > length) {
            return;
        }
        frame.putShort(IP + 10, (short) 0);
        frame.putShort(IP + 10, (short) InternetChecksum.of(frame, IP, headerLength));
        int totalLength = frame.getShort(IP + 2) & 0xffff;
        if (totalLength < headerLength || IP + totalLength > length) {
            return;
        }
        int at = IP + headerLength;
        int transportLength = totalLength - headerLength;
        int source = frame.getInt(IP + 12);
        int destination = frame.getInt(IP + 16);
        int protocol = frame.get(IP + 9) & 0xff;
        if (protocol == Ipv4Packet.PROTOCOL_TCP && transportLength >= 18) {
            frame.putShort(at + 16, (short) 0);
            frame.putShort(at + 16, (short) InternetChecksum.ofTransport(frame, at, transportLength, source, destination, protocol));
        } else if (protocol == Ipv4Packet.PROTOCOL_UDP && transportLength >= 8) {
            int stated = Math.min(frame.getShort(at + 4) & 0xffff, transportLength);
            frame.putShort(at + 6, (short) 0);
            frame.putShort(at + 6, (short) InternetChecksum.ofTransport(frame, at, stated, source, destination, protocol));
        } else if (protocol == Ipv4Packet.PROTOCOL_ICMP && transportLength >= 4) {
            frame.putShort(at + 2, (short) 0);
            frame.putShort(at + 2, (short) InternetChecksum.of(frame, at, transportLength));
        }
    }

    @Test
    void zeroLengthViewsAtTheEndOfABufferReadNothing() {
        ByteBuffer empty = ByteBuffer.allocate(0);

        assertFalse(new EthernetFrame().wrap(empty, 0, 0).isComplete());
        assertFalse(new ArpPacket().wrap(empty, 0, 0).isValidEthernetIpv4());
        assertEquals(Validity.MALFORMED, new Ipv4Packet().wrap(empty, 0, 0).check());
        assertFalse(new IcmpMessage().wrap(empty, 0, 0).isComplete());
        assertFalse(new IcmpMessage().wrap(empty, 0, 0).isChecksumValid());
        assertFalse(new TcpSegment().wrap(empty, 0, 0).isWellFormed());
        assertFalse(new UdpDatagram().wrap(empty, 0, 0).isWellFormed());
        assertFalse(new TcpOptions().parse(empty, 0, 0).malformed());
    }
}
