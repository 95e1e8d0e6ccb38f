package tapnet.engine;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.link.Impairments;
import tapnet.node.VirtualHost;
import tapnet.observe.DropReason;
import tapnet.service.EchoService;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.wire.ArpPacket;
import tapnet.wire.IcmpMessage;
import tapnet.wire.InternetChecksum;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Routers between the TAP and hosts: TTL, time exceeded, addressing, links hop by hop. */
class RoutersTest {
    private static final long PEER = EngineHarness.PEER_MAC;
    private static final int PEER_IP = EngineHarness.PEER_IP;
    private final EngineHarness net = new EngineHarness();
    private final VirtualHost r1 = router("r1", "10.77.0.254", "10.78.1.1");
    private final VirtualHost r2 = router("r2", "10.78.1.2", "10.78.2.1");
    private final VirtualHost deep = host("deep", "10.78.2.10");

    private VirtualHost router(String name, String address, String inside) {
        int a = Ipv4Address.parse(address);
        return net.engine.addRouter(name, a, MacAddress.derivedFrom(a), Ipv4Address.parse(inside), 24);
    }

    private VirtualHost host(String name, String address) {
        int a = Ipv4Address.parse(address);
        VirtualHost h = net.engine.addHost(name, a, MacAddress.derivedFrom(a));
        net.engine.listen(h, 7, new EchoService());
        return h;
    }

    /** A ping from the kernel to {@code to}, sent to the first router's MAC, with this TTL. */
    private byte[] ping(int to, int ttl, int seq) {
        byte[] frame = FrameBuilder.echoRequest(PEER, r1.mac(), PEER_IP, to, 9, seq, new byte[8]);
        frame[14 + 8] = (byte) ttl;
        frame[14 + 10] = 0;
        frame[14 + 11] = 0;
        int sum = InternetChecksum.of(ByteBuffer.wrap(frame), 14, 20);
        frame[14 + 10] = (byte) (sum >>> 8);
        frame[14 + 11] = (byte) sum;
        return frame;
    }

    @Test
    void aRouterDropsAPacketWhoseHeaderIsLongerThanTheFrameOrWhoseChecksumIsWrongAndCountsIt() {
        byte[] tooLong = ping(deep.address(), 64, 1);
        tooLong[14] = 0x4f; // IHL 15: a 60-byte header in a 36-byte packet (found by FrameFuzzTest)
        assertTrue(net.send(java.util.Arrays.copyOf(tooLong, 14 + 36)).isEmpty());
        assertEquals(1, net.engine.counters().dropped(tapnet.observe.DropReason.IPV4_MALFORMED));
        byte[] badSum = ping(deep.address(), 64, 2);
        badSum[14 + 10] ^= 0x55;
        assertTrue(net.send(badSum).isEmpty());
        assertEquals(1, net.engine.counters().dropped(tapnet.observe.DropReason.IPV4_BAD_CHECKSUM));
        assertEquals(1, net.send(ping(deep.address(), 64, 3)).size(), "and routes the next good one");
    }

    @Test
    void theFirstRouterAnswersArpOnTheTapsSegmentAndHostsBehindItDoNot() {
        List<Decoded> r = net.send(FrameBuilder.arpRequest(PEER, PEER_IP, r1.address()));
        assertEquals(ArpPacket.OPERATION_REPLY, r.get(0).arp().operation());
        assertEquals(r1.mac(), r.get(0).arp().senderMac());
        assertTrue(net.send(FrameBuilder.arpRequest(PEER, PEER_IP, deep.address())).isEmpty());
        assertEquals(1, net.engine.counters().dropped(DropReason.ARP_NOT_OURS));
    }

    @Test
    void aPingCrossesTwoRoutersAndTheReplyComesBackFromTheFirst() {
        List<Decoded> out = net.send(ping(deep.address(), 64, 1));
        assertEquals(1, out.size());
        Decoded reply = out.get(0);
        assertEquals(IcmpMessage.TYPE_ECHO_REPLY, reply.icmp().type());
        assertEquals(deep.address(), reply.ipSource());
        assertEquals(r1.mac(), reply.ethSource(), "frames leave through the first router");
        assertEquals(PEER, reply.ethDestination());
        assertEquals(62, reply.ttl(), "the reply crossed two routers");
    }

    @Test
    void eachRouterOnTheWayAnswersTimeExceededAsTracerouteExpects() {
        Decoded hop1 = net.send(ping(deep.address(), 1, 1)).get(0);
        assertEquals(IcmpMessage.TYPE_TIME_EXCEEDED, hop1.icmp().type());
        assertEquals(r1.address(), hop1.ipSource());
        Decoded hop2 = net.send(ping(deep.address(), 2, 2)).get(0);
        assertEquals(IcmpMessage.TYPE_TIME_EXCEEDED, hop2.icmp().type());
        assertEquals(r2.address(), hop2.ipSource(), "r2 answers from its address on r1's subnet");
        assertEquals(r1.mac(), hop2.ethSource());
        Decoded there = net.send(ping(deep.address(), 3, 3)).get(0);
        assertEquals(IcmpMessage.TYPE_ECHO_REPLY, there.icmp().type());
        // The quote lets traceroute match the answer to its probe: the probe's IP header and 8 bytes.
        assertEquals(28, hop2.icmp().payload().length);
        assertEquals(2, net.engine.counters().dropped(DropReason.TTL_EXCEEDED));
    }

    @Test
    void aRouterAnswersPingOnItsInsideAddress() {
        Decoded reply = net.send(ping(Ipv4Address.parse("10.78.2.1"), 64, 1)).get(0);
        assertEquals(IcmpMessage.TYPE_ECHO_REPLY, reply.icmp().type());
        assertEquals(Ipv4Address.parse("10.78.2.1"), reply.ipSource());
        assertEquals(63, reply.ttl(), "r2 is behind r1");
    }

    @Test
    void tcpWorksThroughRouters() {
        byte[] syn = FrameBuilder.tcp(PEER, r1.mac(), PEER_IP, deep.address()).ports(40000, 7)
                .flags(tapnet.wire.TcpSegment.SYN).seq(100).mss(1460).build();
        Decoded synAck = net.send(syn).get(0);
        assertTrue(synAck.tcp().only(tapnet.wire.TcpSegment.SYN | tapnet.wire.TcpSegment.ACK));
        assertEquals(r1.mac(), synAck.ethSource());
        assertEquals(101, synAck.tcp().ack());
    }

    @Test
    void linksAddUpHopByHop() {
        net.engine.setLink(r1, Impairments.NONE.withDelay(Duration.ofMillis(10)), Impairments.NONE.withDelay(Duration.ofMillis(10)));
        net.engine.setLink(deep, Impairments.NONE.withDelay(Duration.ofMillis(5)), Impairments.NONE.withDelay(Duration.ofMillis(5)));
        assertTrue(net.send(ping(deep.address(), 64, 1)).isEmpty());
        assertTrue(net.advanceMillis(29).isEmpty());
        List<Decoded> reply = net.advanceMillis(1);
        assertEquals(1, reply.size(), "10 + 5 ms down, 5 + 10 ms up");
        assertEquals(62, reply.get(0).ttl());
        assertEquals(r1.mac(), reply.get(0).ethSource());
    }

    @Test
    void timeExceededTravelsBackOverTheLinksToo() {
        net.engine.setLink(r1, Impairments.NONE.withDelay(Duration.ofMillis(10)), Impairments.NONE.withDelay(Duration.ofMillis(10)));
        assertTrue(net.send(ping(deep.address(), 2, 1)).isEmpty());
        assertTrue(net.advanceMillis(19).isEmpty());
        Decoded hop2 = net.advanceMillis(1).get(0);
        assertEquals(IcmpMessage.TYPE_TIME_EXCEEDED, hop2.icmp().type());
        assertEquals(r2.address(), hop2.ipSource());
    }

    @Test
    void aRoutersPartitionGroupTakesInTheHostsBehindIt() {
        net.engine.partition(List.of(List.of("tap"), List.of("r1")));
        assertTrue(net.send(ping(deep.address(), 64, 1)).isEmpty(), "deep sits behind r1, so in r1's group");
        assertTrue(net.engine.counters().dropped(tapnet.observe.DropReason.PARTITIONED) >= 1);
        net.engine.partition(List.of(List.of("tap", "deep"), List.of("r1")));
        assertEquals(1, net.send(ping(deep.address(), 64, 2)).size(), "named in the TAP's group: reached through r1");
    }

    @Test
    void anAddressOnARoutersSubnetWithoutAHostGetsHostUnreachableFromThatRouter() {
        int nobody = Ipv4Address.parse("10.78.2.99");
        List<Decoded> r = net.send(ping(nobody, 64, 1));
        assertEquals(1, r.size());
        Decoded answer = r.get(0);
        assertEquals(3, answer.icmp().type());
        assertEquals(1, answer.icmp().code(), "host unreachable");
        assertEquals(r2.address(), answer.ipSource(), "from the router whose subnet it is");
        assertEquals(63, answer.ttl(), "r2's answer crossed r1");
        assertEquals(1, net.engine.counters().dropped(tapnet.observe.DropReason.NO_SUCH_HOST));

        List<Decoded> direct = net.send(ping(Ipv4Address.parse("10.78.1.99"), 64, 2));
        assertEquals(r1.address(), direct.get(0).ipSource(), "on r1's own subnet, r1 answers");
        assertEquals(1, direct.get(0).icmp().code());
    }

    @Test
    void aPortReachesAHostBehindTheRoutersAndTheAnswerComesBackToThePort() {
        tapnet.testing.CapturingSink portWire = new tapnet.testing.CapturingSink(1514);
        int port = net.engine.addPort("left", portWire);
        long portMac = MacAddress.parse("02:00:00:00:01:01");
        int portIp = Ipv4Address.parse("10.77.0.101");
        byte[] request = FrameBuilder.echoRequest(portMac, r1.mac(), portIp, deep.address(), 9, 1, new byte[8]);
        net.engine.onFrame(ByteBuffer.wrap(request), 0, request.length, tapnet.frame.Offload.NONE, port);
        net.engine.endOfBatch();
        List<byte[]> back = portWire.drain();
        assertEquals(1, back.size(), "the echo reply, through both routers, to the port");
        Decoded reply = Decoded.of(back.get(0));
        assertEquals(portMac, reply.ethDestination(), "addressed to the port's MAC, not the kernel's");
        assertEquals(r1.mac(), reply.ethSource());
        assertEquals(deep.address(), reply.ipSource());
        assertTrue(net.drain().isEmpty(), "the TAP hears nothing of it");
    }
}
