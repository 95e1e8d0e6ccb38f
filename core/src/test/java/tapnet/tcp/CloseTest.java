package tapnet.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.FIN;
import static tapnet.wire.TcpSegment.SYN;
import static tapnet.wire.TcpSegment.PSH;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.service.BannerService;
import tapnet.service.EchoService;
import tapnet.testing.Decoded;
import tapnet.testing.StackHarness;
import tapnet.testing.TcpPeer;

/** Passive and active close, RFC 9293 §3.6: CLOSE-WAIT, LAST-ACK, FIN-WAIT-1/2, CLOSING, TIME-WAIT. */
class CloseTest {
    private final StackHarness net = new StackHarness(TcpConfig.defaults().withMaxConnections(64).withTimeWait(Duration.ofSeconds(2)));
    private final VirtualHost echo = net.host("echo", "10.77.0.10", 7, new EchoService());
    private final VirtualHost greeter = net.host("greeter", "10.77.0.11", 21, new BannerService("220 hi\r\n", true));

    private TcpConnection connection(VirtualHost host, int port, TcpPeer client) {
        return net.connections().find(host.address(), port, StackHarness.PEER_IP, client.localPort);
    }

    @Test
    void passiveCloseGoesThroughCloseWaitAndLastAck() {
        TcpPeer client = net.client(echo, 7);
        Decoded.Tcp synAck = client.connect();
        List<Decoded.Tcp> out = client.sendFin();

        // Echo has nothing left to send, so it closes at once: our FIN rides with the ACK of theirs.
        assertEquals(1, out.size(), out.toString());
        assertTrue(out.get(0).only(FIN | ACK), out.toString());
        assertEquals(synAck.seq() + 1, out.get(0).seq());
        assertEquals(TcpPeer.ISS + 2, out.get(0).ack(), "their FIN is acknowledged");
        assertEquals(TcpState.LAST_ACK, connection(echo, 7, client).state());

        assertTrue(client.sendAck().isEmpty());
        assertNull(connection(echo, 7, client), "LAST-ACK ends in CLOSED: the slot is free");
        assertEquals(1, net.counters().get(Counter.TCP_CONNECTIONS_CLOSED));
    }

    @Test
    void dataAfterTheirFinIsStillSentBeforeOurFin() {
        TcpPeer client = net.client(echo, 7);
        client.connect();
        client.send(client.segment().flags(ACK | PSH | FIN).payload("bye".getBytes()));
        client.sndNxt += 4;
        assertArrayEquals("bye".getBytes(), client.received());
        assertTrue(client.finReceived());
    }

    @Test
    void activeCloseGoesThroughFinWait1AndFinWait2ToTimeWait() {
        TcpPeer client = net.client(greeter, 21);
        client.sendSyn();
        List<Decoded.Tcp> out = client.send(client.segment());
        // The banner and our FIN go out as soon as the connection opens.
        assertEquals(1, out.size(), out.toString());
        assertTrue(out.get(0).has(FIN));
        assertArrayEquals("220 hi\r\n".getBytes(), client.received());
        assertEquals(TcpState.FIN_WAIT_1, connection(greeter, 21, client).state());

        client.sendAck();
        assertEquals(TcpState.FIN_WAIT_2, connection(greeter, 21, client).state());

        List<Decoded.Tcp> finAck = client.sendFin();
        assertEquals(1, finAck.size());
        assertEquals(client.sndNxt, finAck.get(0).ack());
        assertEquals(TcpState.TIME_WAIT, connection(greeter, 21, client).state());
    }

    @Test
    void timeWaitExpiresAfterItsDuration() {
        TcpPeer client = closeFromOurSide();
        net.advanceMillis(1999);
        assertEquals(TcpState.TIME_WAIT, connection(greeter, 21, client).state());
        net.advanceMillis(1);
        assertNull(connection(greeter, 21, client));
        assertEquals(0, net.connections().size());
    }

    @Test
    void retransmittedFinInTimeWaitIsAcknowledgedAndRestartsTheTimer() {
        TcpPeer client = closeFromOurSide();
        net.advanceMillis(1500);
        client.sndNxt -= 1;
        List<Decoded.Tcp> out = client.sendFin();
        assertEquals(1, out.size());
        assertTrue(out.get(0).only(ACK));
        assertEquals(client.sndNxt, out.get(0).ack());
        net.advanceMillis(1500);
        assertEquals(TcpState.TIME_WAIT, connection(greeter, 21, client).state(), "2 MSL counted again from the FIN");
        net.advanceMillis(500);
        assertNull(connection(greeter, 21, client));
    }

    @Test
    void simultaneousCloseGoesThroughClosing() {
        TcpPeer client = net.client(greeter, 21);
        client.sendSyn();
        Decoded.Tcp ourFin = client.send(client.segment()).get(0);
        // Their FIN crosses ours: it does not acknowledge our FIN.
        List<Decoded.Tcp> out = client.send(client.segment().flags(FIN | ACK).ack(ourFin.seq()));
        client.sndNxt += 1;
        assertEquals(TcpState.CLOSING, connection(greeter, 21, client).state());
        assertEquals(1, out.size());
        client.sendAck();
        assertEquals(TcpState.TIME_WAIT, connection(greeter, 21, client).state());
    }

    @Test
    void finAckedTogetherWithTheirFinGoesStraightToTimeWait() {
        TcpPeer client = net.client(greeter, 21);
        client.sendSyn();
        client.send(client.segment());
        client.sendFin(); // acknowledges our FIN and carries theirs
        assertEquals(TcpState.TIME_WAIT, connection(greeter, 21, client).state());
    }

    @Test
    void aNewSynPastTheOldSequenceReopensAConnectionInTimeWait() {
        TcpPeer old = closeFromOurSide();
        TcpPeer again = net.client(greeter, old.localPort, 21);
        again.sndNxt = old.sndNxt + 100_000; // a later incarnation's ISN lies past the old one's
        List<Decoded.Tcp> answer = again.send(again.segment().flags(SYN).ack(0).mss(1460));
        assertEquals(1, answer.size(), answer.toString());
        assertTrue(answer.get(0).only(SYN | ACK), "a new connection, not an ACK for the old one: " + answer);
        assertEquals(old.sndNxt + 100_001, answer.get(0).ack());
        assertEquals(TcpState.SYN_RECEIVED, connection(greeter, 21, again).state());
    }

    @Test
    void aSynBehindTheOldSequenceInTimeWaitIsAnsweredForTheOldConnection() {
        TcpPeer old = closeFromOurSide();
        TcpPeer again = net.client(greeter, old.localPort, 21);
        again.sndNxt = old.sndNxt - 100_000; // may be an old duplicate (RFC 9293: a challenge ACK)
        List<Decoded.Tcp> answer = again.send(again.segment().flags(SYN).ack(0).mss(1460));
        assertEquals(1, answer.size(), answer.toString());
        assertTrue(answer.get(0).only(ACK), answer.toString());
        assertEquals(TcpState.TIME_WAIT, connection(greeter, 21, again).state());
    }

    @Test
    void aSynWithANewerTimestampReopensTimeWaitWhateverItsSequence() {
        TcpPeer old = net.client(greeter, 21);
        old.send(old.segment().flags(SYN).ack(0).mss(1460).timestamps(1000, 0));
        old.sndNxt = TcpPeer.ISS + 1;
        old.send(old.segment().timestamps(1001, 0));
        old.send(old.segment().flags(FIN | ACK).timestamps(1002, 0));
        old.sndNxt += 1;
        assertEquals(TcpState.TIME_WAIT, connection(greeter, 21, old).state());
        TcpPeer again = net.client(greeter, old.localPort, 21);
        again.sndNxt = old.sndNxt - 100_000;
        List<Decoded.Tcp> answer = again.send(again.segment().flags(SYN).ack(0).mss(1460).timestamps(2000, 0));
        assertTrue(answer.size() == 1 && answer.get(0).only(SYN | ACK), answer.toString());
    }

    private TcpPeer closeFromOurSide() {
        TcpPeer client = net.client(greeter, 21);
        client.sendSyn();
        client.send(client.segment());
        client.sendFin();
        assertEquals(TcpState.TIME_WAIT, connection(greeter, 21, client).state());
        return client;
    }
}
