package tapnet.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tapnet.wire.TcpSegment.RST;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.node.VirtualHost;
import tapnet.observe.Counters;
import tapnet.service.RoutedHttpService.Route;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.TcpPeer;

/** An HTTP service with routes over an in-process TCP connection, on the virtual clock. */
class RoutedHttpServiceTest {
    private final EngineHarness net = new EngineHarness();
    private final Counters counters = net.engine.counters();

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static HttpAnswer text(int status, String body) {
        return new HttpAnswer(status, "text/plain", List.of(), body.getBytes(StandardCharsets.UTF_8), 0, false, 0, 0);
    }

    private static Route route(String method, String path, HttpAnswer answer, HttpFault... faults) {
        return new Route(method, path, answer, List.of(faults));
    }

    private VirtualHost h;

    private TcpPeer serve(Route... routes) {
        h = net.host("h", "10.77.0.10", 80, new RoutedHttpService(List.of(routes), counters, "http.h.80"));
        TcpPeer c = net.client(h, 80);
        c.connect();
        return c;
    }

    /** Sends a request and acknowledges what comes back until nothing more does; returns what came for it. */
    private static String exchange(TcpPeer c, String request) {
        int before = c.received().length;
        c.sendData(request.getBytes(StandardCharsets.ISO_8859_1));
        ackAll(c);
        byte[] all = c.received();
        return text(Arrays.copyOfRange(all, before, all.length));
    }

    private static void ackAll(TcpPeer c) {
        for (int i = 0, last = -1; i < 10_000 && c.received().length != last; i++) {
            last = c.received().length;
            c.sendAck();
        }
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: h\r\n\r\n";
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void firstMatchingRouteAnswersByMethodAndExactPath() {
        TcpPeer c = serve(route("POST", "/a", text(201, "posted")), route("GET", "/a", text(200, "got")),
                route(null, "/a", text(202, "any")));
        assertEquals("got", body(exchange(c, get("/a"))));
        assertTrue(exchange(c, "POST /a HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi").startsWith("HTTP/1.1 201 Created\r\n"));
        assertEquals("any", body(exchange(c, "PUT /a HTTP/1.1\r\n\r\n")));
    }

    @Test
    void prefixRouteTakesEverythingBelowItAndTheQueryIsIgnored() {
        TcpPeer c = serve(route(null, "/api/*", text(200, "api")), route(null, "/exact", text(200, "exact")));
        assertEquals("api", body(exchange(c, get("/api/users/7?x=1"))));
        assertEquals("api", body(exchange(c, get("/api/"))));
        assertEquals("exact", body(exchange(c, get("/exact?q"))));
        assertTrue(exchange(c, get("/api")).startsWith("HTTP/1.1 404 Not Found\r\n"));
        assertTrue(exchange(c, get("/exact/more")).startsWith("HTTP/1.1 404 Not Found\r\n"));
    }

    @Test
    void aStarInsideAPathTakesOneSegment() {
        TcpPeer c = serve(route("GET", "/users/*/orders", text(200, "orders")), route(null, "/v*/items/*", text(200, "items")));
        assertEquals("orders", body(exchange(c, get("/users/42/orders?all"))));
        assertEquals("orders", body(exchange(c, get("/users//orders"))), "an empty segment too");
        assertTrue(exchange(c, get("/users/4/2/orders")).startsWith("HTTP/1.1 404 Not Found\r\n"), "not two segments");
        assertTrue(exchange(c, get("/users/42/orders/1")).startsWith("HTTP/1.1 404 Not Found\r\n"));
        assertEquals("items", body(exchange(c, get("/v2/items/7/parts"))), "a final star still takes all below");
        assertTrue(exchange(c, get("/v2/x/items/7")).startsWith("HTTP/1.1 404 Not Found\r\n"));
    }

    @Test
    void starAloneTakesEveryPathForItsMethod() {
        TcpPeer c = serve(route("DELETE", "*", text(204, "")), route(null, "/", text(200, "root")));
        assertTrue(exchange(c, "DELETE /any/thing HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 204 No Content\r\n"));
        assertEquals("root", body(exchange(c, get("/"))));
    }

    @Test
    void aTargetLongerThanWhatIsKeptMatchesOnlyAPrefix() {
        String longPath = "/files/" + "x".repeat(400);
        TcpPeer c = serve(route(null, longPath.substring(0, 150), text(200, "exact")), route(null, "/files/*", text(200, "prefix")));
        assertEquals("prefix", body(exchange(c, get(longPath))));
        assertEquals("exact", body(exchange(c, get(longPath.substring(0, 150)))));
    }

    @Test
    void unmatchedRequestGets404AndTheConnectionStaysOpen() {
        TcpPeer c = serve(route("GET", "/", text(200, "root")));
        String miss = exchange(c, get("/nowhere"));
        assertTrue(miss.startsWith("HTTP/1.1 404 Not Found\r\n"), miss);
        assertTrue(miss.contains("Connection: keep-alive\r\n"), miss);
        assertEquals("not found\n", body(miss));
        assertEquals("root", body(exchange(c, get("/"))));
        assertFalse(c.finReceived());
    }

    @Test
    void statusContentTypeAndHeadersAreSent() {
        HttpAnswer answer = new HttpAnswer(301, "application/json", List.of("Location: /new", "X-Test: 1"),
                "{}".getBytes(StandardCharsets.UTF_8), 0, false, 0, 0);
        String r = exchange(serve(route(null, "/old", answer)), get("/old"));
        assertTrue(r.startsWith("HTTP/1.1 301 Moved Permanently\r\n"), r);
        assertTrue(r.contains("Content-Type: application/json\r\nContent-Length: 2\r\n"), r);
        assertTrue(r.contains("Location: /new\r\nX-Test: 1\r\n\r\n{}"), r);
    }

    @Test
    void statusFaultAnswersTheFirstNMatchingRequestsThenTheRoute() {
        TcpPeer c = serve(route(null, "/flaky", text(200, "ok"), HttpFault.status(503, 2)));
        assertTrue(exchange(c, get("/flaky")).startsWith("HTTP/1.1 503 Service Unavailable\r\n"));
        assertTrue(exchange(c, get("/flaky")).startsWith("HTTP/1.1 503 "));
        assertEquals("ok", body(exchange(c, get("/flaky"))));
        assertEquals("ok", body(exchange(c, get("/flaky"))));
        assertEquals(4, counters.namedValue("http.h.80.route.1.requests"));
        assertEquals(2, counters.namedValue("http.h.80.route.1.status.503"));
        assertEquals(2, counters.namedValue("http.h.80.route.1.status.200"));
    }

    @Test
    void requestsAreCountedPerRouteAndUnmatchedApart() {
        TcpPeer c = serve(route(null, "/a", text(200, "a")), route(null, "/b", text(200, "b")));
        exchange(c, get("/a"));
        exchange(c, get("/b"));
        exchange(c, get("/b"));
        exchange(c, get("/c"));
        assertEquals(1, counters.namedValue("http.h.80.route.1.requests"));
        assertEquals(2, counters.namedValue("http.h.80.route.2.requests"));
        assertEquals(1, counters.namedValue("http.h.80.unmatched.requests"));
        assertEquals(2L, counters.snapshot().get("http.h.80.route.2.status.200"));
    }

    @Test
    void closeFaultSendsNBodyBytesThenFin() {
        HttpAnswer big = new HttpAnswer(200, "text/plain", List.of(), null, 100_000, false, 0, 0);
        TcpPeer c = serve(route(null, "/cut", big, HttpFault.close(5000, 0)));
        String r = exchange(c, get("/cut"));
        assertTrue(r.contains("Content-Length: 100000\r\n"), r);
        assertEquals(5000, body(r).length());
        assertTrue(c.finReceived());
    }

    @Test
    void resetFaultSendsNBodyBytesThenRstOnlyForTheFirstRequests() {
        HttpAnswer big = new HttpAnswer(200, "text/plain", List.of(), null, 3000, false, 0, 0);
        TcpPeer c = serve(route(null, "/r", big, HttpFault.reset(1000, 1)));
        c.sendData(get("/r").getBytes(StandardCharsets.ISO_8859_1));
        List<Decoded.Tcp> got = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            got.addAll(c.sendAck());
        }
        assertTrue(got.stream().anyMatch(s -> s.has(RST)), got.toString());
        assertEquals(1000, body(text(c.received())).length());

        TcpPeer second = net.client(h, 80);
        second.connect();
        assertEquals(3000, body(exchange(second, get("/r"))).length());
    }

    @Test
    void chunkedBodyIsFramedAsChunksAndEndsWithTheLastChunk() {
        HttpAnswer chunked = new HttpAnswer(200, "text/plain", List.of(), null, 40_000, true, 0, 0);
        TcpPeer c = serve(route(null, "/c", chunked));
        String r = exchange(c, get("/c"));
        assertTrue(r.contains("Transfer-Encoding: chunked\r\n"), r);
        assertFalse(r.contains("Content-Length"), r);
        String framed = body(r);
        StringBuilder decoded = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = framed.indexOf("\r\n", at);
            int size = Integer.parseInt(framed.substring(at, eol), 16);
            at = eol + 2;
            if (size == 0) {
                assertEquals("\r\n", framed.substring(at));
                break;
            }
            decoded.append(framed, at, at + size);
            assertEquals("\r\n", framed.substring(at + size, at + size + 2));
            at += size + 2;
        }
        assertEquals(text(RoutedHttpService.generatedBody(40_000)), decoded.toString());
        assertTrue(exchange(c, get("/c")).startsWith("HTTP/1.1 200 OK\r\n"));
    }

    @Test
    void anHttp10ClientGetsAChunkedRouteSized() {
        HttpAnswer chunked = new HttpAnswer(200, "text/plain", List.of(), "abc".getBytes(StandardCharsets.UTF_8), 0, true, 0, 0);
        TcpPeer c = serve(route(null, "/c", chunked));
        String r = exchange(c, "GET /c HTTP/1.0\r\n\r\n");
        assertTrue(r.contains("Content-Length: 3\r\n") && !r.contains("chunked"), r);
        assertEquals("abc", body(r));
        assertTrue(c.finReceived());
    }

    @Test
    void generatedBodyIsTheRepeatingPatternToTheByte() {
        HttpAnswer gen = new HttpAnswer(200, "application/octet-stream", List.of(), null, 300_000, false, 0, 0);
        TcpPeer c = serve(route(null, "/big", gen));
        String r = exchange(c, get("/big"));
        assertTrue(r.contains("Content-Length: 300000\r\n"), r);
        assertEquals(text(RoutedHttpService.generatedBody(300_000)), body(r));
        assertEquals("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/\n0",
                body(r).substring(0, 66));
    }

    @Test
    void headGetsTheHeadOnly() {
        TcpPeer c = serve(route(null, "/", text(200, "hello")));
        String r = exchange(c, "HEAD / HTTP/1.1\r\n\r\n");
        assertTrue(r.contains("Content-Length: 5\r\n"), r);
        assertEquals("", body(r));
        assertEquals("hello", body(exchange(c, get("/"))));
    }

    @Test
    void delayedAnswerStartsAfterTheDelayOnTheVirtualClock() {
        HttpAnswer slow = new HttpAnswer(200, "text/plain", List.of(), "late".getBytes(StandardCharsets.UTF_8), 0, false,
                500_000_000L, 0);
        TcpPeer c = serve(route(null, "/slow", slow));
        c.sendData(get("/slow").getBytes(StandardCharsets.ISO_8859_1));
        c.advanceMillis(499);
        assertEquals(0, c.received().length);
        c.advanceMillis(2);
        assertTrue(text(c.received()).endsWith("\r\n\r\nlate"), text(c.received()));
    }

    @Test
    void pacedBodyTakesItsSizeOverTheRate() {
        HttpAnswer paced = new HttpAnswer(200, "text/plain", List.of(), null, 10_000, false, 0, 5_000);
        TcpPeer c = serve(route(null, "/paced", paced));
        c.sendData(get("/paced").getBytes(StandardCharsets.ISO_8859_1));
        int headLength = text(c.received()).indexOf("\r\n\r\n") + 4;
        long elapsed = 0;
        int atOneSecond = -1;
        while (c.received().length < headLength + 10_000 && elapsed < 5_000) {
            c.advanceMillis(10);
            c.sendAck();
            elapsed += 10;
            if (elapsed == 1000) {
                atOneSecond = c.received().length - headLength;
            }
        }
        assertTrue(atOneSecond >= 4_900 && atOneSecond <= 5_100, "after 1 s: " + atOneSecond);
        assertTrue(elapsed >= 1_950 && elapsed <= 2_050, "the whole body took " + elapsed + " ms");
        assertArrayEquals(RoutedHttpService.generatedBody(10_000),
                Arrays.copyOfRange(c.received(), headLength, headLength + 10_000));
    }

    @Test
    void closeRequestIsAnsweredThenClosed() {
        TcpPeer c = serve(route(null, "/", text(200, "bye")));
        String r = exchange(c, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
        assertTrue(r.contains("Connection: close\r\n"), r);
        assertTrue(c.finReceived());
    }

    @Test
    void pipelinedRequestsOnDifferentRoutesAreAnsweredInOrder() {
        TcpPeer c = serve(route(null, "/1", text(200, "one")), route(null, "/2", text(200, "two")));
        String r = exchange(c, get("/1") + get("/2") + get("/3"));
        int one = r.indexOf("one");
        int two = r.indexOf("two");
        int missing = r.indexOf("404");
        assertTrue(one > 0 && two > one && missing > two, r);
    }
}
