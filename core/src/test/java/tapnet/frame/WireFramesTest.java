package tapnet.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tapnet.testing.Decoded;
import tapnet.testing.FrameBuilder;
import tapnet.wire.InternetChecksum;
import tapnet.wire.Ipv4Address;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.TcpSegment;
import tapnet.wire.UdpDatagram;

/** What the kernel's software GSO and skb_checksum_help would put on the wire, frame by frame. */
class WireFramesTest {
    private static final long SOURCE_MAC = 0x02_00_00_00_00_01L;
    private static final long DESTINATION_MAC = 0x02_00_00_00_00_02L;
    private static final int SOURCE = Ipv4Address.parse("10.0.0.1");
    private static final int DESTINATION = Ipv4Address.parse("10.0.1.2");
    private static final byte[] SOURCE6 = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    private static final byte[] DESTINATION6 = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
    private static final int ETH = 14;
    private static final int IPV4_TCP = ETH + 20;
    private static final int MSS = 1448;
    private static final int SEQ = 0x7fff_ff00;
    private static final int ACK = 0x1234_5678;
    private static final int MAX_FRAME = 1514;

    private final WireFrames wireFrames = new WireFrames(MAX_FRAME);

    // ---- TCP over IPv4

    @Test
    void tcpv4GsoOfThreeAndAHalfSegmentsMakesFourFramesOfGsoSizeTheLastTakingTheRest() {
        byte[] payload = payload(3 * MSS + MSS / 2);
        List<byte[]> frames = make(tcpv4Gso(payload, TcpSegment.ACK), tcpv4Offload(MSS));
        assertEquals(4, frames.size());
        int headers = IPV4_TCP + 32; // timestamps option
        assertEquals(List.of(headers + MSS, headers + MSS, headers + MSS, headers + MSS / 2), frames.stream().map(f -> f.length).toList());
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            Decoded decoded = Decoded.of(frame); // checks the IP and TCP checksums and the IP length
            assertEquals(frame.length - ETH, ipv4(frame).totalLength());
            joined.writeBytes(decoded.tcp().payload());
        }
        assertArrayEquals(payload, joined.toByteArray(), "the payloads in order are the GSO frame's");
    }

    @Test
    void everyTcpv4FrameHasValidIpAndTcpChecksums() {
        for (byte[] frame : make(tcpv4Gso(payload(5 * MSS - 3), TcpSegment.ACK | TcpSegment.PSH), tcpv4Offload(MSS))) {
            assertEquals(0, InternetChecksum.of(ByteBuffer.wrap(frame), ETH, 20), "IPv4 header checksum");
            assertEquals(0, InternetChecksum.ofTransport(ByteBuffer.wrap(frame), IPV4_TCP, frame.length - IPV4_TCP,
                    SOURCE, DESTINATION, Ipv4Packet.PROTOCOL_TCP), "TCP checksum");
        }
    }

    @Test
    void eachTcpv4FrameTakesTheNextIpIdentificationWrappingAt65536() {
        ByteBuffer gso = tcpv4Gso(payload(4 * MSS), TcpSegment.ACK);
        gso.putShort(ETH + 4, (short) 0xfffe);
        List<byte[]> frames = make(gso, tcpv4Offload(MSS));
        assertEquals(List.of(0xfffe, 0xffff, 0, 1), frames.stream().map(f -> ipv4(f).identification()).toList());
    }

    @Test
    void sequenceNumbersAdvanceByThePayloadBeforeEachFrame() {
        List<byte[]> frames = make(tcpv4Gso(payload(3 * MSS), TcpSegment.ACK), tcpv4Offload(MSS));
        for (int i = 0; i < frames.size(); i++) {
            Decoded.Tcp tcp = Decoded.of(frames.get(i)).tcp();
            assertEquals(SEQ + i * MSS, tcp.seq(), "frame " + i + " (sequence numbers wrap past 2^32)");
            assertEquals(ACK, tcp.ack());
        }
    }

    @Test
    void finAndPshStayOnTheLastFrameOnly() {
        int flags = TcpSegment.ACK | TcpSegment.PSH | TcpSegment.FIN;
        List<byte[]> frames = make(tcpv4Gso(payload(3 * MSS + 1), flags), tcpv4Offload(MSS));
        assertEquals(List.of(TcpSegment.ACK, TcpSegment.ACK, TcpSegment.ACK, flags), tcpFlags(frames));
    }

    @Test
    void cwrStaysOnTheFirstFrameOnlyWithOrWithoutTheEcnBit() {
        int flags = TcpSegment.ACK | TcpSegment.CWR | TcpSegment.ECE;
        int after = TcpSegment.ACK | TcpSegment.ECE;
        ByteBuffer gso = tcpv4Gso(payload(3 * MSS), flags);
        assertEquals(List.of(flags, after, after), tcpFlags(make(gso, tcpv4Offload(MSS))));
        long ecn = Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_TCPV4 | Offload.GSO_ECN, MSS, IPV4_TCP, 16);
        assertEquals(List.of(flags, after, after), tcpFlags(make(gso, ecn)));
    }

    @Test
    void otherHeaderFieldsAndTcpOptionsAreCopiedToEveryFrame() {
        ByteBuffer gso = tcpv4Gso(payload(2 * MSS + 10), TcpSegment.ACK);
        for (byte[] frame : make(gso, tcpv4Offload(MSS))) {
            Decoded decoded = Decoded.of(frame);
            assertEquals(SOURCE_MAC, decoded.ethSource());
            assertEquals(DESTINATION_MAC, decoded.ethDestination());
            assertEquals(64, decoded.ttl());
            assertTrue(ipv4(frame).dontFragment());
            assertEquals(40000, decoded.tcp().sourcePort());
            assertEquals(80, decoded.tcp().destinationPort());
            assertEquals(501, decoded.tcp().window());
            assertTrue(decoded.tcp().timestamps());
            assertEquals(7, decoded.tcp().tsVal());
            assertEquals(9, decoded.tcp().tsEcr());
        }
    }

    @Test
    void tcpv4GsoFrameWhosePayloadIsExactlyGsoSizeMakesOneFrame() {
        byte[] payload = payload(MSS);
        ByteBuffer gso = tcpv4Gso(payload, TcpSegment.ACK | TcpSegment.PSH);
        List<byte[]> frames = make(gso, tcpv4Offload(MSS));
        assertEquals(1, frames.size());
        assertArrayEquals(complete(gso), frames.get(0), "the frame with its checksum completed");
    }

    @Test
    void gsoFrameWithoutPartialChecksumGetsItsChecksumsAllTheSame() {
        ByteBuffer gso = tcpv4Gso(payload(2 * MSS + 1), TcpSegment.ACK);
        gso.putShort(IPV4_TCP + 16, (short) 0x5555); // whatever the field holds, the sums are made in full
        List<byte[]> frames = make(gso, Offload.of(0, Offload.GSO_TCPV4, MSS, 0, 0));
        assertEquals(3, frames.size());
        frames.forEach(Decoded::of); // checks them
    }

    @Test
    void ipv4OptionsAreCopiedAndCoveredByTheHeaderChecksum() {
        byte[] payload = payload(2 * MSS);
        ByteBuffer plain = tcpv4Gso(payload, TcpSegment.ACK);
        // insert 4 bytes of IP options (NOP NOP NOP EOL): ihl 6
        ByteBuffer gso = ByteBuffer.allocate(plain.capacity() + 4);
        gso.put(0, plain, 0, IPV4_TCP).put(IPV4_TCP, new byte[] {1, 1, 1, 0}).put(IPV4_TCP + 4, plain, IPV4_TCP, plain.capacity() - IPV4_TCP);
        gso.put(ETH, (byte) 0x46).putShort(ETH + 2, (short) (plain.capacity() - ETH + 4));
        List<byte[]> frames = make(gso, Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_TCPV4, MSS - 4, IPV4_TCP + 4, 16));
        assertEquals(3, frames.size());
        for (byte[] frame : frames) {
            assertEquals(Ipv4Packet.Validity.VALID, ipv4(frame).check());
            assertEquals(24, ipv4(frame).headerLength());
            assertArrayEquals(new byte[] {1, 1, 1, 0}, Arrays.copyOfRange(frame, IPV4_TCP, IPV4_TCP + 4));
            assertEquals(0, InternetChecksum.ofTransport(ByteBuffer.wrap(frame), IPV4_TCP + 4, frame.length - IPV4_TCP - 4,
                    SOURCE, DESTINATION, Ipv4Packet.PROTOCOL_TCP));
        }
    }

    // ---- TCP over IPv6

    @Test
    void tcpv6GsoFrameMakesFramesWithTheirPayloadLengthAndValidChecksums() {
        byte[] payload = payload(2 * 1000 + 1);
        ByteBuffer gso = ipv6Gso(Ipv4Packet.PROTOCOL_TCP, null, payload);
        List<byte[]> frames = make(gso, Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_TCPV6, 1000, ETH + 40, 16));
        assertEquals(3, frames.size());
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int i = 0; i < frames.size(); i++) {
            ByteBuffer frame = ByteBuffer.wrap(frames.get(i));
            assertEquals(frame.capacity() - ETH - 40, frame.getShort(ETH + 4) & 0xffff, "payload length");
            assertEquals(0, ipv6TransportChecksum(frame, ETH + 40, Ipv4Packet.PROTOCOL_TCP), "TCP checksum, RFC 8200 §8.1");
            TcpSegment tcp = new TcpSegment().wrap(frame, ETH + 40, frame.capacity() - ETH - 40);
            assertEquals(SEQ + i * 1000, tcp.sequenceNumber());
            assertEquals(i == 2 ? TcpSegment.ACK | TcpSegment.PSH : TcpSegment.ACK, tcp.flags());
            joined.write(frames.get(i), tcp.payloadOffset(), tcp.payloadLength());
        }
        assertArrayEquals(payload, joined.toByteArray());
    }

    @Test
    void ipv6ExtensionHeadersBeforeTcpAreCopiedToEveryFrame() {
        byte[] hopByHop = {Ipv4Packet.PROTOCOL_TCP, 0, 1, 4, 0, 0, 0, 0}; // next header TCP, PadN
        ByteBuffer gso = ipv6Gso(Ipv4Packet.PROTOCOL_TCP, hopByHop, payload(1500));
        List<byte[]> frames = make(gso, Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_TCPV6, 1000, ETH + 48, 16));
        assertEquals(2, frames.size());
        for (byte[] frame : frames) {
            assertArrayEquals(hopByHop, Arrays.copyOfRange(frame, ETH + 40, ETH + 48));
            assertEquals(frame.length - ETH - 40, ByteBuffer.wrap(frame).getShort(ETH + 4) & 0xffff);
            assertEquals(0, ipv6TransportChecksum(ByteBuffer.wrap(frame), ETH + 48, Ipv4Packet.PROTOCOL_TCP));
        }
    }

    // ---- UDP segmentation offload

    @Test
    void usoOverIpv4MakesDatagramsOfGsoSizeWithTheirLengthsIdsAndChecksums() {
        byte[] payload = payload(3 * 1200 + 7);
        ByteBuffer gso = udpv4Gso(payload);
        List<byte[]> frames = make(gso, Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_UDP_L4, 1200, IPV4_TCP, 6));
        assertEquals(4, frames.size());
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int i = 0; i < frames.size(); i++) {
            byte[] frame = frames.get(i);
            Ipv4Packet ip = ipv4(frame);
            assertEquals(Ipv4Packet.Validity.VALID, ip.check());
            assertEquals(frame.length - ETH, ip.totalLength());
            assertEquals(0x1234 + i, ip.identification());
            UdpDatagram udp = new UdpDatagram().wrap(ByteBuffer.wrap(frame), IPV4_TCP, frame.length - IPV4_TCP);
            assertEquals(i < 3 ? 1208 : 15, udp.datagramLength());
            assertTrue(udp.checksum() != 0 && udp.isChecksumValid(SOURCE, DESTINATION), "UDP checksum of frame " + i);
            joined.write(frame, udp.payloadOffset(), udp.payloadLength());
        }
        assertArrayEquals(payload, joined.toByteArray());
    }

    @Test
    void usoOverIpv6MakesDatagramsOfGsoSizeWithTheirLengthsAndChecksums() {
        byte[] payload = payload(2 * 1200 + 100);
        ByteBuffer gso = ipv6Gso(Ipv4Packet.PROTOCOL_UDP, null, payload);
        List<byte[]> frames = make(gso, Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_UDP_L4, 1200, ETH + 40, 6));
        assertEquals(3, frames.size());
        for (int i = 0; i < frames.size(); i++) {
            ByteBuffer frame = ByteBuffer.wrap(frames.get(i));
            int udpLength = i < 2 ? 1208 : 108;
            assertEquals(udpLength, frame.getShort(ETH + 4) & 0xffff, "IPv6 payload length");
            assertEquals(udpLength, frame.getShort(ETH + 40 + 4) & 0xffff, "UDP length");
            assertEquals(0, ipv6TransportChecksum(frame, ETH + 40, Ipv4Packet.PROTOCOL_UDP));
        }
    }

    @Test
    void usoDatagramWhoseChecksumComputesToZeroCarriesAllOnes() {
        byte[] payload = payload(2 * 1200);
        // the second datagram as it will be, its last payload word 0 for now
        ByteBuffer second = ByteBuffer.allocate(8 + 1200).putShort(0, (short) 5353).putShort(2, (short) 53).putShort(4, (short) 1208);
        second.put(8, payload, 1200, 1198);
        long sum = InternetChecksum.add(InternetChecksum.pseudoHeader(SOURCE, DESTINATION, Ipv4Packet.PROTOCOL_UDP, 1208), second, 0, 1208);
        setLastWord(payload, InternetChecksum.finish(sum)); // brings its sum to all ones: a checksum of 0
        List<byte[]> frames = make(udpv4Gso(payload), Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_UDP_L4, 1200, IPV4_TCP, 6));
        UdpDatagram udp = new UdpDatagram().wrap(ByteBuffer.wrap(frames.get(1)), IPV4_TCP, 1208);
        assertEquals(0xffff, udp.checksum(), "RFC 768: 0 would mean no checksum");
        assertEquals(0, InternetChecksum.ofTransport(udp.buffer(), IPV4_TCP, 1208, SOURCE, DESTINATION, Ipv4Packet.PROTOCOL_UDP));
    }

    // ---- frames that are not GSO

    @Test
    void partialChecksumOfATcpFrameIsCompleted() {
        byte[] wire = FrameBuilder.tcp(SOURCE_MAC, DESTINATION_MAC, SOURCE, DESTINATION).seq(SEQ).ack(ACK)
                .flags(TcpSegment.ACK | TcpSegment.PSH).payload(payload(333)).build();
        ByteBuffer partial = withPseudoHeaderSum(ByteBuffer.wrap(wire.clone()), IPV4_TCP + 16, Ipv4Packet.PROTOCOL_TCP);
        List<byte[]> frames = make(partial, Offload.partialChecksum(IPV4_TCP, 16));
        assertEquals(1, frames.size());
        assertArrayEquals(wire, frames.get(0));
    }

    @Test
    void partialChecksumOfAUdpFrameIsCompleted() {
        byte[] wire = FrameBuilder.udp(SOURCE_MAC, DESTINATION_MAC, SOURCE, DESTINATION, 5353, 53, payload(101));
        ByteBuffer partial = withPseudoHeaderSum(ByteBuffer.wrap(wire.clone()), IPV4_TCP + 6, Ipv4Packet.PROTOCOL_UDP);
        List<byte[]> frames = make(partial, Offload.partialChecksum(IPV4_TCP, 6));
        assertArrayEquals(wire, frames.get(0));
    }

    @Test
    void partialChecksumThatComputesToZeroIsStoredAsAllOnes() {
        byte[] body = payload(100);
        setLastWord(body, 0);
        byte[] wire = FrameBuilder.udp(SOURCE_MAC, DESTINATION_MAC, SOURCE, DESTINATION, 5353, 53, body);
        ByteBuffer partial = withPseudoHeaderSum(ByteBuffer.wrap(wire), IPV4_TCP + 6, Ipv4Packet.PROTOCOL_UDP);
        int word = InternetChecksum.of(partial, IPV4_TCP, wire.length - IPV4_TCP);
        partial.putShort(wire.length - 2, (short) word); // brings the sum to all ones: a checksum of 0
        byte[] frame = make(partial, Offload.partialChecksum(IPV4_TCP, 6)).get(0);
        UdpDatagram udp = new UdpDatagram().wrap(ByteBuffer.wrap(frame), IPV4_TCP, frame.length - IPV4_TCP);
        assertEquals(0xffff, udp.checksum(), "skb_checksum_help's CSUM_MANGLED_0");
        assertTrue(udp.isChecksumValid(SOURCE, DESTINATION));
    }

    @Test
    void frameWithOnlyDataValidIsCopiedUnchanged() {
        byte[] wire = FrameBuilder.udp(SOURCE_MAC, DESTINATION_MAC, SOURCE, DESTINATION, 5353, 53, payload(10));
        List<byte[]> frames = make(ByteBuffer.wrap(wire), Offload.of(Offload.FLAG_DATA_VALID, Offload.GSO_NONE, 0, 0, 0));
        assertEquals(1, frames.size());
        assertArrayEquals(wire, frames.get(0));
    }

    // ---- how it is used

    @Test
    void sourceFrameIsNeverChangedAndMayLieAnywhereInADirectBuffer() {
        ByteBuffer gso = tcpv4Gso(payload(3 * MSS), TcpSegment.ACK | TcpSegment.FIN);
        ByteBuffer direct = ByteBuffer.allocateDirect(gso.capacity() + 50);
        direct.put(50, gso, 0, gso.capacity());
        byte[] before = bytes(direct, 0, direct.capacity());
        assertEquals(3, wireFrames.begin(direct, 50, gso.capacity(), tcpv4Offload(MSS)));
        List<byte[]> fromDirect = new ArrayList<>();
        for (int n; (n = wireFrames.next()) > 0; ) {
            fromDirect.add(bytes(wireFrames.buffer(), 0, n));
        }
        assertArrayEquals(before, bytes(direct, 0, direct.capacity()));
        List<byte[]> fromHeap = make(gso, tcpv4Offload(MSS));
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(fromHeap.get(i), fromDirect.get(i));
        }
    }

    @Test
    void callerMayChangeTheBufferBetweenFramesEachIsRebuiltFromTheSource() {
        ByteBuffer gso = tcpv4Gso(payload(3 * MSS), TcpSegment.ACK);
        List<byte[]> untouched = make(gso, tcpv4Offload(MSS));
        wireFrames.begin(gso, 0, gso.capacity(), tcpv4Offload(MSS));
        for (int i = 0, n; (n = wireFrames.next()) > 0; i++) {
            assertArrayEquals(untouched.get(i), bytes(wireFrames.buffer(), 0, n));
            wireFrames.buffer().put(ETH + 8, (byte) 1); // a router lowers the TTL
            wireFrames.buffer().put(n - 1, (byte) 0);
        }
    }

    @Test
    void nextReturnsZeroAfterTheLastFrameAndAfterARefusal() {
        ByteBuffer gso = tcpv4Gso(payload(2 * MSS), TcpSegment.ACK);
        assertEquals(2, wireFrames.begin(gso, 0, gso.capacity(), tcpv4Offload(MSS)));
        assertTrue(wireFrames.next() > 0);
        assertTrue(wireFrames.next() > 0);
        assertEquals(0, wireFrames.next());
        assertEquals(0, wireFrames.next());
        assertEquals(-1, wireFrames.begin(gso, 0, gso.capacity(), tcpv4Offload(0)));
        assertEquals(0, wireFrames.next());
    }

    @Test
    void countAgreesWithBeginAndLeavesTheFrameBeingMadeAlone() {
        ByteBuffer gso = tcpv4Gso(payload(5 * MSS + 1), TcpSegment.ACK);
        assertEquals(6, wireFrames.begin(gso, 0, gso.capacity(), tcpv4Offload(MSS)));
        byte[] first = nextFrame();
        ByteBuffer other = udpv4Gso(payload(1000));
        assertEquals(3, wireFrames.count(other, 0, other.capacity(), Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_UDP_L4, 400, IPV4_TCP, 6)));
        assertEquals(3 * (IPV4_TCP + 8) + 1000, wireFrames.countedBytes());
        assertEquals(-1, wireFrames.count(other, 0, other.capacity(), Offload.of(0, Offload.GSO_UDP, 400, 0, 0)));
        assertEquals(0, wireFrames.countedBytes());
        assertEquals(1, wireFrames.count(other, 0, other.capacity(), Offload.partialChecksum(IPV4_TCP, 6)));
        assertEquals(other.capacity(), wireFrames.countedBytes());
        int made = 1;
        while (wireFrames.next() > 0) {
            made++;
        }
        assertEquals(6, made, "counting did not disturb the frame being made");
        assertEquals(IPV4_TCP + 32 + MSS, first.length);
    }

    @Test
    void makingWireFramesAllocatesNothing() {
        Assumptions.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ByteBuffer gso = tcpv4Gso(payload(40 * MSS), TcpSegment.ACK);
        long offload = tcpv4Offload(MSS);
        int frames = 0;
        for (int round = 0; round < 3; round++) { // warm-up: the JIT's own allocations
            frames = makeAll(gso, offload);
        }
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int round = 0; round < 100; round++) {
            frames += makeAll(gso, offload);
        }
        long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertTrue(allocated < 1024, allocated + " bytes for " + frames + " frames");
    }

    // ---- what is refused

    @Test
    void truncatedIpHeaderIsRefused() {
        ByteBuffer gso = tcpv4Gso(payload(2 * MSS), TcpSegment.ACK);
        assertRefused(gso, ETH + 19, tcpv4Offload(MSS));
        assertRefused(gso, ETH + 10, tcpv4Offload(MSS));
        assertRefused(gso, 8, tcpv4Offload(MSS));
    }

    @Test
    void frameShorterThanAnEthernetHeaderIsRefused() {
        ByteBuffer frame = ByteBuffer.allocate(13);
        assertRefused(frame, 13, Offload.of(Offload.FLAG_DATA_VALID, Offload.GSO_NONE, 0, 0, 0));
        assertRefused(frame, 0, Offload.partialChecksum(0, 0));
    }

    @Test
    void ipTotalLengthBeyondTheFrameIsRefused() {
        ByteBuffer gso = tcpv4Gso(payload(2 * MSS), TcpSegment.ACK);
        assertRefused(gso, gso.capacity() - 1, tcpv4Offload(MSS));
    }

    @Test
    void checksumStartOrFieldOutsideTheFrameIsRefused() {
        byte[] wire = FrameBuilder.udp(SOURCE_MAC, DESTINATION_MAC, SOURCE, DESTINATION, 5353, 53, payload(10));
        ByteBuffer frame = ByteBuffer.wrap(wire);
        assertRefused(frame, wire.length, Offload.partialChecksum(wire.length, 0));
        assertRefused(frame, wire.length, Offload.partialChecksum(wire.length - 1, 0));
        assertRefused(frame, wire.length, Offload.partialChecksum(IPV4_TCP, wire.length - IPV4_TCP - 1));
        assertEquals(1, wireFrames.begin(frame, 0, wire.length, Offload.partialChecksum(IPV4_TCP, wire.length - IPV4_TCP - 2)));
    }

    @Test
    void checksumStartElsewhereThanTheTransportHeaderIsRefused() {
        ByteBuffer gso = tcpv4Gso(payload(2 * MSS), TcpSegment.ACK);
        assertRefused(gso, gso.capacity(), Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_TCPV4, MSS, IPV4_TCP + 4, 12));
        assertRefused(gso, gso.capacity(), Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_TCPV4, MSS, IPV4_TCP, 6));
    }

    @Test
    void gsoSizeZeroIsRefused() {
        ByteBuffer gso = tcpv4Gso(payload(2 * MSS), TcpSegment.ACK);
        assertRefused(gso, gso.capacity(), tcpv4Offload(0));
    }

    @Test
    void gsoFrameWithoutPayloadIsRefused() {
        ByteBuffer gso = tcpv4Gso(new byte[0], TcpSegment.ACK | TcpSegment.FIN);
        assertRefused(gso, gso.capacity(), tcpv4Offload(MSS));
    }

    @Test
    void ufoAndUnknownGsoTypesAreRefused() {
        ByteBuffer gso = udpv4Gso(payload(3000));
        assertRefused(gso, gso.capacity(), Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_UDP, 1400, IPV4_TCP, 6));
        assertRefused(gso, gso.capacity(), Offload.of(Offload.FLAG_NEEDS_CSUM, 2, 1400, IPV4_TCP, 6));
        assertRefused(gso, gso.capacity(), Offload.of(Offload.FLAG_NEEDS_CSUM, 7, 1400, IPV4_TCP, 6));
    }

    @Test
    void gsoTypeThatDoesNotMatchTheFrameIsRefused() {
        ByteBuffer tcp = tcpv4Gso(payload(3000), TcpSegment.ACK);
        assertRefused(tcp, tcp.capacity(), Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_TCPV6, MSS, IPV4_TCP, 16));
        assertRefused(tcp, tcp.capacity(), Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_UDP_L4, MSS, IPV4_TCP, 6));
        ByteBuffer tcp6 = ipv6Gso(Ipv4Packet.PROTOCOL_TCP, null, payload(3000));
        assertRefused(tcp6, tcp6.capacity(), Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_TCPV4, MSS, ETH + 40, 16));
    }

    @Test
    void vlanTaggedFrameIsRefused() {
        ByteBuffer gso = tcpv4Gso(payload(3000), TcpSegment.ACK);
        gso.putShort(12, (short) 0x8100);
        assertRefused(gso, gso.capacity(), tcpv4Offload(MSS));
    }

    @Test
    void wireFrameLongerThanTheLongestItMakesIsRefused() {
        ByteBuffer gso = tcpv4Gso(payload(3 * MSS), TcpSegment.ACK);
        assertRefused(gso, gso.capacity(), tcpv4Offload(MSS + 1));
        ByteBuffer plain = ByteBuffer.wrap(FrameBuilder.udp(SOURCE_MAC, DESTINATION_MAC, SOURCE, DESTINATION, 1, 2, payload(1600)));
        assertRefused(plain, plain.capacity(), Offload.partialChecksum(IPV4_TCP, 6));
    }

    @Test
    void randomBytesAndDescriptorsNeverThrowAndMakeWhatTheyCount() {
        SplittableRandom random = new SplittableRandom(7);
        ByteBuffer frame = ByteBuffer.allocate(4000);
        ByteBuffer valid = tcpv4Gso(payload(2 * 1000), TcpSegment.ACK);
        ByteBuffer valid6 = ipv6Gso(Ipv4Packet.PROTOCOL_UDP, new byte[] {Ipv4Packet.PROTOCOL_UDP, 0, 1, 4, 0, 0, 0, 0}, payload(2000));
        for (int round = 0; round < 200_000; round++) {
            int length;
            if (round % 3 == 0) {
                length = random.nextInt(frame.capacity() + 1);
                for (int i = 0; i < length; i++) {
                    frame.put(i, (byte) random.nextInt());
                }
            } else { // a valid frame with a few bytes changed reaches deeper
                ByteBuffer source = round % 3 == 1 ? valid : valid6;
                length = random.nextInt(source.capacity() + 1);
                frame.put(0, source, 0, length);
                for (int flips = random.nextInt(4); flips > 0 && length > 0; flips--) {
                    frame.put(random.nextInt(Math.min(length, 80)), (byte) random.nextInt());
                }
            }
            long offload = Offload.of(random.nextInt(4), random.nextInt(8) | (random.nextBoolean() ? Offload.GSO_ECN : 0),
                    random.nextInt(4) == 0 ? random.nextInt(65536) : random.nextInt(1500),
                    random.nextInt(4) == 0 ? random.nextInt(65536) : random.nextInt(100), random.nextInt(20));
            int counted = wireFrames.count(frame, 0, length, offload);
            int frames = wireFrames.begin(frame, 0, length, offload);
            assertEquals(counted, frames);
            assertTrue(frames == -1 || frames > 0);
            int made = 0;
            for (int n; (n = wireFrames.next()) > 0; made++) {
                assertTrue(n <= MAX_FRAME);
            }
            assertEquals(Math.max(0, frames), made);
        }
    }

    // ---- frames as a TAP with offloads hands them over

    private static long tcpv4Offload(int gsoSize) {
        return Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_TCPV4, gsoSize, IPV4_TCP, 16);
    }

    /** A TCPv4 GSO frame, its checksum field holding the pseudo-header's sum (NEEDS_CSUM). */
    private static ByteBuffer tcpv4Gso(byte[] payload, int flags) {
        byte[] frame = FrameBuilder.tcp(SOURCE_MAC, DESTINATION_MAC, SOURCE, DESTINATION).ports(40000, 80).seq(SEQ).ack(ACK)
                .flags(flags).window(501).timestamps(7, 9).payload(payload).build();
        return withPseudoHeaderSum(ByteBuffer.wrap(frame), IPV4_TCP + 16, Ipv4Packet.PROTOCOL_TCP);
    }

    private static ByteBuffer udpv4Gso(byte[] payload) {
        byte[] frame = FrameBuilder.udp(SOURCE_MAC, DESTINATION_MAC, SOURCE, DESTINATION, 5353, 53, payload);
        return withPseudoHeaderSum(ByteBuffer.wrap(frame), IPV4_TCP + 6, Ipv4Packet.PROTOCOL_UDP);
    }

    /** Replaces an IPv4 frame's transport checksum with the folded, uncomplemented pseudo-header sum. */
    private static ByteBuffer withPseudoHeaderSum(ByteBuffer frame, int field, int protocol) {
        long pseudo = InternetChecksum.pseudoHeader(SOURCE, DESTINATION, protocol, frame.capacity() - IPV4_TCP);
        frame.putShort(field, (short) ~InternetChecksum.finish(pseudo));
        return frame;
    }

    /**
     * An Ethernet + IPv6 frame with {@code extension} (or none) and a TCP (ACK|PSH, seq {@link #SEQ}) or UDP
     * header before {@code payload}; the transport checksum holds the pseudo-header's sum.
     */
    private static ByteBuffer ipv6Gso(int protocol, byte[] extension, byte[] payload) {
        int extensionLength = extension == null ? 0 : extension.length;
        int transportHeader = protocol == Ipv4Packet.PROTOCOL_TCP ? 20 : 8;
        int transport = ETH + 40 + extensionLength;
        int transportLength = transportHeader + payload.length;
        ByteBuffer b = ByteBuffer.allocate(transport + transportLength);
        b.putLong(0, DESTINATION_MAC << 16).putLong(6, SOURCE_MAC << 16).putShort(12, (short) 0x86dd);
        b.putInt(ETH, 0x6000_0000).putShort(ETH + 4, (short) (extensionLength + transportLength));
        b.put(ETH + 6, (byte) (extension == null ? protocol : 0)).put(ETH + 7, (byte) 64);
        b.put(ETH + 8, SOURCE6).put(ETH + 24, DESTINATION6);
        if (extension != null) {
            b.put(ETH + 40, extension);
        }
        if (protocol == Ipv4Packet.PROTOCOL_TCP) {
            b.putShort(transport, (short) 40000).putShort(transport + 2, (short) 80).putInt(transport + 4, SEQ).putInt(transport + 8, ACK);
            b.put(transport + 12, (byte) 0x50).put(transport + 13, (byte) (TcpSegment.ACK | TcpSegment.PSH)).putShort(transport + 14, (short) 501);
        } else {
            b.putShort(transport, (short) 5353).putShort(transport + 2, (short) 53).putShort(transport + 4, (short) transportLength);
        }
        b.put(transport + transportHeader, payload);
        long pseudo = InternetChecksum.add(protocol + transportLength, b, ETH + 8, 32);
        b.putShort(transport + (protocol == Ipv4Packet.PROTOCOL_TCP ? 16 : 6), (short) ~InternetChecksum.finish(pseudo));
        return b;
    }

    /** The checksum over an IPv6 frame's transport and pseudo-header (RFC 8200 §8.1): 0 when it is right. */
    private static int ipv6TransportChecksum(ByteBuffer frame, int transport, int protocol) {
        int length = frame.capacity() - transport;
        return InternetChecksum.finish(InternetChecksum.add(InternetChecksum.add(protocol + length, frame, ETH + 8, 32), frame, transport, length));
    }

    /** The frame with its partial checksum completed, the way a test expects it. */
    private static byte[] complete(ByteBuffer partial) {
        byte[] frame = bytes(partial, 0, partial.capacity());
        ByteBuffer b = ByteBuffer.wrap(frame);
        new TcpSegment().wrap(b, IPV4_TCP, frame.length - IPV4_TCP).writeChecksum(SOURCE, DESTINATION);
        return frame;
    }

    // ---- helpers

    private List<byte[]> make(ByteBuffer frame, long offload) {
        int frames = wireFrames.begin(frame, 0, frame.capacity(), offload);
        assertEquals(frames, wireFrames.count(frame, 0, frame.capacity(), offload), "count agrees with begin");
        List<byte[]> made = new ArrayList<>();
        for (int n; (n = wireFrames.next()) > 0; ) {
            made.add(bytes(wireFrames.buffer(), 0, n));
        }
        assertEquals(frames, made.size());
        long bytes = made.stream().mapToLong(f -> f.length).sum();
        assertEquals(bytes, wireFrames.countedBytes(), "countedBytes is what the frames weigh");
        return made;
    }

    private int makeAll(ByteBuffer frame, long offload) {
        int frames = wireFrames.begin(frame, 0, frame.capacity(), offload);
        while (wireFrames.next() > 0) {
            wireFrames.count(frame, 0, frame.capacity(), offload);
        }
        return frames;
    }

    private byte[] nextFrame() {
        int n = wireFrames.next();
        assertTrue(n > 0);
        return bytes(wireFrames.buffer(), 0, n);
    }

    private void assertRefused(ByteBuffer frame, int length, long offload) {
        assertEquals(-1, wireFrames.count(frame, 0, length, offload), Offload.describe(offload));
        assertEquals(-1, wireFrames.begin(frame, 0, length, offload), Offload.describe(offload));
        assertEquals(0, wireFrames.next());
    }

    private static List<Integer> tcpFlags(List<byte[]> frames) {
        return frames.stream().map(f -> Decoded.of(f).tcp().flags()).toList();
    }

    private static Ipv4Packet ipv4(byte[] frame) {
        return new Ipv4Packet().wrap(ByteBuffer.wrap(frame), ETH, frame.length - ETH);
    }

    private static void setLastWord(byte[] bytes, int word) {
        bytes[bytes.length - 2] = (byte) (word >>> 8);
        bytes[bytes.length - 1] = (byte) word;
    }

    private static byte[] payload(int length) {
        byte[] payload = new byte[length];
        new SplittableRandom(length).nextBytes(payload);
        return payload;
    }

    private static byte[] bytes(ByteBuffer buffer, int offset, int length) {
        byte[] copy = new byte[length];
        buffer.get(offset, copy);
        return copy;
    }
}
