package tapnet.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.FIN;
import static tapnet.wire.TcpSegment.SYN;

import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.service.BannerService;
import tapnet.service.EchoService;
import tapnet.testing.Decoded;
import tapnet.testing.StackHarness;
import tapnet.testing.TcpPeer;

/** Retransmission of SYN-ACK, data and FIN with RFC 6298's timer: 1 s initially, doubled on every expiry. */
class RetransmissionTest {
    private final StackHarness net = new StackHarness();
    private final VirtualHost web = net.host("web", "10.77.0.10", 7, new EchoService());

    private TcpConnection connection(VirtualHost host, int port, TcpPeer client) {
        return net.connections().find(host.address(), port, StackHarness.PEER_IP, client.localPort);
    }

    @Test
    void lostSynAckIsRetransmittedAfterOneSecondThenTwo() {
        TcpPeer client = net.client(web, 7);
        Decoded.Tcp first = client.sendSyn().get(0);

        assertTrue(client.advanceMillis(999).isEmpty());
        List<Decoded.Tcp> second = client.advanceMillis(1);
        assertEquals(1, second.size(), "RFC 6298 §2.1: initial RTO 1 s");
        assertTrue(second.get(0).only(SYN | ACK));
        assertEquals(first.seq(), second.get(0).seq());
        assertEquals(first.ack(), second.get(0).ack());

        assertTrue(client.advanceMillis(1999).isEmpty());
        assertEquals(1, client.advanceMillis(1).size(), "RFC 6298 §5.5: backed off to 2 s");
        assertTrue(client.advanceMillis(3999).isEmpty());
        assertEquals(1, client.advanceMillis(1).size(), "then 4 s");
        assertEquals(3, net.counters().get(Counter.TCP_RETRANSMISSIONS));
    }

    @Test
    void handshakeIsGivenUpAfterTheRetryLimit() {
        TcpPeer client = net.client(web, 7);
        client.sendSyn();
        int synAcks = 1;
        for (int i = 0; i < 200; i++) {
            synAcks += client.advanceMillis(1000).size();
        }
        assertEquals(1 + TcpConfig.defaults().synAckRetries(), synAcks, "1 + 5 retries over 1+2+4+8+16 s, then 32 s of waiting");
        assertNull(connection(web, 7, client));
        assertEquals(1, net.counters().get(Counter.TCP_HANDSHAKE_TIMEOUTS));
    }

    @Test
    void handshakeCompletesAfterARetransmittedSynAck() {
        TcpPeer client = net.client(web, 7);
        client.sendSyn();
        client.advanceMillis(1000);
        client.sendAck();
        assertEquals(TcpState.ESTABLISHED, connection(web, 7, client).state());
    }

    @Test
    void unacknowledgedDataIsRetransmittedFromTheFirstUnacknowledgedOctet() {
        TcpPeer client = net.client(web, 7);
        client.connect();
        Decoded.Tcp echo = client.sendData("ping".getBytes()).get(0);
        // The client "loses" the echo: it never acknowledges it.
        List<Decoded.Tcp> again = client.advanceMillis(1000);
        assertEquals(1, again.size());
        assertEquals(echo.seq(), again.get(0).seq());
        assertEquals("ping", new String(again.get(0).payload()));
        client.sendAck();
        assertTrue(client.advanceMillis(10_000).isEmpty(), "acknowledged: the timer stops");
    }

    @Test
    void rttSampleShortensTheTimeoutButNotBelowTheMinimum() {
        TcpPeer client = net.client(web, 7);
        client.sendSyn();
        net.advanceMillis(10);
        client.sendAck(); // handshake RTT sample: 10 ms
        TcpConnection c = connection(web, 7, client);
        assertEquals(10_000_000, c.rto.srtt());
        assertEquals(1_000_000_000, c.rto.rto(), "RFC 6298 §2.4: rounded up to 1 s");
    }

    @Test
    void unacknowledgedFinIsRetransmitted() {
        VirtualHost greeter = net.host("g", "10.77.0.11", 21, new BannerService("hi", true));
        TcpPeer client = net.client(greeter, 21);
        client.sendSyn();
        Decoded.Tcp finWithData = client.send(client.segment()).get(0);
        assertTrue(finWithData.has(FIN));
        // Acknowledge the data but not the FIN.
        client.send(client.segment().ack(finWithData.seq() + 2));
        List<Decoded.Tcp> again = client.advanceMillis(1000);
        assertEquals(1, again.size());
        assertTrue(again.get(0).only(FIN | ACK), again.toString());
        assertEquals(finWithData.seq() + 2, again.get(0).seq());
    }

    @Test
    void connectionIsAbortedAfterTheDataRetryLimit() {
        TcpPeer client = net.client(web, 7);
        client.connect();
        client.sendData("x".getBytes());
        for (int i = 0; i < 40 && connection(web, 7, client) != null; i++) {
            net.advanceMillis(60_000);
        }
        assertNull(connection(web, 7, client));
        assertEquals(1, net.counters().get(Counter.TCP_CONNECTIONS_ABORTED));
        assertEquals(TcpConfig.defaults().dataRetries(), net.counters().get(Counter.TCP_RETRANSMISSIONS));
    }

    @Test
    void retransmissionAfterTimeoutRestartsSlowStartWithOneSegment() {
        TcpPeer client = net.client(web, 7);
        client.connect();
        List<Decoded.Tcp> burst = client.sendData(new byte[4000]);
        assertEquals(2, burst.size(), "two full segments; Nagle keeps the short rest while they are in flight");
        List<Decoded.Tcp> again = client.advanceMillis(1000);
        assertEquals(1, again.size(), "RFC 5681 §3.1: cwnd = 1 segment after a timeout");
        assertEquals(burst.get(0).seq(), again.get(0).seq());
        assertTrue(again.get(0).has(ACK));
    }

    @Test
    void karnsRuleTakesNoSampleFromARetransmittedSegment() {
        TcpPeer client = net.client(web, 7);
        client.connect();
        TcpConnection c = connection(web, 7, client);
        long srttBefore = c.rto.srtt();
        client.sendData("ping".getBytes());
        client.advanceMillis(1000); // the echo is sent again
        net.advanceMillis(500);
        client.sendAck(); // 1.5 s after the first send, 0.5 s after the second: ambiguous
        assertEquals(srttBefore, c.rto.srtt(), "RFC 6298 §3 [MUST-18]: no sample from a retransmission");
    }

    @Test
    void anIdleConnectionSendsNothingKeepAliveIsOff() {
        TcpPeer client = net.client(web, 7);
        client.connect();
        for (int hour = 0; hour < 3; hour++) {
            assertTrue(client.advanceMillis(3_600_000).isEmpty(), "RFC 9293 [MUST-25]: keep-alives off by default");
        }
        assertEquals(TcpState.ESTABLISHED, connection(web, 7, client).state());
    }
}
