package tapnet.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.FIN;
import static tapnet.wire.TcpSegment.RST;
import static tapnet.wire.TcpSegment.SYN;

import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.observe.DropReason;
import tapnet.service.EchoService;
import tapnet.testing.Decoded;
import tapnet.testing.StackHarness;
import tapnet.testing.TcpPeer;

/** Resets: RFC 9293 §3.10.7.1 (closed port), §3.10.7.2 (LISTEN), RFC 5961 §3 (RST in a connection). */
class ResetTest {
    private final StackHarness net = new StackHarness();
    private final VirtualHost web = net.host("web", "10.77.0.10", 7, new EchoService());

    @Test
    void synToClosedPortGetsRstAckForTheirIsnPlusOne() {
        TcpPeer client = net.client(web, 81);
        List<Decoded.Tcp> out = client.send(client.segment().flags(SYN).ack(0));
        assertEquals(1, out.size());
        assertTrue(out.get(0).only(RST | ACK), out.toString());
        assertEquals(0, out.get(0).seq());
        assertEquals(TcpPeer.ISS + 1, out.get(0).ack());
        assertEquals(1, net.counters().get(Counter.TCP_RESETS_SENT));
    }

    @Test
    void dataWithoutAckToClosedPortIsAcknowledgedByLength() {
        TcpPeer client = net.client(web, 81);
        List<Decoded.Tcp> out = client.send(client.segment().flags(FIN).ack(0).payload(new byte[10]));
        assertTrue(out.get(0).only(RST | ACK));
        assertEquals(TcpPeer.ISS + 11, out.get(0).ack(), "<ACK=SEG.SEQ+SEG.LEN>, FIN counted");
    }

    @Test
    void segmentWithAckForNoConnectionGetsRstAtTheirAck() {
        TcpPeer client = net.client(web, 81);
        List<Decoded.Tcp> out = client.send(client.segment().ack(777));
        assertTrue(out.get(0).only(RST), out.toString());
        assertEquals(777, out.get(0).seq(), "<SEQ=SEG.ACK><CTL=RST>");
    }

    @Test
    void ackToAListenerGetsRstAtTheirAck() {
        TcpPeer client = net.client(web, 7);
        List<Decoded.Tcp> out = client.send(client.segment().ack(4242));
        assertTrue(out.get(0).only(RST));
        assertEquals(4242, out.get(0).seq());
    }

    @Test
    void rstIsNeverAnsweredWithRst() {
        TcpPeer closed = net.client(web, 81);
        assertTrue(closed.send(closed.segment().flags(RST)).isEmpty());
        TcpPeer listening = net.client(web, 7);
        assertTrue(listening.send(listening.segment().flags(RST | ACK)).isEmpty());
        assertEquals(2, net.counters().dropped(DropReason.TCP_RST_IGNORED));
        assertEquals(0, net.counters().get(Counter.TCP_RESETS_SENT));
    }

    @Test
    void exactRstClosesAnEstablishedConnection() {
        TcpPeer client = net.client(web, 7);
        client.connect();
        assertTrue(client.send(client.segment().flags(RST)).isEmpty());
        assertNull(net.connections().find(web.address(), 7, StackHarness.PEER_IP, client.localPort));
        assertEquals(1, net.counters().get(Counter.TCP_CONNECTIONS_RESET));
    }

    @Test
    void inWindowRstThatIsNotExactGetsAChallengeAck() {
        TcpPeer client = net.client(web, 7);
        client.connect();
        List<Decoded.Tcp> out = client.send(client.segment().flags(RST).seq(client.sndNxt + 100));
        assertEquals(1, out.size(), "RFC 5961 §3.2");
        assertTrue(out.get(0).only(ACK));
        assertEquals(client.sndNxt, out.get(0).ack());
        assertEquals(TcpState.ESTABLISHED,
                net.connections().find(web.address(), 7, StackHarness.PEER_IP, client.localPort).state());
    }

    @Test
    void outOfWindowRstIsDropped() {
        TcpPeer client = net.client(web, 7);
        client.connect();
        assertTrue(client.send(client.segment().flags(RST).seq(client.sndNxt + 1_000_000)).isEmpty());
        assertEquals(1, net.counters().dropped(DropReason.TCP_RST_IGNORED));
    }

    @Test
    void synOnAnEstablishedConnectionGetsAChallengeAck() {
        TcpPeer client = net.client(web, 7);
        client.connect();
        List<Decoded.Tcp> out = client.send(client.segment().flags(SYN).seq(client.sndNxt));
        assertEquals(1, out.size(), "RFC 5961 §4.2");
        assertTrue(out.get(0).only(ACK));
        assertEquals(1, net.counters().get(Counter.TCP_CHALLENGE_ACKS));
    }

    @Test
    void resetWithAZeroWindowIsStillProcessed() {
        VirtualHost slow = net.host("slow", "10.77.0.11", 9, new DataTransferTest.HoldingService());
        TcpPeer client = net.client(slow, 9);
        client.connect();
        while (client.peerWindow >= 1460) {
            client.sendData(new byte[1460]);
        }
        client.sendData(new byte[client.peerWindow]);
        client.sendAck();
        assertEquals(0, client.peerWindow);
        client.send(client.segment().flags(RST));
        assertNull(net.connections().find(slow.address(), 9, StackHarness.PEER_IP, client.localPort),
                "RFC 9293 [MUST-66]");
    }

    @Test
    void challengeAcksAreRateLimited() {
        TcpPeer client = net.client(web, 7);
        client.connect();
        int answered = 0;
        for (int i = 0; i < 1500; i++) {
            answered += client.send(client.segment().flags(RST).seq(client.sndNxt + 1 + i)).size();
        }
        assertEquals(1000, answered, "RFC 5961 §7: at most 1000 challenge ACKs a second");
        net.advanceMillis(1000);
        assertEquals(1, client.send(client.segment().flags(RST).seq(client.sndNxt + 5)).size(), "a new second, a new budget");
    }
}
