package tapnet.engine;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import tapnet.net.PacketWriter;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.service.EchoService;
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
 * The hot path allocates nothing per frame: 100,000 whole connections (handshake, 64 bytes echoed, close),
 * pings between hosts or UDP echoes after a warm-up, measured with the JVM's per-thread allocation counter. Frames are crafted in place in
 * reused buffers and answers read with flyweights, so the test itself allocates nothing either.
 */
class SteadyStateAllocationTest {
    private static final int CONNECTIONS = 100_000;
    private static final int WARM_UP = 20_000;

    private final EngineHarness net = new EngineHarness(TcpConfig.defaults().withMaxConnections(256));
    private final VirtualHost host = net.host("echo", "10.77.0.10", 7, new EchoService());
    private final ByteBuffer syn = ByteBuffer.wrap(segmentTemplate(0, 4));
    private final ByteBuffer bare = ByteBuffer.wrap(segmentTemplate(0, 0));
    private final ByteBuffer data = ByteBuffer.wrap(segmentTemplate(64, 0));
    private final TcpSegment writer = new TcpSegment();
    private final TcpSegment reader = new TcpSegment();

    private byte[] segmentTemplate(int payload, int optionBytes) {
        FrameBuilder.Tcp t = FrameBuilder.tcp(EngineHarness.PEER_MAC, host.mac(), EngineHarness.PEER_IP, host.address())
                .payload(new byte[payload]);
        return (optionBytes > 0 ? t.mss(1460) : t).build();
    }

    @Test
    void wholeConnectionsAllocateNothingInSteadyState() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        runConnections(WARM_UP);
        long before = threads.getCurrentThreadAllocatedBytes();
        runConnections(CONNECTIONS);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        System.out.println("allocated " + allocated + " bytes over " + CONNECTIONS + " connections");
        assertEquals(WARM_UP + CONNECTIONS, net.engine.counters().get(Counter.TCP_CONNECTIONS_CLOSED));
        assertEquals(0, net.engine.tcp().connections().size());
        // The counter itself may report a few hundred bytes of noise; 100,000 connections of ~8 frames
        // each would show megabytes for even one small object per frame.
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes over " + CONNECTIONS + " connections");
    }

    @Test
    void pingsBetweenHostsAllocateNothingInSteadyState() {
        VirtualHost other = net.host("other", "10.77.0.20");
        long[] replies = new long[1];
        tapnet.net.PingListener listener = (sequence, nanos) -> replies[0]++;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int seq = 0; seq < WARM_UP; seq++) {
            ping(other, seq, listener);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int seq = 0; seq < CONNECTIONS; seq++) {
            ping(other, seq, listener);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(WARM_UP + CONNECTIONS, replies[0]);
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes over " + CONNECTIONS + " pings");
    }

    @Test
    void udpEchoAllocatesNothingInSteadyState() {
        net.engine.listenUdp(host, 7, new tapnet.service.UdpEchoService());
        ByteBuffer datagram = ByteBuffer.wrap(FrameBuilder.udp(EngineHarness.PEER_MAC, host.mac(), EngineHarness.PEER_IP,
                host.address(), 5000, 7, new byte[64]));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < WARM_UP; i++) {
            echoDatagram(datagram);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < CONNECTIONS; i++) {
            echoDatagram(datagram);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        System.out.println("allocated " + allocated + " bytes over " + CONNECTIONS + " UDP echoes");
        assertEquals(WARM_UP + CONNECTIONS, net.engine.counters().get(Counter.UDP_DATAGRAMS_OUT));
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes over " + CONNECTIONS + " UDP echoes");
    }

    @Test
    void fragmentedPingsReassembledAndAnsweredInFragmentsAllocateNothingInSteadyState() {
        byte[] whole = FrameBuilder.echoRequest(EngineHarness.PEER_MAC, host.mac(), EngineHarness.PEER_IP, host.address(),
                9, 1, new byte[4000]);
        java.util.List<ByteBuffer> pieces = tapnet.testing.Fragments.cut(whole, 1480).stream().map(ByteBuffer::wrap).toList();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < WARM_UP; i++) {
            fragmentedPing(pieces);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < CONNECTIONS; i++) {
            fragmentedPing(pieces);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        System.out.println("allocated " + allocated + " bytes over " + CONNECTIONS + " fragmented pings");
        assertEquals(WARM_UP + CONNECTIONS, net.engine.counters().get(Counter.ICMP_ECHO_REPLIES));
        assertEquals(3L * (WARM_UP + CONNECTIONS), net.engine.counters().get(Counter.IPV4_FRAGMENTS_OUT));
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes over " + CONNECTIONS + " fragmented pings");
    }

    /** A 4,000-byte ping in three fragments, one batch each (so the reply is left alone), answered in three. */
    private void fragmentedPing(java.util.List<ByteBuffer> pieces) {
        for (int i = 0; i < pieces.size(); i++) {
            ByteBuffer piece = pieces.get(i);
            net.engine.onFrame(piece, 0, piece.capacity());
            net.engine.endOfBatch();
        }
        net.sink.clear();
    }

    @Test
    void dnsQueriesOverUdpAllocateNothingInSteadyState() {
        VirtualHost server = net.host("dns@10.77.0.53", "10.77.0.53");
        tapnet.dns.DnsZone zone = tapnet.dns.DnsZone.builder("shop.test").address("web", host.address(), 60).build();
        net.engine.listenUdp(server, 53, new tapnet.service.DnsUdpService(zone, net.engine.counters()));
        ByteBuffer query = ByteBuffer.wrap(FrameBuilder.udp(EngineHarness.PEER_MAC, server.mac(), EngineHarness.PEER_IP,
                server.address(), 5000, 53, tapnet.dns.DnsQueries.query(1, "web.shop.test", tapnet.wire.DnsMessage.TYPE_A, 1232)));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < WARM_UP; i++) {
            echoDatagram(query);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < CONNECTIONS; i++) {
            echoDatagram(query);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        System.out.println("allocated " + allocated + " bytes over " + CONNECTIONS + " DNS queries");
        assertEquals(WARM_UP + CONNECTIONS, net.engine.counters().get(Counter.DNS_NOERROR));
        assertEquals(WARM_UP + CONNECTIONS, net.engine.counters().get(Counter.UDP_DATAGRAMS_OUT));
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes over " + CONNECTIONS + " DNS queries");
    }

    @Test
    void faultedDnsQueriesOverUdpHeldAndReleasedAllocateNothingInSteadyState() {
        VirtualHost server = net.host("dns@10.77.0.53", "10.77.0.53");
        tapnet.dns.DnsZone zone = tapnet.dns.DnsZone.builder("shop.test").address("web", host.address(), 60).build();
        tapnet.dns.DnsFaults faults = new tapnet.dns.DnsFaults("shop.test", java.util.List.of(
                new tapnet.dns.DnsFaults.Rule("web", tapnet.dns.DnsFaults.Kind.SERVFAIL, 0, new tapnet.select.Selector.Probability(0.2)),
                new tapnet.dns.DnsFaults.Rule("*.shop.test", tapnet.dns.DnsFaults.Kind.DELAY, 2_000_000, new tapnet.select.Selector.All()),
                new tapnet.dns.DnsFaults.Rule("*", tapnet.dns.DnsFaults.Kind.TTL, 0, new tapnet.select.Selector.All()),
                new tapnet.dns.DnsFaults.Rule(null, tapnet.dns.DnsFaults.Kind.WRONG_ADDRESS, 7, new tapnet.select.Selector.All())), 1);
        net.engine.listenUdp(server, 53, new tapnet.service.DnsUdpService(zone, faults, net.engine.counters()));
        ByteBuffer query = ByteBuffer.wrap(FrameBuilder.udp(EngineHarness.PEER_MAC, server.mac(), EngineHarness.PEER_IP,
                server.address(), 5000, 53, tapnet.dns.DnsQueries.query(1, "web.shop.test", tapnet.wire.DnsMessage.TYPE_A, 1232)));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < WARM_UP; i++) {
            heldDatagram(query);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < CONNECTIONS; i++) {
            heldDatagram(query);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        System.out.println("allocated " + allocated + " bytes over " + CONNECTIONS + " delayed DNS queries");
        assertEquals(WARM_UP + CONNECTIONS, net.engine.counters().get(Counter.DNS_FAULT_DELAY));
        // the last few are still held: 2 ms of delay is four queries of 0.5 ms
        assertEquals(WARM_UP + CONNECTIONS - 3, net.engine.counters().get(Counter.UDP_DATAGRAMS_OUT));
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes over " + CONNECTIONS + " delayed DNS queries");
    }

    /** A query whose answer is held: it leaves once the clock passes its delay (every few queries, several at once). */
    private void heldDatagram(ByteBuffer datagram) {
        net.engine.onFrame(datagram, 0, datagram.capacity());
        net.engine.endOfBatch();
        net.clock.advanceTo(net.clock.nanos() + 500_000);
        net.engine.pollTimers();
        net.sink.clear();
    }

    private void echoDatagram(ByteBuffer datagram) {
        net.engine.onFrame(datagram, 0, datagram.capacity());
        net.engine.endOfBatch();
        net.sink.clear();
    }

    /** One ping from the echo host to {@code other} and its reply, both carried between the hosts. */
    private void ping(VirtualHost other, int seq, tapnet.net.PingListener listener) {
        net.engine.ping(host, other.address(), 1, seq & 0xffff, 56, listener);
        net.engine.pollTimers();
        net.sink.clear();
    }

    private void runConnections(int count) {
        for (int i = 0; i < count; i++) {
            int port = 1024 + (i % 60_000);
            int iss = i * 7919;
            send(syn, port, iss, 0, SYN, 24);
            int serverIsn = answerSequence(0);
            net.sink.clear();
            send(bare, port, iss + 1, serverIsn + 1, ACK, 20);
            send(data, port, iss + 1, serverIsn + 1, ACK | PSH, 20);
            net.sink.clear();
            send(bare, port, iss + 65, serverIsn + 65, FIN | ACK, 20);
            // Echo closes in turn: the answer is our FIN; acknowledge it.
            send(bare, port, iss + 66, serverIsn + 66, ACK, 20);
            net.sink.clear();
        }
    }

    private void send(ByteBuffer frame, int port, int seq, int ack, int flags, int headerLength) {
        int at = PacketWriter.TRANSPORT_OFFSET;
        writer.wrap(frame, at, frame.capacity() - at)
                .writeHeader(port, 7, seq, ack, headerLength, flags, 65535)
                .writeChecksum(EngineHarness.PEER_IP, host.address());
        net.engine.onFrame(frame, 0, frame.capacity());
        net.engine.endOfBatch();
    }

    private int answerSequence(int frame) {
        ByteBuffer out = net.sink.frame(frame);
        reader.wrap(out, PacketWriter.TRANSPORT_OFFSET, net.sink.length(frame) - PacketWriter.TRANSPORT_OFFSET);
        return reader.sequenceNumber();
    }
}
