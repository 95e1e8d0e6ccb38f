package tapnet.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.RST;
import static tapnet.wire.TcpSegment.SYN;

import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.select.Selector;
import tapnet.service.EchoService;
import tapnet.tcp.ConnectionFaults.Kind;
import tapnet.tcp.ConnectionFaults.Rule;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.StackHarness;
import tapnet.testing.TcpPeer;
import tapnet.wire.IcmpMessage;

/** Faults inside the handshake and the connection, injected on purpose and replayed by seed. */
class FaultsTest {
    private final StackHarness net = new StackHarness();

    private VirtualHost host(Rule... rules) {
        VirtualHost h = net.host("h", "10.77.0.10");
        net.listen(h, 7, new EchoService(), false, new ConnectionFaults(List.of(rules), 5));
        return h;
    }

    private static Rule all(Kind kind, long parameter) {
        return new Rule(kind, parameter, new Selector.All());
    }

    private TcpConnection connection(VirtualHost h, TcpPeer c) {
        return net.connections().find(h.address(), 7, StackHarness.PEER_IP, c.localPort);
    }

    @Test
    void synDropLooksLikeAFirewallThatDrops() {
        VirtualHost h = host(all(Kind.SYN_DROP, 0));
        assertTrue(net.client(h, 7).sendSyn().isEmpty());
        assertEquals(0, net.connections().size());
        assertEquals(1, net.counters().get(Counter.TCP_FAULTS_INJECTED));
    }

    @Test
    void onlyTheFirstSynIsDroppedWhenTheRuleSaysFirstOne() {
        VirtualHost h = host(new Rule(Kind.SYN_DROP, 0, new Selector.First(1)));
        TcpPeer c = net.client(h, 7);
        assertTrue(c.sendSyn().isEmpty());
        c.sndNxt = TcpPeer.ISS;
        assertTrue(c.sendSyn().get(0).only(SYN | ACK), "the retransmitted SYN gets through");
    }

    @Test
    void refuseAnswersRstAsAClosedPort() {
        VirtualHost h = host(all(Kind.REFUSE, 0));
        List<Decoded.Tcp> out = net.client(h, 7).sendSyn();
        assertTrue(out.get(0).only(RST | ACK));
        assertEquals(TcpPeer.ISS + 1, out.get(0).ack());
    }

    /** The ICMP message is the hosts' network layer's to write: a whole engine. */
    @Test
    void unreachableAnswersIcmpPortUnreachable() {
        EngineHarness net = new EngineHarness();
        VirtualHost h = net.host("h", "10.77.0.10");
        net.engine.listen(h, 7, new EchoService(), false, new ConnectionFaults(List.of(all(Kind.UNREACHABLE, 0)), 5));
        TcpPeer c = net.client(h, 7);
        List<Decoded> out = net.send(c.segment().flags(SYN).ack(0).build());
        assertEquals(1, out.size());
        assertEquals(IcmpMessage.TYPE_DESTINATION_UNREACHABLE, out.get(0).icmp().type());
        assertEquals(IcmpMessage.CODE_PORT_UNREACHABLE, out.get(0).icmp().code());
    }

    @Test
    void unreachableAsksTheNetworkLayerForPortUnreachableAndKeepsNoState() {
        VirtualHost h = host(all(Kind.UNREACHABLE, 0));
        assertTrue(net.client(h, 7).sendSyn().isEmpty(), "no TCP answer");
        assertEquals(1, net.portUnreachables());
        assertEquals(0, net.connections().size());
    }

    @Test
    void aDroppedSynAckComesAgainAfterTheRetransmissionTimeout() {
        VirtualHost h = host(all(Kind.SYN_ACK_DROP, 1));
        TcpPeer c = net.client(h, 7);
        assertTrue(c.sendSyn().isEmpty(), "lost on the way back");
        assertTrue(c.advanceMillis(999).isEmpty());
        assertTrue(c.advanceMillis(1).get(0).only(SYN | ACK));
    }

    @Test
    void aDelayedSynAckLeavesAfterTheDelayOnly() {
        VirtualHost h = host(all(Kind.SYN_ACK_DELAY, 200_000_000L));
        TcpPeer c = net.client(h, 7);
        assertTrue(c.sendSyn().isEmpty());
        c.sndNxt = TcpPeer.ISS;
        assertTrue(c.sendSyn().isEmpty(), "a repeated SYN does not hurry it");
        assertTrue(c.advanceMillis(199).isEmpty());
        List<Decoded.Tcp> late = c.advanceMillis(1);
        assertEquals(1, late.size());
        assertTrue(late.get(0).only(SYN | ACK));
        c.sendAck();
        assertEquals(TcpState.ESTABLISHED, connection(h, c).state());
    }

    @Test
    void aDroppedFinalAckLeavesTheServerInSynReceivedUntilTheNextSegment() {
        VirtualHost h = host(all(Kind.ACK_DROP, 1));
        TcpPeer c = net.client(h, 7);
        c.sendSyn();
        c.sendAck();
        assertEquals(TcpState.SYN_RECEIVED, connection(h, c).state());
        c.sendData("hi".getBytes());
        assertEquals(TcpState.ESTABLISHED, connection(h, c).state());
        assertArrayEquals("hi".getBytes(), c.received());
    }

    @Test
    void resetAfterBytesDeliversExactlyThatManyThenResets() {
        VirtualHost h = net.host("d", "10.77.0.11");
        tapnet.service.DiscardService discard = new tapnet.service.DiscardService();
        net.listen(h, 7, discard, false,
                new ConnectionFaults(List.of(all(Kind.RESET_AFTER_BYTES, 10)), 5));
        TcpPeer c = net.client(h, 7);
        c.connect();
        List<Decoded.Tcp> out = c.sendData("0123456789abcdef".getBytes());
        assertEquals(10, discard.bytes(), "exactly 10 bytes reached the service");
        assertTrue(out.get(out.size() - 1).has(RST), out.toString());
        assertNull(connection(h, c));
    }

    @Test
    void resetAfterBytesSentDeliversExactlyThatManyOfTheReplyThenResets() {
        VirtualHost h = host(all(Kind.RESET_AFTER_BYTES_SENT, 10));
        TcpPeer c = net.client(h, 7);
        c.connect();
        List<Decoded.Tcp> out = c.sendData("0123456789abcdef".getBytes()); // echo answers all 16
        assertArrayEquals("0123456789".getBytes(), c.received(), "exactly 10 bytes of the reply left the host");
        assertTrue(out.stream().noneMatch(s -> s.has(RST)), "not before those 10 are acknowledged: " + out);
        List<Decoded.Tcp> afterAck = c.sendAck();
        assertEquals(1, afterAck.size(), afterAck.toString());
        assertTrue(afterAck.get(0).has(RST), "then the download is cut: " + afterAck);
        assertNull(connection(h, c));
    }

    @Test
    void resetAfterBytesSentLeavesAShorterReplyAlone() {
        VirtualHost h = host(all(Kind.RESET_AFTER_BYTES_SENT, 100));
        TcpPeer c = net.client(h, 7);
        c.connect();
        c.sendData("short".getBytes());
        c.sendAck();
        assertArrayEquals("short".getBytes(), c.received());
        assertEquals(TcpState.ESTABLISHED, connection(h, c).state());
    }

    @Test
    void stallStopsReadingSoTheWindowCloses() {
        VirtualHost h = host(all(Kind.STALL, 0));
        TcpPeer c = net.client(h, 7);
        c.connect();
        for (int i = 0; i < 100 && c.peerWindow > 0; i++) {
            c.sendData(new byte[Math.min(1460, c.peerWindow)]);
        }
        assertEquals(0, c.peerWindow);
        assertEquals(0, c.received().length, "nothing echoed: the service never saw the bytes");
    }

    @Test
    void windowCapsTheAdvertisedWindow() {
        VirtualHost h = host(all(Kind.WINDOW, 2000));
        TcpPeer c = net.client(h, 7);
        Decoded.Tcp synAck = c.sendSyn().get(0);
        assertEquals(2000, synAck.window());
    }

    @Test
    void aWindowCapBelowOneSegmentStillCarriesEveryByte() {
        for (int cap : new int[] {100, 1000}) {
            StackHarness fresh = new StackHarness();
            VirtualHost h = fresh.host("h", "10.77.0.10");
            fresh.listen(h, 7, new EchoService(), false, new ConnectionFaults(List.of(all(Kind.WINDOW, cap)), 5));
            TcpPeer c = fresh.client(h, 7);
            c.connect();
            byte[] data = new byte[20_000];
            new java.util.Random(cap).nextBytes(data);
            c.stream(data, 1460, data.length); // fails, stalled, if the window never opens again
            assertArrayEquals(data, c.received(), "window " + cap);
        }
    }

    @Test
    void halfOpenForgetsTheConnectionAndTheNextSegmentMeetsReset() {
        VirtualHost h = host(all(Kind.HALF_OPEN, 0));
        TcpPeer c = net.client(h, 7);
        c.sendSyn();
        assertTrue(c.sendAck().isEmpty());
        assertNull(connection(h, c));
        List<Decoded.Tcp> out = c.sendData("anyone?".getBytes());
        assertTrue(out.get(0).only(RST), out.toString());
    }

    @Test
    void probabilityRulesReplayWithTheSameSeed() {
        String first = refusals(7);
        String again = refusals(7);
        assertEquals(first, again);
        long refused = first.chars().filter(ch -> ch == 'R').count();
        assertTrue(refused > 20 && refused < 80, "about half of 100: " + refused);
    }

    private String refusals(long seed) {
        StackHarness harness = new StackHarness();
        VirtualHost h = harness.host("h", "10.77.0.10");
        harness.listen(h, 7, new EchoService(), false,
                new ConnectionFaults(List.of(new Rule(Kind.REFUSE, 0, new Selector.Probability(0.5))), seed));
        StringBuilder pattern = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            Decoded.Tcp answer = harness.client(h, 7).sendSyn().get(0);
            pattern.append(answer.has(RST) ? 'R' : 'S');
        }
        return pattern.toString();
    }

    @Test
    void faultsOnlyHitTheirOwnPort() {
        VirtualHost h = host(all(Kind.REFUSE, 0));
        net.listen(h, 8, new EchoService());
        assertTrue(net.client(h, 8).sendSyn().get(0).only(SYN | ACK));
    }

    @Test
    void resetAfterTimeResetsThatLongAfterTheHandshake() {
        VirtualHost h = host(all(Kind.RESET_AFTER_TIME, 2_000_000_000L));
        TcpPeer c = net.client(h, 7);
        c.connect();
        assertTrue(c.advanceMillis(1999).isEmpty());
        List<Decoded.Tcp> out = c.advanceMillis(1);
        assertEquals(1, out.size());
        assertTrue(out.get(0).has(RST));
        assertNull(connection(h, c));
    }

    @Test
    void slowCloseHoldsTheFinBackAfterTheApplicationCloses() {
        VirtualHost h = net.host("g", "10.77.0.12");
        net.listen(h, 21, new tapnet.service.BannerService("bye", true), false,
                new ConnectionFaults(List.of(all(Kind.SLOW_CLOSE, 500_000_000L)), 5));
        TcpPeer c = net.client(h, 21);
        c.sendSyn();
        List<Decoded.Tcp> banner = c.send(c.segment());
        assertEquals("bye", new String(c.received()));
        assertTrue(banner.stream().noneMatch(s -> s.has(tapnet.wire.TcpSegment.FIN)), "no FIN yet: " + banner);
        assertTrue(c.advanceMillis(499).isEmpty());
        List<Decoded.Tcp> fin = c.advanceMillis(1);
        assertEquals(1, fin.size());
        assertTrue(fin.get(0).has(tapnet.wire.TcpSegment.FIN));
    }

    @Test
    void corruptAtFlipsOneByteOfTheStreamUnderAValidChecksum() {
        VirtualHost h = host(all(Kind.CORRUPT_AT, 3));
        TcpPeer c = net.client(h, 7);
        c.connect();
        c.sendData("hello".getBytes());
        byte[] got = c.received();
        assertEquals("hel", new String(got, 0, 3));
        assertEquals((byte) ~'l', got[3], "byte 3 flipped; Decoded checked the TCP checksum: valid");
        assertEquals('o', got[4]);
    }
}
