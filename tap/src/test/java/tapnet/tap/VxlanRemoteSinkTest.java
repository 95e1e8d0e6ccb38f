package tapnet.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.frame.Offload;
import tapnet.frame.WireFrames;
import tapnet.testing.FrameBuilder;
import tapnet.wire.InternetChecksum;
import tapnet.wire.Ipv4Address;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.TcpSegment;
import tapnet.wire.VxlanHeader;

/**
 * A {@link VxlanRemoteSink} sending offloaded frames (a 64 KB TCP GSO frame, one of 101 wire frames, IPv6, a
 * partial checksum) in a test namespace to a plain UDP socket on its loopback: they arrive as the datagrams,
 * one per wire frame, that {@link WireFrames} makes of them behind a VXLAN header each, with valid checksums,
 * whether the socket sends them in batches under UDP_SEGMENT (the loopback's packet count says how many
 * sends) or, forced or refused, one by one; a wire frame arrives as one; nothing is allocated per send.
 */
@Timeout(60)
class VxlanRemoteSinkTest {
    private static final int VNI = 4242;
    private static final int PORT = VxlanHeader.DEFAULT_PORT;
    private static final int A = Ipv4Address.parse("127.0.0.1");
    private static final int B = Ipv4Address.parse("127.0.0.2");
    private static final int SOURCE = Ipv4Address.parse("10.241.80.1");
    private static final int DESTINATION = Ipv4Address.parse("10.241.80.2");
    private static final int ETH = 14;
    private static final int MSS = 1448;
    private static final int MAX_FRAME = 1514;
    /** 45 full segments and a short one: 46 wire frames, two batches (64 segments, 65,507 bytes at most each). */
    private static final int PAYLOAD = 45 * MSS + 300;
    private static final long GSO = Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_TCPV4, MSS, ETH + 20, 16);

    private final ByteBuffer gsoFrame = direct(FrameBuilder.tcp(0x02_00_00_00_00_01L, 0x02_00_00_00_00_02L, SOURCE, DESTINATION)
            .ports(40001, 5201).seq(0xffff_0000).ack(7).flags(TcpSegment.ACK | TcpSegment.PSH).window(512).timestamps(1, 2)
            .payload(payload(PAYLOAD)).build());
    private final ByteBuffer arpFrame = direct(FrameBuilder.arpRequest(0x02_00_00_00_00_01L, SOURCE, DESTINATION));
    private final ByteBuffer partialFrame = direct(FrameBuilder.withPartialTcpChecksum(
            FrameBuilder.tcp(0x02_00_00_00_00_01L, 0x02_00_00_00_00_02L, SOURCE, DESTINATION).ports(40002, 5201).seq(9)
                    .ack(10).flags(TcpSegment.ACK).payload(payload(999)).build()));

    @BeforeEach
    void needsRoot() {
        TapTestEnvironment.assumeTapTestsCanRun();
    }

    @Test
    void a64KbTcpGsoFrameArrivesAsTheWireFramesItStandsForEachBehindAVxlanHeader() throws Exception {
        try (TestNamespace ns = loopback(); DatagramChannel receiver = receiver(ns);
             VxlanSocket a = VxlanSocket.open(ns.namespace(), A, PORT, VNI, new int[] {B}, MAX_FRAME)) {
            VxlanRemoteSink sink = new VxlanRemoteSink(a, 0);
            assertTrue(a.sendsInBatches(), "this kernel takes UDP_SEGMENT");
            assertTrue(sink.takesOffloads());
            long packets = loopbackPackets(ns);

            sink.send(gsoFrame, 0, gsoFrame.capacity(), GSO);

            assertArrivesAsItsWireFrames(receiver, gsoFrame, GSO, 46);
            assertEquals(2, loopbackPackets(ns) - packets, "two sends: 43 datagrams (65,446 bytes), then 3");
            assertEquals(46, a.sent(0), "counted per datagram");
            assertEquals(0, a.unsent());
            assertTrue(a.sendsInBatches());
        }
    }

    @Test
    void moreThan64WireFramesGoInSeveralSendsAsTheKernelTakesAtMost64() throws Exception {
        ByteBuffer small = direct(FrameBuilder.tcp(0x02_00_00_00_00_01L, 0x02_00_00_00_00_02L, SOURCE, DESTINATION)
                .ports(40003, 5201).seq(1).ack(2).flags(TcpSegment.ACK).payload(payload(100 * 200 + 50)).build());
        long offload = Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_TCPV4, 200, ETH + 20, 16);
        try (TestNamespace ns = loopback(); DatagramChannel receiver = receiver(ns);
             VxlanSocket a = VxlanSocket.open(ns.namespace(), A, PORT, VNI, new int[] {B}, MAX_FRAME)) {
            long packets = loopbackPackets(ns);

            new VxlanRemoteSink(a, 0).send(small, 0, small.capacity(), offload);

            assertArrivesAsItsWireFrames(receiver, small, offload, 101);
            assertEquals(2, loopbackPackets(ns) - packets, "64 datagrams, then 37 (the last shorter)");
        }
    }

    @Test
    void anIpv6TcpGsoFrameArrivesAsItsWireFrames() throws Exception {
        ByteBuffer ipv6 = direct(FrameBuilder.tcp(0x02_00_00_00_00_01L, 0x02_00_00_00_00_02L, 0, 0)
                .ipv6(FrameBuilder.v6("fd00:241:80::1"), FrameBuilder.v6("fd00:241:80::2")).ports(40004, 5201).seq(3).ack(4)
                .flags(TcpSegment.ACK | TcpSegment.PSH).payload(payload(20 * 1400 + 1)).build());
        long offload = Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_TCPV6, 1400, ETH + 40, 16);
        try (TestNamespace ns = loopback(); DatagramChannel receiver = receiver(ns);
             VxlanSocket a = VxlanSocket.open(ns.namespace(), A, PORT, VNI, new int[] {B}, MAX_FRAME)) {
            new VxlanRemoteSink(a, 0).send(ipv6, 0, ipv6.capacity(), offload);

            assertArrivesAsItsWireFrames(receiver, ipv6, offload, 21); // WireFramesAgainstKernelTest checks their checksums
            assertEquals(21, a.sent(0));
        }
    }

    @Test
    void aWireFrameAndAPartialChecksumEachArriveAsOneDatagram() throws Exception {
        try (TestNamespace ns = loopback(); DatagramChannel receiver = receiver(ns);
             VxlanSocket a = VxlanSocket.open(ns.namespace(), A, PORT, VNI, new int[] {B}, MAX_FRAME)) {
            VxlanRemoteSink sink = new VxlanRemoteSink(a, 0);

            sink.send(arpFrame, 0, arpFrame.capacity(), Offload.NONE);
            byte[] arp = receive(receiver);
            assertEquals(VxlanHeader.LENGTH + arpFrame.capacity(), arp.length);
            assertEquals(arpFrame, ByteBuffer.wrap(arp, VxlanHeader.LENGTH, arpFrame.capacity()).slice(), "as sent");

            long partial = Offload.partialChecksum(ETH + 20, 16);
            sink.send(partialFrame, 0, partialFrame.capacity(), partial);
            assertArrivesAsItsWireFrames(receiver, partialFrame, partial, 1);
            assertEquals(2, a.sent(0));
        }
    }

    @Test
    void withoutBatchesTheEngineCutsAndTheFramesStillArriveWhole() throws Exception {
        try (TestNamespace ns = loopback(); DatagramChannel receiver = receiver(ns);
             VxlanSocket a = VxlanSocket.open(ns.namespace(), A, PORT, VNI, new int[] {B}, MAX_FRAME)) {
            a.batch().stopSegmenting();
            VxlanRemoteSink sink = new VxlanRemoteSink(a, 0);
            assertFalse(a.sendsInBatches(), "forced, as on a kernel without UDP_SEGMENT");
            assertFalse(sink.takesOffloads(), "the engine cuts offloaded frames itself then");
            long packets = loopbackPackets(ns);

            sink.send(gsoFrame, 0, gsoFrame.capacity(), GSO); // it still takes one, datagram by datagram

            assertArrivesAsItsWireFrames(receiver, gsoFrame, GSO, 46);
            assertEquals(46, loopbackPackets(ns) - packets, "one send per datagram");
            assertEquals(46, a.sent(0));
        }
    }

    @Test
    void aBatchTheKernelRefusesForTheMtuGoesAgainOneByOneAndSoDoesEveryLaterOne() throws Exception {
        try (TestNamespace ns = loopback(); DatagramChannel receiver = receiver(ns);
             VxlanSocket a = VxlanSocket.open(ns.namespace(), A, PORT, VNI, new int[] {B}, MAX_FRAME)) {
            ns.ip("link", "set", "lo", "mtu", "1400"); // a 1522-byte datagram is fragmented; a segment of it refused
            VxlanRemoteSink sink = new VxlanRemoteSink(a, 0);

            sink.send(gsoFrame, 0, gsoFrame.capacity(), GSO);

            assertArrivesAsItsWireFrames(receiver, gsoFrame, GSO, 46);
            assertEquals(46, a.sent(0));
            assertEquals(0, a.unsent());
            assertFalse(a.sendsInBatches(), "given up for this socket");
            assertFalse(sink.takesOffloads());
        }
    }

    @Test
    void aFrameThatCannotBeCutIsCountedAsOneUnsent() throws Exception {
        try (TestNamespace ns = loopback(); DatagramChannel receiver = receiver(ns);
             VxlanSocket a = VxlanSocket.open(ns.namespace(), A, PORT, VNI, new int[] {B}, MAX_FRAME)) {
            VxlanRemoteSink sink = new VxlanRemoteSink(a, 0);
            long tooLarge = Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_TCPV4, 9000, ETH + 20, 16);

            sink.send(gsoFrame, 0, gsoFrame.capacity(), tooLarge); // wire frames of 9054 bytes: longer than the largest

            assertEquals(1, a.unsent(0));
            assertEquals(0, a.sent(0));
            Thread.sleep(100);
            assertNull(receiver.receive(ByteBuffer.allocate(100)), "nothing sent");
        }
    }

    @Test
    void sendingOffloadedFramesAllocatesNothing() throws Exception {
        Allocations.assumeMeasurable();
        try (TestNamespace ns = loopback(); DatagramChannel receiver = receiver(ns); // never read: the kernel drops
             VxlanSocket a = VxlanSocket.open(ns.namespace(), A, PORT, VNI, new int[] {B}, MAX_FRAME)) {
            VxlanRemoteSink sink = new VxlanRemoteSink(a, 0);
            long partial = Offload.partialChecksum(ETH + 20, 16);
            for (int i = 0; i < 2_000; i++) { // warm up: the JIT
                sendEach(sink, partial);
            }
            long before = Allocations.allocatedBy(Thread.currentThread());
            for (int i = 0; i < 1_000; i++) {
                sendEach(sink, partial);
            }
            long allocated = Allocations.allocatedBy(Thread.currentThread()) - before;
            assertTrue(allocated < 4_096, "1000 GSO frames (46,000 datagrams) and 2000 others allocated " + allocated + " bytes");
            assertEquals(3_000 * 48, a.sent(0));
            assertEquals(0, a.unsent());
        }
    }

    private void sendEach(VxlanRemoteSink sink, long partial) {
        sink.send(gsoFrame, 0, gsoFrame.capacity(), GSO);
        sink.send(arpFrame, 0, arpFrame.capacity(), Offload.NONE);
        sink.send(partialFrame, 0, partialFrame.capacity(), partial);
    }

    /** Receives {@code frames} datagrams, and finds in each the VXLAN header and the wire frame made of it. */
    private static void assertArrivesAsItsWireFrames(DatagramChannel receiver, ByteBuffer frame, long offload, int frames)
            throws Exception {
        WireFrames expected = new WireFrames(MAX_FRAME);
        assertEquals(frames, expected.begin(frame, 0, frame.capacity(), offload));
        List<String> problems = new ArrayList<>();
        for (int i = 0, n; (n = expected.next()) > 0; i++) {
            byte[] datagram = receive(receiver);
            VxlanHeader header = new VxlanHeader().wrap(ByteBuffer.wrap(datagram), 0, datagram.length);
            if (!header.isValid() || header.vni() != VNI) {
                problems.add("datagram " + i + ": not a VXLAN header of VNI " + VNI);
            }
            byte[] inner = Arrays.copyOfRange(datagram, VxlanHeader.LENGTH, datagram.length);
            if (!Arrays.equals(inner, Arrays.copyOf(expected.buffer().array(), n))) {
                problems.add("datagram " + i + ": " + inner.length + " bytes, not the " + n + "-byte wire frame");
            }
            if (ByteBuffer.wrap(inner).getShort(12) == 0x0800 && !checksumsValid(inner)) {
                problems.add("datagram " + i + ": a checksum is wrong");
            }
        }
        assertEquals(List.of(), problems);
        Thread.sleep(50);
        assertNull(receiver.receive(ByteBuffer.allocate(100)), "no datagram more than wire frames");
    }

    /** Whether the IPv4 header's and the TCP checksum of an Ethernet, IPv4 (20 bytes) and TCP frame are right. */
    private static boolean checksumsValid(byte[] frame) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        int tcpLength = frame.length - ETH - 20;
        long pseudo = InternetChecksum.pseudoHeader(b.getInt(ETH + 12), b.getInt(ETH + 16), Ipv4Packet.PROTOCOL_TCP, tcpLength);
        return InternetChecksum.of(b, ETH, 20) == 0 && InternetChecksum.finish(InternetChecksum.add(pseudo, b, ETH + 20, tcpLength)) == 0;
    }

    /**
     * Packets the namespace's loopback sent: a segmented send crosses it as one (it takes UDP GSO packets
     * whole and the receiving socket cuts them), so this counts sendmsg(2) calls.
     */
    private static long loopbackPackets(TestNamespace ns) {
        ExternalCommand cat = ns.exec(10, "cat", "/sys/class/net/lo/statistics/tx_packets");
        assertEquals(0, cat.exitCode(), cat.describe());
        return Long.parseLong(cat.output().strip());
    }

    private static byte[] receive(DatagramChannel receiver) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(65_536);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (receiver.receive(buffer) == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no datagram in 5 s");
            }
            Thread.sleep(1);
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    /** A plain UDP socket at B's VXLAN port, non-blocking, with room for a few hundred datagrams. */
    private static DatagramChannel receiver(TestNamespace ns) throws Exception {
        return ns.call(() -> {
            DatagramChannel channel = DatagramChannel.open();
            try {
                channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 1 << 20);
                channel.bind(new InetSocketAddress(Ipv4Address.format(B), PORT)).configureBlocking(false);
                return channel;
            } catch (Exception | Error e) {
                channel.close();
                throw e;
            }
        });
    }

    private static TestNamespace loopback() throws Exception {
        TestNamespace ns = TestNamespace.create();
        try {
            ns.namespace().loopbackUp();
            return ns;
        } catch (Exception | Error e) {
            ns.close();
            throw e;
        }
    }

    private static ByteBuffer direct(byte[] bytes) {
        return ByteBuffer.allocateDirect(bytes.length).put(0, bytes);
    }

    private static byte[] payload(int length) {
        byte[] payload = new byte[length];
        new SplittableRandom(length).nextBytes(payload);
        return payload;
    }
}
