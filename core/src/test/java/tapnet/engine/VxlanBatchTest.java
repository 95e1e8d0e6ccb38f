package tapnet.engine;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.frame.FrameSink;
import tapnet.frame.Offload;
import tapnet.frame.WireFrames;
import tapnet.node.VirtualHost;
import tapnet.observe.DropReason;
import tapnet.segment.VxlanRemotes;
import tapnet.service.EchoService;
import tapnet.testing.CapturingSink;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.wire.InternetChecksum;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;
import tapnet.wire.TcpSegment;
import tapnet.wire.VxlanHeader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A remote's datagrams read in one batch (UDP GRO): each one's VXLAN header checked and counted as alone, the
 * TCP segments of one flow joined into one GSO frame that a port taking offloads gets whole, and that is cut
 * back into the same segments for a port without offloads or a host. In the engine, on a virtual clock.
 */
class VxlanBatchTest {
    private static final int VNI = 42;
    private static final int MSS = 1448;
    private static final long EAST_MAC = MacAddress.parse("02:00:00:00:01:01");
    private static final int EAST_IP = Ipv4Address.parse("10.77.0.101");
    private static final long RIGHT_MAC = MacAddress.parse("02:00:00:00:01:02");
    private static final int RIGHT_IP = Ipv4Address.parse("10.77.0.102");

    /** A port whose TAP takes offloaded frames: keeps what it is sent whole, with the descriptor. */
    private static final class OffloadingSink implements FrameSink {
        final List<byte[]> frames = new ArrayList<>();
        final List<Long> offloads = new ArrayList<>();
        boolean keep = true;
        long sent;

        @Override
        public ByteBuffer claim() {
            return ByteBuffer.allocate(1514);
        }

        @Override
        public void commit(int length) {
        }

        @Override
        public int maxFrameLength() {
            return 1514;
        }

        @Override
        public boolean takesOffloads() {
            return true;
        }

        @Override
        public void send(ByteBuffer frame, int offset, int length, long offload) {
            sent++;
            if (keep) {
                byte[] copy = new byte[length];
                frame.get(offset, copy);
                frames.add(copy);
                offloads.add(offload);
            }
        }
    }

    private final EngineHarness net = new EngineHarness();
    private final VirtualHost web = net.host("web", "10.77.0.10", 7, new EchoService());
    private final OffloadingSink right = new OffloadingSink();
    private final CapturingSink plain = new CapturingSink(1514);
    private final int rightPort = net.engine.addPort("right", right);
    private final int plainPort = net.engine.addPort("plain", plain);
    private final CapturingSink eastWire = new CapturingSink(1514);
    private final int east = net.engine.addVxlanRemote("vxlan:192.168.50.2", eastWire, VNI);

    /** Segment {@code index} of a flow from east to {@code mac}/{@code ip}: MSS bytes, timestamps, IP id 100 + index. */
    private static byte[] segment(long mac, int ip, int port, int seq, int ack, int index, int flags, int payload) {
        byte[] data = new byte[payload];
        Arrays.fill(data, (byte) index);
        byte[] frame = FrameBuilder.tcp(EAST_MAC, mac, EAST_IP, ip).ports(40000, port).seq(seq).ack(ack)
                .flags(flags).timestamps(5, 6).payload(data).build();
        ByteBuffer b = ByteBuffer.wrap(frame);
        b.putShort(14 + 4, (short) (100 + index)).putShort(14 + 10, (short) 0);
        b.putShort(14 + 10, (short) InternetChecksum.of(b, 14, 20));
        return frame;
    }

    private static List<byte[]> flow(long mac, int ip, int port, int seq, int ack, int count) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            frames.add(segment(mac, ip, port, seq + i * MSS, ack, i, TcpSegment.ACK, MSS));
        }
        return frames;
    }

    /** The frames behind VXLAN headers, back to back, each datagram as long as the first's (the last may be shorter). */
    private static ByteBuffer batch(List<byte[]> frames, int... otherVniAt) {
        int size = VxlanHeader.LENGTH + frames.get(0).length;
        ByteBuffer b = ByteBuffer.allocateDirect(size * frames.size());
        int at = 0;
        for (int i = 0; i < frames.size(); i++) {
            byte[] frame = frames.get(i);
            assertTrue(VxlanHeader.LENGTH + frame.length == size || i == frames.size() - 1, "same size but the last");
            int index = i;
            boolean otherVni = Arrays.stream(otherVniAt).anyMatch(n -> n == index);
            new VxlanHeader().wrap(b, at, VxlanHeader.LENGTH).write(otherVni ? VNI + 1 : VNI);
            b.put(at + VxlanHeader.LENGTH, frame);
            at += VxlanHeader.LENGTH + frame.length;
        }
        return b.limit(at);
    }

    private void fromEast(ByteBuffer batch, int datagramSize) {
        net.engine.onFrame(batch, 0, batch.limit(), VxlanRemotes.batchOf(datagramSize), east);
        net.engine.endOfBatch();
    }

    private void learnPorts() {
        byte[] arp = FrameBuilder.arpRequest(RIGHT_MAC, RIGHT_IP, EAST_IP);
        net.engine.onFrame(ByteBuffer.wrap(arp), 0, arp.length, Offload.NONE, rightPort);
        net.engine.endOfBatch();
        eastWire.clear();
        plain.clear();
        net.drain();
    }

    private static List<byte[]> cut(byte[] frame, long offload) {
        if (offload == Offload.NONE) {
            return List.of(frame);
        }
        WireFrames wire = new WireFrames(1514);
        assertTrue(wire.begin(ByteBuffer.wrap(frame), 0, frame.length, offload) > 0, Offload.describe(offload));
        List<byte[]> out = new ArrayList<>();
        for (int n; (n = wire.next()) > 0; ) {
            out.add(Arrays.copyOf(wire.buffer().array(), n));
        }
        return out;
    }

    private static void assertSameFrames(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "frame " + i);
        }
    }

    @Test
    void aBatchOfSegmentsReachesAPortThatTakesOffloadsAsOneGsoFrame() {
        learnPorts();
        List<byte[]> segments = flow(RIGHT_MAC, RIGHT_IP, 5201, 1000, 77, 44);
        segments.add(segment(RIGHT_MAC, RIGHT_IP, 5201, 1000 + 44 * MSS, 77, 44, TcpSegment.ACK | TcpSegment.PSH, 600));
        fromEast(batch(segments), VxlanHeader.LENGTH + segments.get(0).length);

        assertEquals(1, right.frames.size(), "one write instead of 45");
        long offload = right.offloads.get(0);
        assertEquals(Offload.GSO_TCPV4, Offload.gsoType(offload));
        assertEquals(MSS, Offload.gsoSize(offload));
        assertSameFrames(segments, cut(right.frames.get(0), offload));
        assertEquals(0, plain.count(), "not flooded: the port's MAC was learned");
    }

    @Test
    void aPortWithoutOffloadsGetsTheSegmentsAsTheyWere() {
        List<byte[]> segments = flow(MacAddress.parse("02:00:00:00:09:09"), RIGHT_IP, 5201, 1000, 77, 20);
        fromEast(batch(segments), VxlanHeader.LENGTH + segments.get(0).length);
        assertSameFrames(segments, plain.drain());
        assertEquals(1, right.frames.size(), "flooded: the port that takes offloads gets the joined frame");
    }

    @Test
    void eachDatagramsHeaderIsCheckedAndCountedAlone() {
        learnPorts();
        List<byte[]> segments = flow(RIGHT_MAC, RIGHT_IP, 5201, 1000, 77, 10);
        fromEast(batch(segments, 4), VxlanHeader.LENGTH + segments.get(0).length);
        assertEquals(1, net.engine.counters().dropped(DropReason.VXLAN_OTHER_VNI), "the fifth datagram");
        assertEquals(2, right.frames.size(), "the gap it leaves ends the first flow");
        List<byte[]> delivered = new ArrayList<>();
        for (int i = 0; i < right.frames.size(); i++) {
            delivered.addAll(cut(right.frames.get(i), right.offloads.get(i)));
        }
        List<byte[]> expected = new ArrayList<>(segments);
        expected.remove(4);
        assertSameFrames(expected, delivered);
    }

    @Test
    void aHostGetsTheJoinedSegmentAndEchoesEveryByte() {
        int iss = 5000;
        byte[] syn = FrameBuilder.tcp(EAST_MAC, web.mac(), EAST_IP, web.address()).ports(40000, 7).seq(iss)
                .flags(TcpSegment.SYN).mss(1460).timestamps(5, 0).build();
        fromEast(batch(List.of(syn)), 0);
        Decoded.Tcp synAck = Decoded.of(eastWire.drain().get(0)).tcp();
        assertTrue(synAck.has(TcpSegment.SYN | TcpSegment.ACK), synAck.toString());
        int hostSeq = synAck.seq() + 1;
        fromEast(batch(List.of(segment(web.mac(), web.address(), 7, iss + 1, hostSeq, 0, TcpSegment.ACK, 0))), 0);
        eastWire.clear();

        List<byte[]> segments = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            segments.add(segment(web.mac(), web.address(), 7, iss + 1 + i * 1000, hostSeq, i, TcpSegment.ACK, 1000));
        }
        fromEast(batch(segments), VxlanHeader.LENGTH + segments.get(0).length);

        java.io.ByteArrayOutputStream echoed = new java.io.ByteArrayOutputStream();
        int acked = 0;
        for (int round = 0; round < 10 && echoed.size() < 8000; round++) { // the echo comes as the window opens
            for (byte[] frame : eastWire.drain()) {
                Decoded.Tcp t = Decoded.of(frame).tcp();
                echoed.writeBytes(t.payload());
                acked = Math.max(acked, t.ack() - iss - 1);
            }
            fromEast(batch(List.of(segment(web.mac(), web.address(), 7, iss + 8001, hostSeq + echoed.size(), 9,
                    TcpSegment.ACK, 0))), 0);
        }
        assertEquals(8000, acked, "every byte acknowledged");
        byte[] expected = new byte[8000];
        for (int i = 0; i < 8; i++) {
            Arrays.fill(expected, i * 1000, (i + 1) * 1000, (byte) i);
        }
        assertArrayEquals(expected, echoed.toByteArray(), "echoed in order");
    }

    @Test
    void batchesAllocateNothingInSteadyState() {
        learnPorts();
        right.keep = false;
        List<byte[]> segments = flow(RIGHT_MAC, RIGHT_IP, 5201, 1000, 77, 44);
        ByteBuffer batch = batch(segments);
        int size = VxlanHeader.LENGTH + segments.get(0).length;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) {
            fromEast(batch, size);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 20_000; i++) {
            fromEast(batch, size);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(40_000, right.sent, "one joined frame per batch");
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes over 20,000 batches of 44 datagrams");
    }
}
