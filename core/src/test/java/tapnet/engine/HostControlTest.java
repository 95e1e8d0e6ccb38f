package tapnet.engine;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.node.VirtualHost;
import tapnet.observe.DropReason;
import tapnet.select.Selector;
import tapnet.service.EchoService;
import tapnet.service.UdpEchoService;
import tapnet.tcp.CloseReason;
import tapnet.tcp.ConnectionFaults.Kind;
import tapnet.tcp.ConnectionFaults.Rule;
import tapnet.tcp.ConnectionHandler;
import tapnet.tcp.TcpConnection;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.testing.TcpPeer;
import tapnet.wire.IcmpMessage;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.RST;
import static tapnet.wire.TcpSegment.SYN;

/** A script's actions on hosts and services: stop and start a host or router, a service; change faults. */
class HostControlTest {
    private final EngineHarness net = new EngineHarness();
    private final VirtualHost web = net.host("web", "10.77.0.10", 7, new EchoService());

    private byte[] pingFromTap(VirtualHost to, int seq) {
        return FrameBuilder.echoRequest(EngineHarness.PEER_MAC, to.mac(), EngineHarness.PEER_IP, to.address(), 1, seq, new byte[8]);
    }

    private long stopped() {
        return net.engine.counters().dropped(DropReason.HOST_STOPPED);
    }

    @Test
    void aStoppedHostIsSilentAndEveryFrameForItIsCounted() {
        net.engine.stopHost(web);
        assertTrue(net.send(FrameBuilder.arpRequest(EngineHarness.PEER_MAC, EngineHarness.PEER_IP, web.address())).isEmpty());
        assertTrue(net.send(pingFromTap(web, 1)).isEmpty());
        assertTrue(net.client(web, 7).sendSyn().isEmpty());
        assertEquals(3, stopped());
        assertNull(net.engine.connect(web, EngineHarness.PEER_IP, 80, new ConnectionHandler() { }), "it sends nothing");
        assertTrue(net.drain().isEmpty());

        net.engine.startHost(web);
        assertEquals(1, net.send(pingFromTap(web, 2)).size(), "started: it answers again");
        assertEquals(3, stopped());
    }

    @Test
    void aRestartedHostHasForgottenItsConnectionsSoItsPeersGetRst() {
        TcpPeer client = net.client(web, 7);
        client.connect();
        client.sendData("hi".getBytes());
        assertArrayEquals("hi".getBytes(), client.received());

        net.engine.stopHost(web);
        assertTrue(net.drain().isEmpty(), "forgotten without a segment");
        assertEquals(0, net.engine.tcp().connections().size());
        assertTrue(client.sendData("lost".getBytes()).isEmpty(), "a stopped host does not answer");
        assertTrue(net.advanceMillis(10_000).isEmpty(), "nor do its timers");

        net.engine.startHost(web);
        List<Decoded.Tcp> answer = client.sendData("again".getBytes());
        assertEquals(1, answer.size(), answer.toString());
        assertTrue(answer.get(0).only(RST), "an unknown connection: " + answer.get(0));
        assertTrue(client.sendSyn().get(0).only(SYN | ACK), "its listener stayed: it serves again");
    }

    @Test
    void theHandlersOfAStoppedHostsConnectionsHearTheyWereAborted() {
        List<CloseReason> closed = new ArrayList<>();
        net.send(FrameBuilder.arpRequest(EngineHarness.PEER_MAC, EngineHarness.PEER_IP, web.address()));
        TcpConnection c = net.engine.connect(web, EngineHarness.PEER_IP, 80, new ConnectionHandler() {
            @Override
            public void onClose(TcpConnection connection) {
                closed.add(connection.closeReason());
            }
        });
        assertEquals(1, net.drain().size(), "the SYN");
        net.engine.stopHost(web);
        assertEquals(List.of(CloseReason.ABORTED), closed);
        assertTrue(net.advanceMillis(10_000).isEmpty(), "no SYN retransmitted");
        assertEquals(tapnet.tcp.TcpState.CLOSED, c.state());
    }

    @Test
    void aStoppedRouterForwardsNothingAndAnswersNothing() {
        int outside = Ipv4Address.parse("10.77.0.254");
        VirtualHost router = net.engine.addRouter("r1", outside, MacAddress.derivedFrom(outside), Ipv4Address.parse("10.78.1.1"), 24);
        int behind = Ipv4Address.parse("10.78.1.10");
        VirtualHost deep = net.engine.addHost("deep", behind, MacAddress.derivedFrom(behind));
        // A new frame each time: routers rewrite the frames they forward in place.
        java.util.function.Supplier<byte[]> toDeep = () -> FrameBuilder.echoRequest(EngineHarness.PEER_MAC, router.mac(),
                EngineHarness.PEER_IP, behind, 1, 1, new byte[8]);
        assertEquals(1, net.send(toDeep.get()).size());

        net.engine.stopHost(router);
        assertTrue(net.send(toDeep.get()).isEmpty());
        assertTrue(net.send(FrameBuilder.arpRequest(EngineHarness.PEER_MAC, EngineHarness.PEER_IP, outside)).isEmpty());
        assertTrue(net.send(FrameBuilder.echoRequest(EngineHarness.PEER_MAC, router.mac(), EngineHarness.PEER_IP,
                Ipv4Address.parse("10.78.1.1"), 1, 2, new byte[8])).isEmpty(), "nor on its inside address");
        assertEquals(3, stopped());
        assertTrue(!net.engine.hosts().isStopped(deep), "the host behind it runs; it is just cut off");

        net.engine.startHost(router);
        assertEquals(1, net.send(toDeep.get()).size());
    }

    @Test
    void aStoppedServiceRefusesNewConnectionsAndKeepsItsOwn() {
        TcpPeer before = net.client(web, 7);
        before.connect();
        net.engine.stopService(web, 7);

        List<Decoded.Tcp> refused = net.client(web, 7).sendSyn();
        assertTrue(refused.get(0).only(RST | ACK), "as a closed port: " + refused);
        before.sendData("still".getBytes());
        assertArrayEquals("still".getBytes(), before.received(), "its connections go on");

        net.engine.startService(web, 7);
        assertTrue(net.client(web, 7).sendSyn().get(0).only(SYN | ACK));
    }

    @Test
    void faultsSetWhileRunningApplyToNewSyns() {
        net.engine.setFaults(web, 7, List.of(new Rule(Kind.REFUSE, 0, new Selector.All())));
        assertTrue(net.client(web, 7).sendSyn().get(0).only(RST | ACK));
        net.engine.setFaults(web, 7, List.of());
        assertTrue(net.client(web, 7).sendSyn().get(0).only(SYN | ACK));
    }

    @Test
    void faultsSetWhileRunningDrawAsTheTopologysWould() {
        List<Rule> coin = List.of(new Rule(Kind.REFUSE, 0, new Selector.Probability(0.5)));
        assertEquals(refusals(coin, false), refusals(coin, true));
    }

    /** Which of 32 SYNs are refused, with the faults given at listen (seeded as EngineBuilder does) or set later. */
    private List<Boolean> refusals(List<Rule> rules, boolean setLater) {
        EngineHarness h = new EngineHarness();
        VirtualHost host = h.host("h", "10.77.0.10");
        long seed = 42L * 31 + ((long) host.address() << 16 | 7); // EngineHarness's seed, as EngineBuilder derives it
        h.engine.listen(host, 7, new EchoService(), false,
                new tapnet.tcp.ConnectionFaults(setLater ? List.of() : rules, seed));
        if (setLater) {
            h.engine.setFaults(host, 7, rules);
        }
        List<Boolean> refused = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            refused.add(h.client(host, 7).sendSyn().get(0).has(RST));
        }
        return refused;
    }

    @Test
    void stoppingAPortStopsItsUdpServiceAndItsTcpOneAndStartingServesBothAgain() {
        VirtualHost dns = net.host("dns", "10.77.0.53", 53, new EchoService());
        net.engine.listenUdp(dns, 53, new UdpEchoService());
        net.engine.listenUdp(web, 9, new UdpEchoService()); // UDP alone on its port
        net.engine.stopService(dns, 53);
        net.engine.stopService(web, 9);
        assertPortUnreachable(net.send(datagram(dns, 53)));
        assertPortUnreachable(net.send(datagram(web, 9)));
        assertTrue(net.client(dns, 53).sendSyn().get(0).has(RST), "its TCP service stopped with it");

        net.engine.startService(dns, 53);
        net.engine.startService(web, 9);
        assertEquals(5000, net.send(datagram(dns, 53)).get(0).udp().destinationPort(), "echoed again");
        assertEquals(5000, net.send(datagram(web, 9)).get(0).udp().destinationPort());
        assertTrue(net.client(dns, 53).sendSyn().get(0).only(SYN | ACK));
    }

    private static byte[] datagram(VirtualHost to, int port) {
        return FrameBuilder.udp(EngineHarness.PEER_MAC, to.mac(), EngineHarness.PEER_IP, to.address(), 5000, port, "hi".getBytes());
    }

    private static void assertPortUnreachable(List<Decoded> out) {
        assertEquals(1, out.size(), out.toString());
        assertEquals(IcmpMessage.TYPE_DESTINATION_UNREACHABLE, out.get(0).icmp().type(), out.toString());
        assertEquals(3, out.get(0).icmp().code(), "port unreachable: " + out);
    }

    @Test
    void servicesAndFaultsWhereNothingListensAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> net.engine.stopService(web, 8));
        assertThrows(IllegalArgumentException.class, () -> net.engine.startService(web, 8));
        assertThrows(IllegalArgumentException.class, () -> net.engine.setFaults(web, 8, List.of()));
    }
}
