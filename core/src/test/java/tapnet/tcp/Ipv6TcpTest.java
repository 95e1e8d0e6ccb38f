package tapnet.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.RST;
import static tapnet.wire.TcpSegment.SYN;

import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.service.EchoService;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.testing.FrameBuilder.Extension;
import tapnet.testing.TcpPeer;
import tapnet.wire.Ipv6Address;

/** TCP over IPv6 (RFC 9293 with RFC 8200 §8): the same stack, the IPv6 pseudo-header, an MSS 20 bytes smaller. */
class Ipv6TcpTest {
    private final EngineHarness net = new EngineHarness().prefix6("fd77::/64");
    private final VirtualHost web = listening(net.host6("web", "10.77.0.10", "fd77::10"));

    private VirtualHost listening(VirtualHost host) {
        net.engine.listen(host, 7, new EchoService());
        return host;
    }

    private String linkLocalOfWeb() {
        return Ipv6Address.format(Ipv6Address.LINK_LOCAL_HIGH, Ipv6Address.linkLocalLow(web.mac()));
    }

    @Test
    void synOverIpv6GetsSynAckWithMssOfMtuLess60() {
        List<Decoded> out = net.send(net.client6(web, "fd77::10", 7).segment().flags(SYN).ack(0).mss(1440).build());

        assertEquals(1, out.size(), out.toString());
        Decoded synAck = out.get(0); // Decoded checked the checksum over the IPv6 pseudo-header
        assertTrue(synAck.tcp().only(SYN | ACK), synAck.toString());
        assertEquals(1440, synAck.tcp().mss(), "MTU 1500 - 40 (IPv6) - 20 (TCP)");
        assertEquals("fd77::10", synAck.ipv6().source());
        assertEquals("fd77::1", synAck.ipv6().destination());
        assertEquals(web.mac(), synAck.ethSource());
        assertEquals(EngineHarness.PEER_MAC, synAck.ethDestination());
    }

    @Test
    void ipv4SynStillGetsMss1460() {
        assertEquals(1460, net.client(web, 7).connect().mss());
    }

    @Test
    void wholeExchangeOverIpv6HandshakeDataAndClose() {
        TcpPeer client = net.client6(web, "fd77::10", 7);
        client.connect();
        byte[] data = "hello over IPv6".getBytes();
        client.sendData(data);
        assertArrayEquals(data, client.received(), "echoed");
        client.sendFin();
        client.sendAck();
        assertTrue(client.finReceived(), "the echo service closes in turn");
        assertEquals(1, net.engine.counters().get(Counter.TCP_CONNECTIONS_CLOSED));
        assertEquals(0, net.engine.tcp().connections().size());
    }

    @Test
    void bulkEchoOverIpv6KeepsEveryFrameWithinTheMtu() {
        TcpPeer client = net.client6(web, "fd77::10", 7);
        client.connect();
        byte[] data = new byte[20_000];
        new java.util.Random(6).nextBytes(data);
        client.stream(data, 1440, data.length);
        assertArrayEquals(data, client.received());
        for (Decoded d : net.drain()) {
            assertTrue(d.raw().length <= 1514, "frame of " + d.raw().length);
        }
    }

    @Test
    void peerAnnouncingAnIpv4SizedMssStillGetsFramesThatFit() {
        List<Decoded> frames = new java.util.ArrayList<>();
        TcpPeer client = net.client6(web, "fd77::10", 7);
        frames.addAll(net.send(client.segment().flags(SYN).ack(0).mss(1460).build()));
        client.absorb(frames);
        client.sndNxt = TcpPeer.ISS + 1;
        net.send(client.segment().build());
        byte[] data = new byte[3000];
        frames.addAll(net.send(client.segment().payload(java.util.Arrays.copyOf(data, 1400)).build()));
        client.sndNxt += 1400;
        frames.addAll(net.send(client.segment().payload(java.util.Arrays.copyOf(data, 1400)).build()));
        client.sndNxt += 1400;
        frames.addAll(net.advanceMillis(500));
        int echoed = 0;
        for (Decoded d : frames) {
            assertTrue(d.raw().length <= 1514, "frame of " + d.raw().length + " past the 1500-byte MTU");
            echoed += d.tcp().payload().length;
        }
        assertTrue(echoed > 0);
    }

    @Test
    void closedPortOverIpv6AnswersRstWithAValidChecksum() {
        List<Decoded> out = net.send(net.client6(web, "fd77::10", 9).segment().flags(SYN).ack(0).build());
        assertEquals(1, out.size(), out.toString());
        assertTrue(out.get(0).tcp().has(RST));
        assertTrue(out.get(0).tcp().has(ACK));
        assertEquals("fd77::1", out.get(0).ipv6().destination());
    }

    @Test
    void oneListenerServesTheIpv4TheIpv6AndTheLinkLocalAddress() {
        ServiceCounters counters = net.engine.tcp().listeners().find(web.address(), 7).counters();
        assertSame(net.engine.tcp().listeners().find(web.address(), 7), net.engine.tcp().listeners().find(web.address6(), 7));
        net.client(web, 7).connect();
        net.client6(web, "fd77::10", 7).connect();
        TcpPeer linkLocal = new TcpPeer6(net, web, EngineHarness.PEER_LINK_LOCAL, linkLocalOfWeb()).peer;
        Decoded.Tcp synAck = linkLocal.connect();
        assertEquals(1440, synAck.mss());
        assertEquals(3, counters.opened(), "one service, one set of counters");
        assertEquals(3, net.engine.tcp().connections().size());
    }

    @Test
    void stoppedServiceRefusesOverIpv6Too() {
        net.engine.stopService(web, 7);
        List<Decoded> out = net.send(net.client6(web, "fd77::10", 7).segment().flags(SYN).ack(0).build());
        assertEquals(1, out.size(), out.toString());
        assertTrue(out.get(0).tcp().has(RST));
    }

    @Test
    void aHostWithTwoIpv6AddressesServesAndAnswersFromEach() {
        EngineHarness two = new EngineHarness().prefix6("fd77::/64");
        VirtualHost host = two.host6("db", "10.77.0.20", "fd77::20");
        long[] second = Ipv6Address.parse("fd77::21");
        two.engine.hosts().addMoreIpv6(host, second[0], second[1]);
        two.engine.listen(host, 7, new EchoService());
        for (String address : new String[] {"fd77::20", "fd77::21"}) {
            List<Decoded> out = two.send(two.client6(host, address, 7).segment().flags(SYN).ack(0).build());
            assertEquals(1, out.size(), out.toString());
            assertTrue(out.get(0).tcp().only(SYN | ACK), out.get(0).toString());
            assertEquals(address, out.get(0).ipv6().source(), "answered from the address it was asked at");
        }
    }

    @Test
    void aServicesFaultsActOnItsIpv6ConnectionsAsOnItsIpv4Ones() {
        net.engine.setFaults(web, 7, List.of(new ConnectionFaults.Rule(ConnectionFaults.Kind.REFUSE, 0,
                new tapnet.select.Selector.All())));
        List<Decoded> six = net.send(net.client6(web, "fd77::10", 7).segment().flags(SYN).ack(0).build());
        assertEquals(1, six.size(), six.toString());
        assertTrue(six.get(0).tcp().has(RST), "refused over IPv6: " + six.get(0));
        List<Decoded> four = net.send(net.client(web, 7).segment().flags(SYN).ack(0).build());
        assertTrue(four.get(0).tcp().has(RST), "and over IPv4, one rule for the one service: " + four.get(0));
    }

    @Test
    void synBehindHopByHopPadNIsTaken() {
        byte[] syn = FrameBuilder.tcp(EngineHarness.PEER_MAC, web.mac(), 0, 0).ports(40000, 7).flags(SYN).mss(1440)
                .ipv6(EngineHarness.PEER6, FrameBuilder.v6("fd77::10")).extensions(Extension.hopByHopPadN()).build();
        List<Decoded> out = net.send(syn);
        assertEquals(1, out.size(), out.toString());
        assertTrue(out.get(0).tcp().only(SYN | ACK));
    }

    @Test
    void segmentWithABadChecksumOverIpv6IsDropped() {
        byte[] syn = net.client6(web, "fd77::10", 7).segment().flags(SYN).ack(0).build();
        syn[14 + 40 + 16] ^= 1;
        assertTrue(net.send(syn).isEmpty());
        assertEquals(1, net.engine.counters().dropped(tapnet.observe.DropReason.TCP_BAD_CHECKSUM));
    }

    @Test
    void hostConnectsToAnIpv6PeerAfterSolicitingItsAddress() {
        int peer = net.engine.hosts().addresses6().intern(EngineHarness.PEER6[0], EngineHarness.PEER6[1]);
        net.engine.connect(web, peer, 8080, new EchoService());
        List<Decoded> out = net.advanceMillis(0);
        assertEquals(1, out.size(), out.toString());
        Decoded ns = out.get(0);
        assertEquals(tapnet.wire.Icmpv6Message.TYPE_NEIGHBOR_SOLICITATION, ns.icmp().type());
        assertEquals("fd77::1", ns.ndp().target());
        assertEquals("ff02::1:ff00:1", ns.ipv6().destination(), "the target's solicited-node group");
        assertEquals(0x3333_ff00_0001L, ns.ethDestination());
        assertEquals("fd77::10", ns.ipv6().source());
        assertEquals(web.mac(), ns.ndp().sourceLinkLayer());
        assertEquals(255, ns.ipv6().hopLimit());

        long[] peer6 = EngineHarness.PEER6;
        long[] web6 = FrameBuilder.v6("fd77::10");
        byte[] na = FrameBuilder.ipv6(EngineHarness.PEER_MAC, web.mac(), peer6, web6, 255, 58,
                FrameBuilder.icmpv6(peer6, web6, 136, 0, 0x6000_0000, FrameBuilder.ndBody(peer6,
                        FrameBuilder.targetLinkLayer(EngineHarness.PEER_MAC))));
        List<Decoded> syn = net.send(na);
        assertEquals(1, syn.size(), syn.toString());
        assertTrue(syn.get(0).tcp().only(SYN), syn.toString());
        assertEquals(8080, syn.get(0).tcp().destinationPort());
        assertEquals(1440, syn.get(0).tcp().mss());
        assertEquals("fd77::1", syn.get(0).ipv6().destination());
    }

    @Test
    void pastTheBacklogASynCookieOverIpv6CompletesTheHandshakeAndTheConnectionWorks() {
        EngineHarness small = new EngineHarness(TcpConfig.defaults().withMaxConnections(1000).withSynBacklog(4)).prefix6("fd77::/64");
        VirtualHost host = small.host6("web", "10.77.0.10", "fd77::10");
        small.engine.listen(host, 7, new EchoService());
        for (int i = 0; i < 4; i++) {
            small.client6(host, "fd77::10", 7).sendSyn();
        }
        TcpPeer client = small.client6(host, "fd77::10", 7); // the fifth: answered with a cookie
        Decoded.Tcp synAck = client.sendSyn().get(0);
        assertTrue(synAck.only(SYN | ACK));
        assertEquals(1, small.engine.counters().get(Counter.TCP_SYN_COOKIES_SENT));
        client.sendAck();
        assertEquals(1, small.engine.counters().get(Counter.TCP_SYN_COOKIES_ACCEPTED));
        client.sendData("through a cookie over IPv6".getBytes());
        assertArrayEquals("through a cookie over IPv6".getBytes(), client.received());
    }

    /** A peer from a given IPv6 address to one of the host's. */
    private static final class TcpPeer6 {
        final TcpPeer peer;

        TcpPeer6(EngineHarness net, VirtualHost host, long[] from, String to) {
            peer = net.client(host, 7).ipv6(from, Ipv6Address.parse(to));
        }
    }
}
