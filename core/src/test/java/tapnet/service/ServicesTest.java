package tapnet.service;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.node.VirtualHost;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.TcpPeer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tapnet.wire.TcpSegment.FIN;

/** Each service over a real (in-process) TCP connection: the service sees a byte stream. */
class ServicesTest {
    private final EngineHarness net = new EngineHarness();

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void echoReturnsBytesSplitAcrossSegments() {
        VirtualHost h = net.host("h", "10.77.0.10", 7, new EchoService());
        TcpPeer c = net.client(h, 7);
        c.connect();
        c.sendData("hel".getBytes());
        c.sendData("lo".getBytes());
        assertEquals("hello", text(c.received()));
    }

    @Test
    void discardCountsAndAnswersNothing() {
        DiscardService discard = new DiscardService();
        VirtualHost h = net.host("h", "10.77.0.10", 9, discard);
        TcpPeer c = net.client(h, 9);
        c.connect();
        c.sendData(new byte[1000]);
        assertEquals(0, c.received().length);
        assertEquals(1000, discard.bytes());
    }

    @Test
    void chargenSendsTheRfc864PatternAsFastAsItIsTaken() {
        VirtualHost h = net.host("h", "10.77.0.10", 19, new ChargenService());
        TcpPeer c = net.client(h, 19);
        c.sendSyn();
        c.send(c.segment());
        for (int i = 0; i < 100 && c.received().length < 20_000; i++) {
            c.sendAck();
        }
        byte[] got = c.received();
        assertTrue(got.length >= 20_000, "received " + got.length);
        assertArrayEquals(ChargenService.expectedStream(got.length), got);
        assertEquals(" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefg\r\n",
                text(java.util.Arrays.copyOf(got, 74)));
    }

    @Test
    void bannerGreetsOnConnectThenDiscards() {
        VirtualHost h = net.host("h", "10.77.0.10", 25, new BannerService("220 tapnet ESMTP\r\n", false));
        TcpPeer c = net.client(h, 25);
        c.sendSyn();
        c.send(c.segment());
        assertEquals("220 tapnet ESMTP\r\n", text(c.received()));
        c.sendData("HELO x\r\n".getBytes());
        assertEquals("220 tapnet ESMTP\r\n", text(c.received()));
    }

    @Test
    void httpAnswersEveryRequestOnAKeptAliveConnection() {
        VirtualHost h = net.host("h", "10.77.0.10", 80, new HttpService(200, "hello\n", "text/plain"));
        TcpPeer c = net.client(h, 80);
        c.connect();
        c.sendData("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
        String first = text(c.received());
        assertTrue(first.startsWith("HTTP/1.1 200 OK\r\n"), first);
        assertTrue(first.contains("Content-Length: 6\r\n"), first);
        assertTrue(first.contains("Connection: keep-alive\r\n"), first);
        assertTrue(first.endsWith("\r\n\r\nhello\n"), first);

        c.sendData("GET /again HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
        assertEquals(2 * first.length(), c.received().length, "the second request is answered on the same connection");
        assertTrue(!c.finReceived());
    }

    @Test
    void httpClosesAfterAnsweringConnectionClose() {
        VirtualHost h = net.host("h", "10.77.0.10", 80, new HttpService(200, "bye", "text/plain"));
        TcpPeer c = net.client(h, 80);
        c.connect();
        List<Decoded.Tcp> out = c.sendData("GET / HTTP/1.1\r\nConnection: close\r\n\r\n".getBytes());
        assertTrue(text(c.received()).contains("Connection: close\r\n"));
        assertTrue(out.get(out.size() - 1).has(FIN), "our FIN follows the response: " + out);
    }

    @Test
    void http10ClosesUnlessAskedToKeepAlive() {
        VirtualHost h = net.host("h", "10.77.0.10", 80, new HttpService(200, "x", "text/plain"));
        TcpPeer a = net.client(h, 80);
        a.connect();
        a.sendData("GET / HTTP/1.0\r\n\r\n".getBytes());
        assertTrue(a.finReceived());
        TcpPeer b = net.client(h, 80);
        b.connect();
        b.sendData("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n".getBytes());
        assertTrue(!b.finReceived());
    }

    @Test
    void httpPipelinedRequestsSplitAnywhereAreAnsweredInOrder() {
        VirtualHost h = net.host("h", "10.77.0.10", 80, new HttpService(404, "no", "text/plain"));
        TcpPeer c = net.client(h, 80);
        c.connect();
        byte[] requests = ("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
                + "POST /b HTTP/1.1\r\nContent-Length: 5\r\n\r\nHELLO"
                + "HEAD /c HTTP/1.1\r\n\r\n").getBytes();
        for (int i = 0; i < requests.length; i += 7) {
            c.sendData(java.util.Arrays.copyOfRange(requests, i, Math.min(requests.length, i + 7)));
        }
        String all = text(c.received());
        assertEquals(3, all.split("HTTP/1.1 404 Not Found", -1).length - 1, all);
        assertTrue(all.endsWith("Connection: keep-alive\r\n\r\n"), "HEAD has no body: " + all);
    }

    @Test
    void httpRefusesAHeadThatNeverEnds() {
        VirtualHost h = net.host("h", "10.77.0.10", 80, new HttpService(200, "x", "text/plain"));
        TcpPeer c = net.client(h, 80);
        c.connect();
        byte[] junk = new byte[1400];
        java.util.Arrays.fill(junk, (byte) 'a');
        for (int i = 0; i < 50 && !c.finReceived(); i++) {
            c.sendData(junk);
        }
        assertTrue(text(c.received()).startsWith("HTTP/1.1 431 "), text(c.received()));
        assertTrue(c.finReceived());
    }

    @Test
    void httpResponseLargerThanTheSendBufferIsSentWhole() {
        String body = "x".repeat(200_000);
        VirtualHost h = net.host("h", "10.77.0.10", 80, new HttpService(200, body, "text/plain"));
        TcpPeer c = net.client(h, 80);
        c.connect();
        c.sendData("GET / HTTP/1.1\r\n\r\n".getBytes());
        for (int i = 0; i < 1000 && !text(c.received()).endsWith(body); i++) {
            c.sendAck();
        }
        assertTrue(text(c.received()).endsWith(body));
    }
}
