package tapnet.net;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.link.Impairments;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.observe.DropReason;
import tapnet.service.UdpDiscardService;
import tapnet.service.UdpEchoService;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.wire.IcmpMessage;
import tapnet.wire.Ipv4Packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Datagrams to a host's UDP services, and the ones no service takes. */
class UdpInputTest {
    private static final long PEER = EngineHarness.PEER_MAC;
    private static final int PEER_IP = EngineHarness.PEER_IP;

    private final EngineHarness net = new EngineHarness();
    private final VirtualHost host = net.host("dns", "10.77.0.53");
    private final UdpDiscardService discard = new UdpDiscardService();

    UdpInputTest() {
        net.engine.listenUdp(host, 7, new UdpEchoService());
        net.engine.listenUdp(host, 9, discard);
    }

    private byte[] datagram(int sourcePort, int port, byte[] payload) {
        return FrameBuilder.udp(PEER, host.mac(), PEER_IP, host.address(), sourcePort, port, payload);
    }

    @Test
    void echoAnswersWithThePayloadAndThePortsSwapped() {
        List<Decoded> out = net.send(datagram(5000, 7, "hello".getBytes()));
        assertEquals(1, out.size());
        Decoded reply = out.get(0);
        assertEquals(Ipv4Packet.PROTOCOL_UDP, reply.protocol());
        assertEquals(host.address(), reply.ipSource());
        assertEquals(PEER_IP, reply.ipDestination());
        assertEquals(PEER, reply.ethDestination());
        assertEquals(7, reply.udp().sourcePort());
        assertEquals(5000, reply.udp().destinationPort());
        assertArrayEquals("hello".getBytes(), reply.udp().payload());
        assertEquals(1, net.engine.counters().get(Counter.UDP_DATAGRAMS_IN));
        assertEquals(1, net.engine.counters().get(Counter.UDP_DATAGRAMS_OUT));
    }

    @Test
    void echoAnswersAnEmptyDatagramWithAnEmptyOne() {
        List<Decoded> out = net.send(datagram(5000, 7, new byte[0]));
        assertEquals(0, out.get(0).udp().payload().length);
    }

    @Test
    void echoAnswersTheLargestDatagramAFrameCarries() {
        byte[] payload = new byte[1514 - 14 - 20 - 8];
        payload[payload.length - 1] = 42;
        List<Decoded> out = net.send(datagram(5000, 7, payload));
        assertArrayEquals(payload, out.get(0).udp().payload());
    }

    @Test
    void discardCountsAndAnswersNothing() {
        assertTrue(net.send(datagram(5000, 9, new byte[100])).isEmpty());
        assertTrue(net.send(datagram(5001, 9, new byte[20])).isEmpty());
        assertEquals(2, discard.datagrams());
        assertEquals(120, discard.bytes());
        assertEquals(2, net.engine.counters().get(Counter.UDP_DATAGRAMS_IN));
        assertEquals(0, net.engine.counters().get(Counter.UDP_DATAGRAMS_OUT));
    }

    @Test
    void aPortNobodyServesStillGetsPortUnreachable() {
        List<Decoded> out = net.send(datagram(5000, 53, "query".getBytes()));
        assertEquals(1, out.size());
        assertEquals(IcmpMessage.TYPE_DESTINATION_UNREACHABLE, out.get(0).icmp().type());
        assertEquals(IcmpMessage.CODE_PORT_UNREACHABLE, out.get(0).icmp().code());
        assertEquals(0, net.engine.counters().get(Counter.UDP_DATAGRAMS_IN));
    }

    @Test
    void anotherHostsPortIsNotServed() {
        VirtualHost other = net.host("other", "10.77.0.54");
        List<Decoded> out = net.send(FrameBuilder.udp(PEER, other.mac(), PEER_IP, other.address(), 5000, 7, new byte[4]));
        assertEquals(IcmpMessage.CODE_PORT_UNREACHABLE, out.get(0).icmp().code());
    }

    @Test
    void aBadChecksumIsDroppedAndCounted() {
        byte[] frame = datagram(5000, 7, "hello".getBytes());
        frame[frame.length - 1] ^= 1;
        assertTrue(net.send(frame).isEmpty());
        assertEquals(1, net.engine.counters().dropped(DropReason.UDP_BAD_CHECKSUM));
        assertEquals(0, net.engine.counters().get(Counter.UDP_DATAGRAMS_IN));
    }

    @Test
    void aChecksumTheDeviceVouchedForIsNotCheckedAgain() {
        byte[] frame = datagram(5000, 7, "hello".getBytes());
        frame[frame.length - 1] ^= 1; // as a device with checksum offload hands it over: the sum not filled in yet
        net.engine.onFrame(ByteBuffer.wrap(frame), 0, frame.length, tapnet.frame.Offload.of(tapnet.frame.Offload.FLAG_DATA_VALID, tapnet.frame.Offload.GSO_NONE, 0, 0, 0), 0);
        net.engine.endOfBatch();
        assertEquals(1, net.drain().size());
    }

    @Test
    void noChecksumAtAllIsAccepted() {
        byte[] frame = datagram(5000, 7, "hello".getBytes());
        frame[14 + 20 + 6] = 0; // RFC 768: zero means the sender computed none
        frame[14 + 20 + 7] = 0;
        assertEquals(1, net.send(frame).size());
    }

    @Test
    void aLengthFieldLongerThanThePacketIsDroppedAsMalformed() {
        byte[] frame = datagram(5000, 7, "hello".getBytes());
        frame[14 + 20 + 5] = (byte) 200;
        assertTrue(net.send(frame).isEmpty());
        assertEquals(1, net.engine.counters().dropped(DropReason.UDP_MALFORMED));
    }

    @Test
    void aLengthFieldShorterThanAHeaderIsDroppedAsMalformed() {
        byte[] frame = datagram(5000, 7, "hello".getBytes());
        frame[14 + 20 + 4] = 0;
        frame[14 + 20 + 5] = 4;
        assertTrue(net.send(frame).isEmpty());
        assertEquals(1, net.engine.counters().dropped(DropReason.UDP_MALFORMED));
    }

    @Test
    void aStoppedHostServesNothing() {
        net.engine.stopHost(host);
        assertTrue(net.send(datagram(5000, 7, new byte[4])).isEmpty());
        assertEquals(1, net.engine.counters().dropped(DropReason.HOST_STOPPED));
    }

    @Test
    void aPartitionCutsDatagramsAsItCutsEveryFrame() {
        net.engine.partition(List.of(List.of("tap"), List.of("dns")));
        assertTrue(net.send(datagram(5000, 7, new byte[4])).isEmpty());
        assertEquals(1, net.engine.counters().dropped(DropReason.PARTITIONED));
    }

    @Test
    void aDelayedLinkDelaysTheEcho() {
        Impairments tenMs = Impairments.NONE.withDelay(java.time.Duration.ofMillis(10));
        net.engine.setLink(host, tenMs, tenMs);
        assertTrue(net.send(datagram(5000, 7, new byte[4])).isEmpty());
        assertTrue(net.advanceMillis(15).isEmpty(), "there after 10 ms, back after 20");
        assertEquals(1, net.advanceMillis(10).size());
    }

    @Test
    void aHostBehindARouterEchoesThroughIt() {
        int inside = tapnet.wire.Ipv4Address.parse("10.78.1.1");
        VirtualHost router = net.engine.addRouter("r1", tapnet.wire.Ipv4Address.parse("10.77.0.254"),
                tapnet.wire.MacAddress.derivedFrom(inside), inside, 24);
        VirtualHost deep = net.host("deep", "10.78.1.10");
        net.engine.listenUdp(deep, 7, new UdpEchoService());
        List<Decoded> out = net.send(FrameBuilder.udp(PEER, router.mac(), PEER_IP, deep.address(), 5000, 7, "hi".getBytes()));
        assertEquals(1, out.size());
        assertEquals(deep.address(), out.get(0).ipSource());
        assertEquals(router.mac(), out.get(0).ethSource(), "the router forwards the answer");
        assertEquals(63, out.get(0).ttl(), "one hop");
        assertArrayEquals("hi".getBytes(), out.get(0).udp().payload());
    }

    @Test
    void theLongestReplyFollowsTheMtuOfTheHostsLink() {
        int[] longest = new int[1];
        VirtualHost narrow = net.host("narrow", "10.77.0.60");
        net.engine.listenUdp(narrow, 53, exchange -> longest[0] = exchange.maxReplyLength());
        net.engine.setLink(narrow, Impairments.NONE.withMtu(576), Impairments.NONE.withMtu(576));
        net.send(FrameBuilder.udp(PEER, narrow.mac(), PEER_IP, narrow.address(), 5000, 53, new byte[12]));
        assertEquals(576 - 20 - 8, longest[0], "an IPv4 header and a UDP header inside 576 bytes");
    }

    @Test
    void aServiceMayWriteItsReplyInPlace() {
        VirtualHost dns = net.host("answers", "10.77.0.61");
        net.engine.listenUdp(dns, 53, exchange -> {
            ByteBuffer frame = exchange.beginReply();
            frame.put(UdpExchange.REPLY_OFFSET, (byte) 'A');
            frame.put(UdpExchange.REPLY_OFFSET + 1, exchange.buffer().get(exchange.payloadOffset()));
            exchange.sendReply(2);
        });
        List<Decoded> out = net.send(FrameBuilder.udp(PEER, dns.mac(), PEER_IP, dns.address(), 5353, 53, "q".getBytes()));
        assertArrayEquals("Aq".getBytes(), out.get(0).udp().payload());
        assertEquals(5353, out.get(0).udp().destinationPort());
    }

    @Test
    void aReplyBegunAndNotSentIsNotSent() {
        VirtualHost shy = net.host("shy", "10.77.0.62");
        net.engine.listenUdp(shy, 53, UdpExchange::beginReply);
        assertTrue(net.send(FrameBuilder.udp(PEER, shy.mac(), PEER_IP, shy.address(), 5353, 53, "q".getBytes())).isEmpty());
        assertEquals(1, net.send(datagram(5000, 7, new byte[4])).size(), "the next reply goes out whole");
    }

    /**
     * 20% loss each way: of 2,000 datagrams, 1,600 reach the service on average (standard deviation 18) and
     * 1,280 echoes come back (36% of round trips lost; deviation 21). The bounds are five deviations either
     * side; the link is seeded, so the run is the same every time.
     */
    @Test
    void aLossyLinkLosesDatagramsBothWaysWithinStatisticalBounds() {
        Impairments lossy = Impairments.NONE.withLoss(0.2);
        net.engine.setLink(host, lossy, lossy);
        int answered = 0;
        for (int i = 0; i < 2000; i++) {
            answered += net.send(datagram(5000 + (i % 1000), 7, new byte[16])).size();
        }
        long delivered = net.engine.counters().get(Counter.UDP_DATAGRAMS_IN);
        assertTrue(delivered > 1600 - 90 && delivered < 1600 + 90, delivered + " of 2000 datagrams reached the service");
        assertEquals(delivered, net.engine.counters().get(Counter.UDP_DATAGRAMS_OUT), "each one delivered was echoed");
        assertTrue(answered > 1280 - 105 && answered < 1280 + 105, answered + " of 2000 echoes came back");
    }
}
