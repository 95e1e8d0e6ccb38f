package tapnet.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tapnet.wire.TcpSegment.RST;

import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.service.ChargenService;
import tapnet.service.EchoService;
import tapnet.testing.Decoded;
import tapnet.testing.StackHarness;
import tapnet.testing.TcpPeer;

/** The sender: Nagle, silly windows, zero-window probes, fast retransmit and NewReno recovery, abort. */
class SendingTest {
    private final StackHarness net = new StackHarness();
    private final VirtualHost echo = net.host("echo", "10.77.0.10", 7, new EchoService());

    /** Echo with Nagle turned off, as an application sets TCP_NODELAY. */
    static final class NoDelayEcho implements ConnectionHandler {
        private final EchoService echo = new EchoService();

        @Override
        public void onOpen(TcpConnection c) {
            c.setNoDelay(true);
        }

        @Override
        public void onReceive(TcpConnection c) {
            echo.onReceive(c);
        }
    }

    @Test
    void nagleHoldsASmallSegmentWhileDataIsUnacknowledged() {
        TcpPeer client = net.client(echo, 7);
        client.connect();
        int beforeA = client.rcvNxt;
        assertEquals(1, client.sendData("a".getBytes()).size());
        // 'b' does not acknowledge 'a' (it crossed it on the wire).
        List<Decoded.Tcp> held = client.send(client.segment().ack(beforeA).payload("b".getBytes()));
        client.sndNxt += 1;
        assertTrue(held.stream().noneMatch(s -> s.payload().length > 0),
                "RFC 9293 §3.7.4: 'b' waits while 'a' is unacknowledged: " + held);
        List<Decoded.Tcp> released = client.sendAck();
        assertEquals("b", new String(released.get(0).payload()));
    }

    @Test
    void noDelayTurnsNagleOff() {
        VirtualHost quick = net.host("quick", "10.77.0.11", 7, new NoDelayEcho());
        TcpPeer client = net.client(quick, 7);
        client.connect();
        int beforeA = client.rcvNxt;
        client.sendData("a".getBytes());
        List<Decoded.Tcp> out = client.send(client.segment().ack(beforeA).payload("b".getBytes()));
        assertEquals("b", new String(out.get(0).payload()), "[MUST-17]: the application may disable Nagle");
    }

    @Test
    void closedWindowIsProbedWithBackOffUntilItOpens() {
        VirtualHost chargen = net.host("chargen", "10.77.0.12", 19, new ChargenService());
        TcpPeer client = net.client(chargen, 19);
        client.send(client.segment().flags(tapnet.wire.TcpSegment.SYN).ack(0).mss(1460).window(0));
        client.sndNxt = TcpPeer.ISS + 1;
        List<Decoded.Tcp> nothing = client.send(client.segment().window(0));
        assertTrue(nothing.stream().allMatch(s -> s.payload().length == 0), "a closed window takes no data");
        List<Decoded.Tcp> probe = client.advanceMillis(1000);
        assertEquals(1, probe.size());
        assertEquals(1, probe.get(0).payload().length, "one byte past the closed window [MUST-36]");
        client.send(client.segment().window(0).ack(probe.get(0).seq()));
        assertTrue(client.advanceMillis(1999).isEmpty(), "the next probe backs off to 2 s");
        List<Decoded.Tcp> second = client.advanceMillis(1);
        assertEquals(1, second.size());
        assertEquals(probe.get(0).seq(), second.get(0).seq(), "the probe again");
        // The window opens and the peer takes what the probe carried: data flows again, from a slow start.
        Decoded.Tcp last = second.get(0);
        List<Decoded.Tcp> flowing = client.send(client.segment().window(10_000).ack(last.seq() + last.payload().length));
        assertTrue(flowing.stream().mapToInt(s -> s.payload().length).sum() >= 2 * 1460, "the window opened: " + flowing);
    }

    @Test
    void threeDuplicateAcksRetransmitTheFirstUnacknowledgedSegment() {
        TcpPeer client = net.client(echo, 7);
        client.connect();
        List<Decoded.Tcp> sent = client.sendData(new byte[10 * 1460]);
        int first = sent.get(0).seq();
        assertEquals(10, sent.size(), "initial window of 10 segments (RFC 6928)");
        client.send(client.segment().ack(first));
        client.send(client.segment().ack(first));
        List<Decoded.Tcp> third = client.send(client.segment().ack(first));
        assertEquals(1, third.size(), third.toString());
        assertEquals(first, third.get(0).seq());
        assertEquals(1460, third.get(0).payload().length);
        assertEquals(1, net.counters().get(Counter.TCP_FAST_RETRANSMITS));
    }

    @Test
    void aFastRetransmitThatReorderingCausedIsUndoneAndTheThresholdRises() {
        TcpPeer client = net.client(echo, 7);
        // A handshake with timestamps (RFC 7323): they tell an ACK for the original from one for the retransmission.
        List<Decoded.Tcp> synAck = client.send(client.segment().flags(tapnet.wire.TcpSegment.SYN).ack(0).mss(1460)
                .timestamps(100, 0));
        client.sndNxt = TcpPeer.ISS + 1;
        int hostTs = synAck.get(0).tsVal();
        client.send(client.segment().timestamps(101, hostTs));
        List<Decoded.Tcp> sent = client.send(client.segment().timestamps(102, hostTs).payload(new byte[10 * 1448]));
        client.sndNxt += 10 * 1448;
        int first = sent.get(0).seq();
        int originalTs = sent.get(0).tsVal();
        net.clock.advance(50, java.util.concurrent.TimeUnit.MILLISECONDS); // the duplicates come a round trip later
        for (int i = 0; i < 3; i++) {
            client.send(client.segment().timestamps(103, originalTs).ack(first));
        }
        TcpConnection c = net.connections().find(echo.address(), 7, StackHarness.PEER_IP, client.localPort);
        assertTrue(c.inRecovery, "three duplicates: fast retransmit");
        int cwndBefore = c.undoCwnd;
        // The original first segment was only late: the ACK for everything echoes its (older) timestamp.
        client.send(client.segment().timestamps(104, originalTs).ack(first + 10 * 1448));
        assertEquals(1, net.counters().get(Counter.TCP_SPURIOUS_RETRANSMITS));
        assertTrue(!c.inRecovery, "recovery undone");
        assertTrue(c.cwnd >= cwndBefore, "the window as before the retransmission: " + c.cwnd + " < " + cwndBefore);
        assertEquals(6, c.duplicateThreshold, "this path reorders: twice as many duplicates from now on");
    }

    @Test
    void eachOfTheFirstTwoDuplicateAcksLetsOneNewSegmentOut() {
        TcpPeer client = net.client(echo, 7);
        client.connect();
        List<Decoded.Tcp> sent = client.sendData(new byte[20 * 1460]);
        assertEquals(10, sent.size(), "the initial window; ten more segments wait");
        int first = sent.get(0).seq();
        int next = first + 10 * 1460;
        List<Decoded.Tcp> one = client.send(client.segment().ack(first));
        assertEquals(1, one.size(), "RFC 3042: a new segment for the first duplicate");
        assertEquals(next, one.get(0).seq());
        List<Decoded.Tcp> two = client.send(client.segment().ack(first));
        assertEquals(1, two.size());
        assertEquals(next + 1460, two.get(0).seq());
        List<Decoded.Tcp> third = client.send(client.segment().ack(first));
        assertEquals(first, third.get(0).seq(), "the third: fast retransmit of the first segment");
    }

    @Test
    void aNeededFastRetransmitIsNotUndone() {
        TcpPeer client = net.client(echo, 7);
        List<Decoded.Tcp> synAck = client.send(client.segment().flags(tapnet.wire.TcpSegment.SYN).ack(0).mss(1460)
                .timestamps(100, 0));
        client.sndNxt = TcpPeer.ISS + 1;
        int hostTs = synAck.get(0).tsVal();
        client.send(client.segment().timestamps(101, hostTs));
        List<Decoded.Tcp> sent = client.send(client.segment().timestamps(102, hostTs).payload(new byte[10 * 1448]));
        client.sndNxt += 10 * 1448;
        int first = sent.get(0).seq();
        net.clock.advance(50, java.util.concurrent.TimeUnit.MILLISECONDS);
        List<Decoded.Tcp> retransmitted = List.of();
        for (int i = 0; i < 3; i++) {
            retransmitted = client.send(client.segment().timestamps(103, sent.get(0).tsVal()).ack(first));
        }
        // The first segment was lost: the ACK for everything echoes the retransmission's timestamp.
        client.send(client.segment().timestamps(104, retransmitted.get(0).tsVal()).ack(first + 10 * 1448));
        assertEquals(0, net.counters().get(Counter.TCP_SPURIOUS_RETRANSMITS));
        TcpConnection c = net.connections().find(echo.address(), 7, StackHarness.PEER_IP, client.localPort);
        assertEquals(3, c.duplicateThreshold);
    }

    @Test
    void partialAckRetransmitsTheNextHoleAndAFullAckEndsRecovery() {
        TcpPeer client = net.client(echo, 7);
        client.connect();
        List<Decoded.Tcp> sent = client.sendData(new byte[10 * 1460]);
        int first = sent.get(0).seq();
        for (int i = 0; i < 3; i++) {
            client.send(client.segment().ack(first));
        }
        // Segments 1 and 4 were lost: the retransmission of 1 gets an ACK up to 4 (a partial ACK).
        List<Decoded.Tcp> next = client.send(client.segment().ack(first + 3 * 1460));
        assertEquals(first + 3 * 1460, next.get(0).seq(), "RFC 6582: the next hole goes at once");
        TcpConnection c = net.connections().find(echo.address(), 7, StackHarness.PEER_IP, client.localPort);
        assertTrue(c.inRecovery);
        client.send(client.segment().ack(first + 10 * 1460));
        assertTrue(!c.inRecovery);
        assertTrue(c.cwnd <= c.ssthresh + 1460, "window deflated to ssthresh");
    }

    @Test
    void abortSendsResetAndEndsTheConnection() {
        VirtualHost aborting = net.host("abort", "10.77.0.13", 7, new ConnectionHandler() {
            @Override
            public void onReceive(TcpConnection c) {
                c.abort();
            }
        });
        TcpPeer client = net.client(aborting, 7);
        client.connect();
        List<Decoded.Tcp> out = client.sendData("x".getBytes());
        assertEquals(1, out.size());
        assertTrue(out.get(0).has(RST));
        assertEquals(0, net.connections().size());
    }

    @Test
    void afterARetransmittedSynAckDataStartsWithAThreeSecondTimeout() {
        TcpPeer client = net.client(echo, 7);
        client.sendSyn();
        client.advanceMillis(1000); // the SYN-ACK goes again
        client.sendAck();
        TcpConnection c = net.connections().find(echo.address(), 7, StackHarness.PEER_IP, client.localPort);
        assertEquals(3_000_000_000L, c.rto.rto(), "RFC 6298 §5.7");
        client.sendData("x".getBytes());
        assertTrue(client.advanceMillis(2999).isEmpty());
        assertEquals(1, client.advanceMillis(1).size());
    }

    @Test
    void bulkDataWithNagleStillArrivesWhole() {
        TcpPeer client = net.client(echo, 7);
        client.connect();
        byte[] data = new byte[100_001];
        new java.util.Random(3).nextBytes(data);
        client.stream(data, 1000, data.length);
        assertArrayEquals(data, client.received());
        assertEquals(0, net.counters().get(Counter.TCP_RETRANSMISSIONS));
    }
}
