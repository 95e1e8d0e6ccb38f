package tapnet.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import tapnet.testing.StackHarness;
import tapnet.testing.TcpPeer;

/** A bounded SYN backlog per listener; past it, SYN cookies (RFC 4987 §3.6). */
class SynCookieTest {
    private final StackHarness net = new StackHarness(TcpConfig.defaults().withMaxConnections(1000).withSynBacklog(4));
    private final VirtualHost web = net.host("web", "10.77.0.10", 7, new EchoService());

    private void floodHalfOpen(int count) {
        for (int i = 0; i < count; i++) {
            net.client(web, 7).sendSyn();
        }
    }

    @Test
    void pastTheBacklogSynsGetCookiesAndNoState() {
        floodHalfOpen(4);
        assertEquals(4, net.connections().size());
        TcpPeer late = net.client(web, 7);
        List<Decoded.Tcp> answer = late.sendSyn();
        assertTrue(answer.get(0).only(SYN | ACK));
        assertEquals(4, net.connections().size(), "no slot taken for the cookie");
        assertEquals(1, net.counters().get(Counter.TCP_SYN_COOKIES_SENT));
    }

    @Test
    void aValidCookieCompletesTheHandshakeAndTheConnectionWorks() {
        floodHalfOpen(4);
        TcpPeer client = net.client(web, 7);
        Decoded.Tcp synAck = client.sendSyn().get(0);
        assertEquals(1460, synAck.mss());
        client.sendAck();
        assertEquals(1, net.counters().get(Counter.TCP_SYN_COOKIES_ACCEPTED));
        assertEquals(TcpState.ESTABLISHED,
                net.connections().find(web.address(), 7, StackHarness.PEER_IP, client.localPort).state());
        client.sendData("through a cookie".getBytes());
        assertArrayEquals("through a cookie".getBytes(), client.received());
    }

    @Test
    void aValidCookieWithTheTableFullIsResetSoThatItsClientDoesNotWaitForEver() {
        StackHarness full = new StackHarness(TcpConfig.defaults().withMaxConnections(4).withSynBacklog(16));
        VirtualHost host = full.host("web", "10.77.0.10", 7, new EchoService());
        for (int i = 0; i < 4; i++) {
            full.client(host, 7).connect();
        }
        TcpPeer late = full.client(host, 7);
        Decoded.Tcp synAck = late.sendSyn().get(0);
        assertTrue(synAck.only(SYN | ACK), "a cookie: the table is full");
        List<Decoded.Tcp> out = late.sendAck();
        assertEquals(1, out.size(), out.toString());
        assertTrue(out.get(0).only(RST), "the client that thinks it is connected learns it is not: " + out);
        assertEquals(synAck.seq() + 1, out.get(0).seq());
        assertEquals(1, full.counters().dropped(tapnet.observe.DropReason.TCP_TABLE_FULL));
    }

    @Test
    void aForgedCookieIsReset() {
        floodHalfOpen(4);
        TcpPeer forger = net.client(web, 7);
        forger.sndNxt = TcpPeer.ISS + 1;
        List<Decoded.Tcp> out = forger.send(forger.segment().ack(0x12345678));
        assertTrue(out.get(0).only(RST));
        assertEquals(0, net.counters().get(Counter.TCP_SYN_COOKIES_ACCEPTED));
    }

    @Test
    void aCookieIsBoundToTheClientsIsn() {
        floodHalfOpen(4);
        TcpPeer client = net.client(web, 7);
        Decoded.Tcp synAck = client.sendSyn().get(0);
        client.sndNxt += 5; // not the ISN the cookie was made for
        List<Decoded.Tcp> out = client.send(client.segment().ack(synAck.seq() + 1));
        assertTrue(out.get(0).only(RST));
    }

    @Test
    void aCookieExpiresAfterTwoPeriods() {
        floodHalfOpen(4);
        TcpPeer client = net.client(web, 7);
        client.sendSyn();
        net.advanceMillis(129_000);
        assertTrue(client.sendAck().get(0).only(RST));
    }

    @Test
    void memoryStaysBoundedUnderAFlood() {
        for (int i = 0; i < 5000; i++) {
            net.client(web, 7).sendSyn();
        }
        assertEquals(4, net.connections().size());
        assertEquals(4996, net.counters().get(Counter.TCP_SYN_COOKIES_SENT));
    }

    @Test
    void legitimateClientsConnectDuringAFlood() {
        int connected = 0;
        for (int i = 0; i < 200; i++) {
            floodHalfOpen(10);
            TcpPeer client = net.client(web, 7);
            client.sendSyn();
            client.sendAck();
            client.sendData("x".getBytes());
            if (client.received().length == 1) {
                connected++;
            }
        }
        assertEquals(200, connected);
    }
}
