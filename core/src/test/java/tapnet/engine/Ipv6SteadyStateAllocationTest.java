package tapnet.engine;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import tapnet.net.PacketWriter;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.service.EchoService;
import tapnet.service.UdpEchoService;
import tapnet.tcp.TcpConfig;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.wire.TcpSegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.FIN;
import static tapnet.wire.TcpSegment.PSH;
import static tapnet.wire.TcpSegment.SYN;

/**
 * IPv6's hot path allocates nothing per frame either (as {@link SteadyStateAllocationTest} measures for
 * IPv4): echo requests, neighbour solicitations, UDP echoes and whole TCP connections over IPv6 after a
 * warm-up, measured with the JVM's per-thread allocation counter; frames crafted in place in reused buffers.
 */
class Ipv6SteadyStateAllocationTest {
    private static final int ROUNDS = 100_000;
    private static final int WARM_UP = 20_000;
    private static final long BUDGET = 64 * 1024;
    private static final long[] WEB = FrameBuilder.v6("fd77::10");

    private final EngineHarness net = new EngineHarness(TcpConfig.defaults().withMaxConnections(256)).prefix6("fd77::/64");
    private final VirtualHost host = net.host6("echo", "10.77.0.10", "fd77::10");
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    {
        net.engine.listen(host, 7, new EchoService());
        net.engine.listenUdp(host, 7, new UdpEchoService());
    }

    /** Bytes allocated on this thread by {@code rounds} runs of {@code frames}, after a warm-up. */
    private long allocatedBy(Runnable round) {
        for (int i = 0; i < WARM_UP; i++) {
            round.run();
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < ROUNDS; i++) {
            round.run();
        }
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    private void deliver(ByteBuffer frame) {
        net.engine.onFrame(frame, 0, frame.capacity());
        net.engine.endOfBatch();
        net.sink.clear();
    }

    @Test
    void echoRequestsOverIpv6AllocateNothing() {
        ByteBuffer ping = ByteBuffer.wrap(FrameBuilder.echoRequest6(EngineHarness.PEER_MAC, host.mac(), EngineHarness.PEER6,
                WEB, 1, 1, new byte[56]));
        long allocated = allocatedBy(() -> deliver(ping));
        assertEquals(WARM_UP + ROUNDS, net.engine.counters().get(Counter.ICMPV6_ECHO_REPLIES));
        assertTrue(allocated < BUDGET, "allocated " + allocated + " bytes over " + ROUNDS + " echo requests");
    }

    @Test
    void neighborSolicitationsAllocateNothing() {
        ByteBuffer ns = ByteBuffer.wrap(FrameBuilder.neighborSolicitation(EngineHarness.PEER_MAC, EngineHarness.PEER6, WEB));
        long allocated = allocatedBy(() -> deliver(ns));
        assertEquals(WARM_UP + ROUNDS, net.engine.counters().get(Counter.NDP_ADVERTISEMENTS));
        assertTrue(allocated < BUDGET, "allocated " + allocated + " bytes over " + ROUNDS + " solicitations");
    }

    @Test
    void udpEchoOverIpv6AllocatesNothing() {
        ByteBuffer datagram = ByteBuffer.wrap(FrameBuilder.udp6(EngineHarness.PEER_MAC, host.mac(), EngineHarness.PEER6, WEB,
                5000, 7, new byte[64]));
        long allocated = allocatedBy(() -> deliver(datagram));
        assertEquals(WARM_UP + ROUNDS, net.engine.counters().get(Counter.UDP_DATAGRAMS_OUT));
        assertTrue(allocated < BUDGET, "allocated " + allocated + " bytes over " + ROUNDS + " UDP echoes");
    }

    @Test
    void wholeTcpConnectionsOverIpv6AllocateNothing() {
        Connections connections = new Connections();
        long allocated = allocatedBy(connections::next);
        assertEquals(WARM_UP + ROUNDS, net.engine.counters().get(Counter.TCP_CONNECTIONS_CLOSED));
        assertEquals(0, net.engine.tcp().connections().size());
        assertTrue(allocated < BUDGET, "allocated " + allocated + " bytes over " + ROUNDS + " connections");
    }

    /** Connections to the echo service, each: handshake, 64 bytes echoed, close; segments rewritten in place. */
    private final class Connections {
        private final ByteBuffer syn = template(0, true);
        private final ByteBuffer bare = template(0, false);
        private final ByteBuffer data = template(64, false);
        private final TcpSegment writer = new TcpSegment();
        private final TcpSegment reader = new TcpSegment();
        private final long addressSum = FrameBuilder.addressSum(EngineHarness.PEER6, WEB);
        private int count;

        private ByteBuffer template(int payload, boolean mss) {
            FrameBuilder.Tcp t = FrameBuilder.tcp(EngineHarness.PEER_MAC, host.mac(), 0, 0)
                    .ipv6(EngineHarness.PEER6, WEB).payload(new byte[payload]);
            return ByteBuffer.wrap((mss ? t.mss(1440) : t).build());
        }

        void next() {
            int port = 1024 + (count % 60_000);
            int iss = count++ * 7919;
            send(syn, port, iss, 0, SYN, 24);
            ByteBuffer answer = net.sink.frame(0);
            int at = PacketWriter.TRANSPORT_OFFSET_6;
            int serverIsn = reader.wrap(answer, at, net.sink.length(0) - at).sequenceNumber();
            net.sink.clear();
            send(bare, port, iss + 1, serverIsn + 1, ACK, 20);
            send(data, port, iss + 1, serverIsn + 1, ACK | PSH, 20);
            net.sink.clear();
            send(bare, port, iss + 65, serverIsn + 65, FIN | ACK, 20);
            send(bare, port, iss + 66, serverIsn + 66, ACK, 20);
            net.sink.clear();
        }

        private void send(ByteBuffer frame, int port, int seq, int ack, int flags, int headerLength) {
            int at = PacketWriter.TRANSPORT_OFFSET_6;
            writer.wrap(frame, at, frame.capacity() - at)
                    .writeHeader(port, 7, seq, ack, headerLength, flags, 65535)
                    .writeChecksum(addressSum);
            net.engine.onFrame(frame, 0, frame.capacity());
            net.engine.endOfBatch();
        }
    }
}
