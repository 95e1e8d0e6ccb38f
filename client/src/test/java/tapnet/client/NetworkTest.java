package tapnet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each call of the client sends the contract's method, path and body, and reads the contract's answer. */
class NetworkTest {
    private static final String LINK = "{\"node\":\"web\",\"parent\":\"tap\",\"toNode\":{\"delay\":\"50ms\",\"loss\":\"1%\",\"down\":false},"
            + "\"fromNode\":{\"delay\":\"50ms\"},\"counters\":{\"toNode\":{\"delivered\":7,\"lost\":2},\"fromNode\":{\"delivered\":5,\"down\":3}}}";

    @TempDir
    Path dir;
    private StubControlServer server;
    private Network net;

    @BeforeEach
    void start() throws Exception {
        server = StubControlServer.onUnixSocket(dir);
        net = Tapnet.connect(server.socket());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void aLinkChangeIsPatchedWithTheFilesKeysAndValues() {
        server.answer("PATCH /v1/links/web", 200, LINK);
        Link link = net.link("web").delay(Duration.ofMillis(50)).lossPercent(1.0).apply();
        assertEquals("PATCH /v1/links/web", server.last().call());
        assertEquals(Map.of("delay", "50ms", "loss", "1%"), Json.parse(server.last().body()));
        assertEquals("application/json", server.last().headers().get("content-type"));
        assertEquals("web", link.node());
        assertEquals("tap", link.parent());
        assertEquals("50ms", link.toNode().setting("delay"));
        assertEquals(2, link.toNode().counter("lost"));
        assertEquals(3, link.fromNode().counter("down"));
        assertFalse(link.isDown());
    }

    @Test
    void replacePutsTheWholeSettingAndGetSendsNothing() {
        server.answer("PUT /v1/links/web", 200, LINK).answer("GET /v1/links/web", 200, LINK);
        net.link("web").jitter(Duration.ofNanos(1500)).rate("10mbit").set("limit", 100).mtu(1200).down(false)
                .duplicatePercent(0.5).corruptPercent(100).reorderPercent(25).replace();
        assertEquals(Map.of("jitter", "1500ns", "rate", "10mbit", "limit", 100L, "mtu", 1200L, "down", false,
                "duplicate", "0.5%", "corrupt", "100%", "reorder", "25%"), Json.parse(server.last().body()));
        net.link("web").get();
        assertEquals("GET /v1/links/web", server.last().call());
        assertEquals("", server.last().body());
    }

    @Test
    void aChangeOfOneDirectionNamesIt() {
        server.answer("PATCH /v1/links/web", 200, LINK).answer("PUT /v1/links/web", 200, LINK);
        net.link("web").towardNode().lossPercent(5).apply();
        assertEquals(Map.of("to", Map.of("loss", "5%")), Json.parse(server.last().body()));
        net.link("web").rate("1mbit").fromNode().replace();
        assertEquals(Map.of("from", Map.of("rate", "1mbit")), Json.parse(server.last().body()));
    }

    @Test
    void linksListsEveryLink() {
        server.answer("GET /v1/links", 200, "[" + LINK + "," + LINK.replace("\"web\"", "\"db\"") + "]");
        assertEquals(List.of("web", "db"), net.links().stream().map(Link::node).toList());
    }

    @Test
    void downAndUpPostToTheNode() {
        server.answer("POST /v1/nodes/db/down", 200, LINK.replace("\"down\":false", "\"down\":true"));
        assertTrue(net.down("db").isDown());
        net.up("db");
        assertEquals(List.of("POST /v1/nodes/db/down", "POST /v1/nodes/db/up"), server.calls());
        assertEquals("0", server.last().headers().get("content-length"), "a POST without a body says so");
    }

    @Test
    void aPartitionPutsItsGroupsAndHealDeletesIt() {
        server.answer("PUT /v1/partition", 200, "{\"groups\":[[\"tap\",\"web\"],[\"db\"]]}");
        List<Set<String>> groups = net.partition(Set.of("tap", "web"), Set.of("db"));
        assertEquals(List.of(Set.of("tap", "web"), Set.of("db")), groups);
        List<?> sent = (List<?>) ((Map<?, ?>) Json.parse(server.last().body())).get("groups");
        assertEquals(Set.of("tap", "web"), Set.copyOf((List<?>) sent.get(0)));
        assertEquals(List.of("db"), sent.get(1));
        net.heal();
        assertEquals("DELETE /v1/partition", server.last().call());
        server.answer("GET /v1/partition", 200, "{\"groups\":[]}");
        assertEquals(List.of(), net.partition());
    }

    @Test
    void hostsAndServicesStopAndStart() {
        server.answer("POST /v1/hosts/web/stop", 200, "{\"host\":\"web\",\"running\":false}")
                .answer("POST /v1/hosts/web/services/80/start", 200, "{\"host\":\"web\",\"port\":80,\"running\":true}");
        assertFalse(net.host("web").stop());
        net.host("web").start();
        net.service("web", 80).stop();
        assertTrue(net.service("web", 80).start());
        assertEquals(List.of("POST /v1/hosts/web/stop", "POST /v1/hosts/web/start", "POST /v1/hosts/web/services/80/stop",
                "POST /v1/hosts/web/services/80/start"), server.calls());
    }

    @Test
    void serviceFaultsArePutAsAFileWritesThem() {
        server.answer("PUT /v1/hosts/web/services/80/faults", r -> new StubControlServer.Answer(200, r.body()));
        List<Fault> faults = net.service("web", 80).faults(Fault.resetAfterBytes(1000).first(2), Fault.refuse(),
                Fault.synAckDrop().probabilityPercent(10), Fault.synAckDelay(Duration.ofMillis(300)));
        assertEquals("{\"faults\":[{\"resetAfter\":\"1000B\",\"first\":2},{\"refuse\":{}},{\"synAckDrop\":1,\"probability\":\"10%\"},"
                + "{\"synAckDelay\":\"300ms\"}]}", server.last().body());
        assertEquals(List.of(Fault.resetAfterBytes(1000).first(2), Fault.refuse(), Fault.synAckDrop().probabilityPercent(10),
                Fault.synAckDelay(Duration.ofMillis(300))), faults, "the faults read back equal those sent");
        net.service("web", 80).clearFaults();
        assertEquals("DELETE /v1/hosts/web/services/80/faults", server.last().call());
        server.answer("GET /v1/hosts/web/services/80/faults", 200, "{\"faults\":[{\"stall\":{}}]}");
        assertEquals(List.of(Fault.stall()), net.service("web", 80).faults());
    }

    @Test
    void routeFaultsGoToTheRouteByNumber() {
        net.service("api", 80).route(2).faults(Fault.of("status", 503).first(2));
        assertEquals("PUT /v1/hosts/api/services/80/routes/2/faults", server.last().call());
        assertEquals("{\"faults\":[{\"status\":503,\"first\":2}]}", server.last().body());
        net.service("api", 80).route(2).clearFaults();
        assertEquals("DELETE /v1/hosts/api/services/80/routes/2/faults", server.last().call());
    }

    @Test
    void dnsFaultsNameTheirName() {
        server.answer("PUT /v1/dns/faults", r -> new StubControlServer.Answer(200, r.body()));
        List<DnsFault> faults = net.dns().faults(DnsFault.nxdomain("db").first(2));
        assertEquals("{\"faults\":[{\"name\":\"db\",\"nxdomain\":{},\"first\":2}]}", server.last().body());
        assertEquals(List.of(DnsFault.nxdomain("db").first(2)), faults);
        net.dns().clearFaults();
        assertEquals("DELETE /v1/dns/faults", server.last().call());
    }

    @Test
    void countersAreReadAndDiffed() {
        server.answer("GET /v1/counters", 200, "{\"counters\":{\"frames_in\":6,\"drop.link_loss\":2,\"tcp_resets\":0}}");
        Counters before = net.counters();
        assertEquals(6, before.get("frames_in"));
        assertEquals(0, before.get("no_such_counter"));
        assertTrue(before.contains("tcp_resets"));
        server.answer("GET /v1/counters", 200, "{\"counters\":{\"frames_in\":10,\"drop.link_loss\":2,\"tcp_resets\":1}}");
        Counters diff = net.counters().diff(before);
        assertEquals(Map.of("frames_in", 4L, "tcp_resets", 1L), diff.asMap());
        assertEquals("frames_in 4\ntcp_resets 1\n", diff.toString());
    }

    @Test
    void eventsAreAskedSinceASequenceNumber() {
        server.answer("GET /v1/events", 200, "{\"events\":[{\"seq\":4,\"time\":2.345,\"at\":\"2026-12-05T03:00:00.123Z\","
                + "\"source\":\"api\",\"action\":\"link web: {delay: 50ms}\"}],\"next\":5,\"dropped\":3}");
        Events events = net.events(4);
        assertEquals("since=4", server.last().query());
        assertEquals(List.of(new Event(4, 2.345, "2026-12-05T03:00:00.123Z", "api", "link web: {delay: 50ms}")), events.events());
        assertEquals(5, events.next());
        assertEquals(3, events.dropped());
        assertEquals("#4 2.345s api: link web: {delay: 50ms}", events.events().get(0).toString());
    }

    @Test
    void resetPostsAndSaysHowManyChanges() {
        server.answer("POST /v1/reset", 200, "{\"reset\":true,\"events\":3}");
        assertEquals(3, net.reset());
    }

    @Test
    void aCaptureStartsWithAnAbsolutePathAndStopsOnce() {
        server.answer("POST /v1/captures", 200, "{\"id\":7,\"path\":\"/tmp/t.pcapng\"}")
                .answer("DELETE /v1/captures/7", 200, "{\"id\":7,\"path\":\"/tmp/t.pcapng\",\"frames\":12,\"bytes\":3400}");
        Capture.Summary summary;
        try (Capture capture = net.capture(Path.of("t.pcapng"), List.of("web"))) {
            assertEquals(Map.of("path", Path.of("t.pcapng").toAbsolutePath().toString(), "links", List.of("web")),
                    Json.parse(server.last().body()));
            assertEquals(7, capture.id());
            summary = capture.stop();
        }
        assertEquals(new Capture.Summary(7, Path.of("/tmp/t.pcapng"), 12, 3400), summary);
        assertEquals(1, server.requests("DELETE /v1/captures/7").size(), "close after stop sends nothing more");
    }

    @Test
    void theTopologyIsReadIntoValues() {
        server.answer("GET /v1/topology", 200, "{\"name\":\"shop\",\"seed\":17,\"file\":\"/x/shop.yaml\","
                + "\"tap\":{\"device\":\"tapnet0\",\"address\":\"10.77.0.1/24\",\"netns\":\"\"},"
                + "\"hosts\":[{\"name\":\"api\",\"address\":\"10.77.0.10\",\"running\":true,"
                + "\"services\":[{\"port\":80,\"protocol\":\"tcp\",\"kind\":\"http\",\"running\":true}]}],"
                + "\"routers\":[],\"ports\":[],\"dns\":{\"address\":\"10.77.0.53\",\"domain\":\"shop.test\"}}");
        Topology topology = net.topology();
        assertEquals("shop", topology.name());
        assertEquals(17, topology.seed());
        assertEquals("10.77.0.1/24", topology.tap().address());
        assertEquals(new Topology.Service(80, "tcp", "http", true), topology.host("api").orElseThrow().services().get(0));
        assertEquals("shop.test", topology.dns().orElseThrow().domain());
        server.answer("GET /v1/topology", 200, "{\"name\":\"x\",\"dns\":null}");
        assertTrue(net.topology().dns().isEmpty());
    }

    @Test
    void aMistakeInTheBodyComesBackWithTheServersMessageAndItsLineAndColumn() {
        server.answer("PATCH /v1/links/web", 400, "{\"error\":\"api:1:2: 'dealy' is not a key of a link; expected one of: delay\","
                + "\"errors\":[{\"line\":1,\"column\":2,\"message\":\"'dealy' is not a key of a link; expected one of: delay\"}]}");
        TapnetException e = assertThrows(TapnetException.class, () -> net.link("web").set("dealy", "5ms").apply());
        assertEquals(400, e.status());
        assertEquals("api:1:2: 'dealy' is not a key of a link; expected one of: delay", e.serverMessage());
        assertEquals(List.of(new TapnetException.Problem(1, 2, "'dealy' is not a key of a link; expected one of: delay")), e.problems());
        assertEquals("PATCH /v1/links/web: 400 api:1:2: 'dealy' is not a key of a link; expected one of: delay", e.getMessage());
    }

    @Test
    void anUnknownNameIs404WithWhatExists() {
        server.answer("POST /v1/nodes/nope/down", 404, "{\"error\":\"no node 'nope'; the nodes are: tap, web, db\"}");
        TapnetException e = assertThrows(TapnetException.class, () -> net.down("nope"));
        assertEquals(404, e.status());
        assertEquals("no node 'nope'; the nodes are: tap, web, db", e.serverMessage());
        assertEquals(List.of(), e.problems());
    }

    @Test
    void anAnswerThatIsNotJsonIsStillAClearError() {
        server.answer("POST /v1/reset", 503, "engine busy\n");
        TapnetException e = assertThrows(TapnetException.class, () -> net.reset());
        assertEquals(503, e.status());
        assertEquals("engine busy", e.serverMessage());
        server.answer("POST /v1/reset", 200, "<html>");
        assertTrue(assertThrows(TapnetException.class, () -> net.reset()).getMessage().contains("the answer is not JSON"));
    }

    @Test
    void aNameIsOnePathSegment() {
        net.down("a/b c");
        assertEquals("POST /v1/nodes/a%2Fb%20c/down", server.last().call());
    }

    @Test
    void noServerIsStatusZeroNamingTheSocket() throws Exception {
        server.close();
        TapnetException e = assertThrows(TapnetException.class, () -> net.counters());
        assertEquals(0, e.status());
        assertTrue(e.getMessage().contains("GET /v1/counters: no answer from " + server.socket()), e.getMessage());
    }

    @Test
    void aSocketThatDoesNotSpeakHttpIsSaidSo() throws Exception {
        Path socket = dir.resolve("lines.sock");
        try (ServerSocketChannel lines = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            lines.bind(UnixDomainSocketAddress.of(socket));
            Thread old = new Thread(() -> {
                try (SocketChannel c = lines.accept()) {
                    c.read(ByteBuffer.allocate(4096)); // the request, as the old line server read it
                    c.write(ByteBuffer.wrap("error: unknown command 'GET /v1/counters HTTP/1.1'\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    // the test's own end: nothing to add
                }
            });
            old.start();
            TapnetException e = assertThrows(TapnetException.class, () -> Tapnet.connect(socket).counters());
            assertTrue(e.getMessage().contains("does not answer in HTTP (a tapnet from before the control API?): error: unknown command"),
                    e.getMessage());
            old.join(2000);
        }
    }

    @Test
    void overTcpEveryRequestCarriesTheToken() throws Exception {
        try (StubControlServer tcp = StubControlServer.onLoopback()) {
            Network viaTcp = Tapnet.connect(URI.create("http://127.0.0.1:" + tcp.port()), "s3cret");
            viaTcp.reset();
            assertEquals("Bearer s3cret", tcp.last().headers().get("authorization"));
            assertEquals("POST /v1/reset", tcp.last().call());
        }
        assertTrue(server.requests().isEmpty());
    }

    @Test
    void theEnvironmentNamesTheSocketOrTheUrlAndItsTokenFile() throws Exception {
        Tapnet.connect(Map.of(Tapnet.CONTROL, server.socket().toString())).reset();
        assertEquals(null, server.last().headers().get("authorization"), "the Unix socket needs no token");
        try (StubControlServer tcp = StubControlServer.onLoopback()) {
            Path token = Files.writeString(dir.resolve("run.token"), "tok-123\n");
            Tapnet.connect(Map.of(Tapnet.CONTROL_URL, "http://127.0.0.1:" + tcp.port(), Tapnet.CONTROL_TOKEN_FILE, token.toString())).reset();
            assertEquals("Bearer tok-123", tcp.last().headers().get("authorization"));
        }
        assertTrue(Tapnet.insideRun(Map.of(Tapnet.CONTROL, "/run/tapnet/x.sock")));
        assertFalse(Tapnet.insideRun(Map.of(Tapnet.CONTROL, "")));
    }

    @Test
    void outsideARunTheMessageNamesTheCommandToUse() {
        TapnetException e = assertThrows(TapnetException.class, () -> Tapnet.connect(Map.of()));
        assertTrue(e.getMessage().contains("tapnet run FILE -- mvn test"), e.getMessage());
        assertThrows(TapnetException.class, () -> Tapnet.connect(Map.of(Tapnet.CONTROL_URL, "http://127.0.0.1:1")));
    }
}
