package tapnet.cli.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tapnet.build.EngineBuilder;
import tapnet.engine.Engine;
import tapnet.link.Impairments;
import tapnet.topology.Action;
import tapnet.topology.Topology;
import tapnet.topology.yaml.TopologyLoader;

/** Every resource of the control API against an engine in the test's thread: statuses, JSON shapes, text. */
class ApiRoutesTest {
    private Topology topology;
    private Engine engine;
    private RunChanges changes;
    private ApiRoutes routes;

    @BeforeEach
    void start() throws Exception {
        topology = TopologyLoader.parse("t.yaml", """
                tap: { address: 10.77.0.1/24 }
                routers:
                  r1: { address: 10.77.0.254, subnet: 10.78.1.1/24 }
                hosts:
                  web:
                    address: 10.77.0.10
                    services:
                      - { port: 80, http: { routes: [ { path: /health }, { path: /api/*, faults: [ { status: 503 } ] } ] } }
                      - { port: 7, echo: {}, faults: [ { refuse: {}, first: 2 } ] }
                  db: { address: 10.78.1.10 }
                links:
                  - { between: [r1, db], delay: 5ms }
                """);
        engine = EngineBuilder.build(topology, new tapnet.time.VirtualClock(), new tapnet.frame.DiscardingSink(65_536));
        changes = new RunChanges(topology);
        routes = new ApiRoutes(topology, "t.yaml", "tapnet0", null, this::onEngine, changes, () -> Map.of("control.requests", 3L));
    }

    /** The engine thread, in a test: the caller's. */
    private <T> CompletableFuture<T> onEngine(Function<Engine, T> query) {
        try {
            return CompletableFuture.completedFuture(query.apply(engine));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private ApiRoutes.Answer call(String method, String path, String body) {
        return routes.respond(method, path, Map.of(), body, "api", "application/json");
    }

    /** The JSON of a 200 answer. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> ok(String method, String path, String body) {
        ApiRoutes.Answer answer = call(method, path, body);
        assertEquals(200, answer.status(), answer.body());
        assertEquals("application/json", answer.contentType());
        return (Map<String, Object>) json(answer.body());
    }

    /** The JSON error of an answer with {@code status}. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> error(int status, String method, String path, String body) {
        ApiRoutes.Answer answer = call(method, path, body);
        assertEquals(status, answer.status(), answer.body());
        return (Map<String, Object>) json(answer.body());
    }

    private static Object json(String text) {
        return new Load(LoadSettings.builder().build()).loadFromString(text);
    }

    @Test
    void theIndexListsTheResources() {
        Map<String, Object> index = ok("GET", "/", "");
        assertEquals("tapnet", index.get("api"));
        assertEquals(1, index.get("version"));
        assertTrue(((List<?>) index.get("resources")).contains("GET|PUT|PATCH /v1/links/{node}"), index.toString());
    }

    @Test
    void theTopologySaysWhatRunsNow() {
        ok("POST", "/v1/hosts/web/services/80/stop", "");
        Map<String, Object> t = ok("GET", "/v1/topology", "");
        assertEquals("t", t.get("name"));
        assertEquals(Map.of("device", "tapnet0", "address", "10.77.0.1/24"), withoutNulls(t.get("tap")));
        List<?> hosts = (List<?>) t.get("hosts");
        assertEquals(Map.of("name", "web", "address", "10.77.0.10", "running", true, "services", List.of(
                Map.of("port", 80, "protocol", "tcp", "kind", "http", "running", false),
                Map.of("port", 7, "protocol", "tcp", "kind", "echo", "running", true))), hosts.get(0));
        assertEquals(List.of(Map.of("name", "r1", "address", "10.77.0.254", "subnet", "10.78.1.0/24")), t.get("routers"));
        assertEquals(List.of(), t.get("ports"));
        assertTrue(t.containsKey("dns") && t.get("dns") == null, t.toString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutNulls(Object map) {
        Map<String, Object> out = new java.util.LinkedHashMap<>((Map<String, Object>) map);
        out.values().removeIf(java.util.Objects::isNull);
        return out;
    }

    @Test
    void linksAreEveryLinkedNodeWithSettingsAndCounters() {
        List<?> links = (List<?>) json(call("GET", "/v1/links", "").body());
        assertEquals(3, links.size());
        Map<?, ?> db = (Map<?, ?>) links.get(2);
        assertEquals("db", db.get("node"));
        assertEquals("r1", db.get("parent"));
        assertEquals(Map.of("delay", "5ms", "down", false), db.get("toNode"));
        Map<?, ?> counters = (Map<?, ?>) ((Map<?, ?>) db.get("counters")).get("toNode");
        assertEquals(List.of("delivered", "lost", "queueFull", "down", "tooBig", "duplicated", "corrupted", "reordered"),
                List.copyOf(counters.keySet()));
        assertEquals(Map.of("toNode", Map.of("down", false), "fromNode", Map.of("down", false)),
                Map.of("toNode", ok("GET", "/v1/links/web", "").get("toNode"), "fromNode", ok("GET", "/v1/links/web", "").get("fromNode")));
    }

    @Test
    void putMakesALinkExactlyTheBodyAndPatchMergesOntoIt() {
        assertEquals(Map.of("delay", "20ms", "loss", "1%", "down", false),
                ok("PUT", "/v1/links/web", "{\"delay\": \"20ms\", \"loss\": \"1%\"}").get("toNode"));
        assertEquals(Impairments.NONE.withDelay(Duration.ofMillis(20)).withLoss(0.01), engine.link("web", false).impairments());
        Map<String, Object> patched = ok("PATCH", "/v1/links/web", "{\"to\": {\"rate\": \"10Mbit\"}}");
        assertEquals(Map.of("delay", "20ms", "loss", "1%", "rate", "10mbit", "down", false), patched.get("toNode"));
        assertEquals(Map.of("delay", "20ms", "loss", "1%", "down", false), patched.get("fromNode"));
        assertEquals(Map.of("delay", "50ms", "loss", "1%", "down", false),
                ok("PATCH", "/v1/links/web", "{\"delay\": \"50ms\"}").get("fromNode"));
        assertEquals(Map.of("mtu", 1400, "down", false), ok("PUT", "/v1/links/web", "{\"mtu\": 1400}").get("toNode"));
        assertEquals(Map.of("down", false), ok("PUT", "/v1/links/web", "{}").get("fromNode"));
    }

    @Test
    void aBodyMistakeIsAnsweredAtItsLineAndColumn() {
        Map<String, Object> e = error(400, "PUT", "/v1/links/web", "{\"delay\": \"20ms\",\n \"dealy\": \"5ms\"}");
        assertTrue(((String) e.get("error")).startsWith("api:2:2: 'dealy' is not a key of a link; expected one of: down,"),
                e.toString());
        Map<?, ?> first = (Map<?, ?>) ((List<?>) e.get("errors")).get(0);
        assertEquals(2, first.get("line"));
        assertEquals(2, first.get("column"));
        assertTrue(((String) error(400, "PUT", "/v1/links/web", "{\"delay\": \"fast\"}").get("error"))
                .startsWith("api:1:11: "));
        assertTrue(((String) error(400, "PUT", "/v1/links/web", "{\"delay\": ").get("error")).startsWith("api:"));
        assertTrue(((String) error(400, "PUT", "/v1/links/web", "").get("error")).contains("no body given"));
        assertTrue(((String) error(400, "PUT", "/v1/links/web", "{\"to\": {}, \"delay\": \"1ms\"}").get("error"))
                .contains("not both"));
    }

    @Test
    void unknownNamesAnd404sListWhatExists() {
        assertEquals("there is no host, router or port named 'nope'; expected one of: r1, web, db",
                error(404, "GET", "/v1/links/nope", "").get("error"));
        assertEquals("there is no host named 'r1'; expected one of: web, db",
                error(404, "POST", "/v1/hosts/r1/stop", "").get("error"));
        assertEquals("host 'web' has no service on port 81; expected one of: web:80, web:7",
                error(404, "POST", "/v1/hosts/web/services/81/stop", "").get("error"));
        assertTrue(((String) error(404, "GET", "/v1/nowhere", "").get("error")).contains("GET /v1/topology"));
        assertTrue(((String) error(404, "GET", "/links", "").get("error")).startsWith("there is no resource at /links"));
        ApiRoutes.Answer notAllowed = call("DELETE", "/v1/links/web", "");
        assertEquals(405, notAllowed.status());
        assertEquals("GET, PUT, PATCH", notAllowed.allow());
    }

    @Test
    void nodesGoDownAndUpKeepingTheirSettings() {
        ok("PUT", "/v1/links/web", "{\"delay\": \"50ms\"}");
        assertEquals(Map.of("down", true, "delay", "50ms"), ok("POST", "/v1/nodes/web/down", "").get("toNode"));
        assertTrue(engine.link("web", false).impairments().down());
        assertEquals(Map.of("delay", "50ms", "down", false), ok("POST", "/v1/nodes/web/up", "").get("fromNode"));
    }

    @Test
    void partitionsArePutReadAndHealed() {
        assertEquals(Map.of("groups", List.of()), ok("GET", "/v1/partition", ""));
        assertEquals(Map.of("groups", List.of(List.of("tap", "web"), List.of("db"))),
                ok("PUT", "/v1/partition", "{\"groups\": [[\"tap\", \"web\"], [\"db\"]]}"));
        assertEquals(Map.of("groups", List.of(List.of("tap", "web"), List.of("db"))), ok("GET", "/v1/partition", ""));
        assertEquals(Map.of("groups", List.of()), ok("DELETE", "/v1/partition", ""));
        assertTrue(((String) error(400, "PUT", "/v1/partition", "{\"groups\": [[\"tap\", \"nope\"]]}").get("error"))
                .startsWith("api:1:21: "));
    }

    @Test
    void hostsAndServicesStopAndStart() {
        assertEquals(Map.of("host", "web", "running", false), ok("POST", "/v1/hosts/web/stop", ""));
        assertEquals(Map.of("host", "web", "running", true), ok("POST", "/v1/hosts/web/start", ""));
        assertEquals(Map.of("host", "web", "port", 80, "running", false), ok("POST", "/v1/hosts/web/services/80/stop", ""));
        assertEquals(Map.of("host", "web", "port", 80, "running", true), ok("POST", "/v1/hosts/web/services/80/start", ""));
    }

    @Test
    void serviceFaultsAreReadReplacedAndCleared() {
        assertEquals(Map.of("faults", List.of(Map.of("refuse", Map.of(), "first", 2))),
                ok("GET", "/v1/hosts/web/services/7/faults", ""));
        assertEquals(Map.of("faults", List.of(Map.of("resetAfter", "1000B"))),
                ok("PUT", "/v1/hosts/web/services/7/faults", "{\"faults\": [{\"resetAfter\": \"1000B\"}]}"));
        assertEquals(Map.of("faults", List.of()), ok("DELETE", "/v1/hosts/web/services/7/faults", ""));
        assertTrue(((String) error(400, "PUT", "/v1/hosts/web/services/7/faults", "{\"faults\": [{\"refuze\": {}}]}")
                .get("error")).startsWith("api:1:14: "));
    }

    @Test
    void routeFaultsAreByNumberOnHttpServicesOnly() {
        assertEquals(Map.of("faults", List.of(Map.of("status", 503))), ok("GET", "/v1/hosts/web/services/80/routes/2/faults", ""));
        assertEquals(Map.of("faults", List.of(Map.of("status", 500, "first", 2))),
                ok("PUT", "/v1/hosts/web/services/80/routes/1/faults", "{\"faults\": [{\"status\": 500, \"first\": 2}]}"));
        assertEquals(Map.of("faults", List.of()), ok("DELETE", "/v1/hosts/web/services/80/routes/2/faults", ""));
        assertEquals("'3' is not a route of web:80; expected a number from 1 to 2: 1 /health, 2 /api/*",
                error(404, "GET", "/v1/hosts/web/services/80/routes/3/faults", "").get("error"));
        assertEquals("web:7 is not an http service (echo); route faults need an http service with routes",
                error(409, "GET", "/v1/hosts/web/services/7/routes/1/faults", "").get("error"));
    }

    @Test
    void dnsFaultsNeedADnsServer() {
        assertEquals("this topology has no DNS server, so no DNS faults to change; expected a topology with"
                + " dns: { address: ..., domain: ... }", error(409, "GET", "/v1/dns/faults", "").get("error"));
    }

    @Test
    void dnsFaultsAreReadReplacedClearedAndReset() throws Exception {
        Topology withDns = TopologyLoader.parse("t.yaml", """
                tap: { address: 10.77.0.1/24 }
                hosts: { web: { address: 10.77.0.10 } }
                dns: { address: 10.77.0.53, domain: shop.test, faults: [ { name: web, timeout: {} } ] }
                """);
        engine = EngineBuilder.build(withDns, new tapnet.time.VirtualClock(), new tapnet.frame.DiscardingSink(65_536));
        routes = new ApiRoutes(withDns, "t.yaml", "tapnet0", null, this::onEngine, new RunChanges(withDns), Map::of);
        assertEquals(Map.of("faults", List.of(Map.of("name", "web", "timeout", Map.of()))), ok("GET", "/v1/dns/faults", ""));
        assertEquals(Map.of("faults", List.of(Map.of("name", "db", "nxdomain", Map.of(), "first", 2))),
                ok("PUT", "/v1/dns/faults", "{\"faults\": [{\"name\": \"db\", \"nxdomain\": {}, \"first\": 2}]}"));
        assertEquals(Map.of("faults", List.of()), ok("DELETE", "/v1/dns/faults", ""));
        assertEquals(Map.of("reset", true, "events", 1), ok("POST", "/v1/reset", ""));
        assertEquals(Map.of("faults", List.of(Map.of("name", "web", "timeout", Map.of()))), ok("GET", "/v1/dns/faults", ""));
        assertEquals("dnsFaults [{name: web, servfail: {}, first: 2}, {name: \"*\", ttl: 0}]\n", routes.respond("PUT",
                "/v1/dns/faults", Map.of(), "[ {name: web, servfail: {}, first: 2}, {name: \"*\", ttl: 0} ]", "ctl", "text/plain").body());
        assertEquals("dnsFaults (none)\n", routes.respond("PUT", "/v1/dns/faults", Map.of(), "[]", "ctl", "text/plain").body());
        ApiRoutes.Answer typo = routes.respond("PUT", "/v1/dns/faults", Map.of(), "[ {name: web, servfial: {}} ]", "ctl", "text/plain");
        assertEquals(400, typo.status());
        assertTrue(typo.body().startsWith("ctl:1:15: 'servfial' is not a key of a DNS fault"), typo.body());
    }

    @Test
    void countersAreEveryCounterZerosIncludedAndTheRunsOwn() {
        Map<?, ?> counters = (Map<?, ?>) ok("GET", "/v1/counters", "").get("counters");
        assertEquals(0, counters.get("frames_in"));
        assertEquals(3, counters.get("control.requests"));
        ApiRoutes.Answer text = routes.respond("GET", "/v1/counters", Map.of(), "", "ctl", "text/plain");
        assertEquals("control.requests 3\n", text.body(), "ctl's counters: those not zero");
    }

    @Test
    void eventsListEveryChangeWithItsSourceAndResetUndoesThem() {
        ok("PATCH", "/v1/links/db", "{\"loss\": \"1%\"}");
        routes.respond("POST", "/v1/hosts/web/stop", Map.of(), "", "ctl", "text/plain");
        changes.applied("script", new Action.Partition(List.of(List.of("tap"), List.of("web"))));
        ok("PUT", "/v1/hosts/web/services/7/faults", "{\"faults\": []}");
        Map<String, Object> events = ok("GET", "/v1/events", "");
        List<?> list = (List<?>) events.get("events");
        assertEquals(List.of("api", "ctl", "script", "api"), list.stream().map(e -> ((Map<?, ?>) e).get("source")).toList());
        Map<?, ?> first = (Map<?, ?>) list.get(0);
        assertEquals(1, first.get("seq"));
        assertEquals("link db: {delay: 5ms, loss: 1%}", first.get("action"));
        assertTrue(first.get("time") instanceof Number && first.get("at").toString().endsWith("Z"), first.toString()); // 0 when it came at once
        assertEquals(4, events.get("next"));
        assertEquals(0, events.get("dropped"));

        assertEquals(Map.of("reset", true, "events", 4), ok("POST", "/v1/reset", ""));
        assertEquals(Impairments.NONE.withDelay(Duration.ofMillis(5)), engine.link("db", true).impairments());
        assertEquals(Map.of("groups", List.of()), ok("GET", "/v1/partition", ""));
        assertEquals(Map.of("faults", List.of(Map.of("refuse", Map.of(), "first", 2))),
                ok("GET", "/v1/hosts/web/services/7/faults", ""));
        List<?> after = (List<?>) routes.respond("GET", "/v1/events", Map.of("since", "4"), "", "api", null).body()
                .lines().filter(l -> l.contains("\"source\": \"reset\"")).toList();
        assertEquals(4, after.size(), after.toString());
        assertEquals(Map.of("reset", true, "events", 0), ok("POST", "/v1/reset", ""), "nothing left to undo");
        assertEquals(400, routes.respond("GET", "/v1/events", Map.of("since", "x"), "", "api", null).status());
    }

    @Test
    void theEventLogKeepsTheLatestAndCountsTheDropped() {
        EventLog log = new EventLog(3);
        for (int i = 0; i < 5; i++) {
            log.record("api", new Action.Heal());
        }
        Map<String, Object> all = log.since(0);
        assertEquals(List.of(3L, 4L, 5L), ((List<?>) all.get("events")).stream().map(e -> ((Map<?, ?>) e).get("seq")).toList());
        assertEquals(2L, all.get("dropped"));
        assertEquals(5L, all.get("next"));
        assertEquals(List.of(), log.since(5).get("events"));
    }

    @Test
    void capturesStartStopAndAreBounded(@TempDir Path dir) throws Exception {
        Map<String, Object> started = ok("POST", "/v1/captures", "{\"path\": \"" + dir.resolve("a.pcapng") + "\", \"links\": [\"web\"]}");
        assertEquals(1, started.get("id"));
        Map<String, Object> stopped = ok("DELETE", "/v1/captures/1", "");
        assertEquals(Map.of("id", 1, "path", dir.resolve("a.pcapng").toString(), "frames", 0, "bytes", 0), stopped);
        assertTrue(Files.size(dir.resolve("a.pcapng")) > 0, "a pcapng with its header");
        assertTrue(((String) error(404, "DELETE", "/v1/captures/1", "").get("error")).startsWith("there is no capture 1"));
        for (int i = 0; i < ApiCaptures.MAX; i++) {
            ok("POST", "/v1/captures", "{\"path\": \"" + dir.resolve(i + ".pcapng") + "\"}");
        }
        assertTrue(((String) error(409, "POST", "/v1/captures", "{\"path\": \"" + dir.resolve("x.pcapng") + "\"}")
                .get("error")).startsWith("8 captures are running"));
        assertTrue(((String) error(400, "POST", "/v1/captures", "{\"path\": \"x.pcapng\"}").get("error"))
                .startsWith("api:1:10: 'x.pcapng' is not an absolute path"));
        routes.stopCaptures();
        assertFalse(error(404, "DELETE", "/v1/captures/2", "").isEmpty(), "stopped at the run's end");
    }

    @Test
    void anEngineThatDoesNotAnswerIn5sIsA503() {
        ApiRoutes stuck = new ApiRoutes(topology, "t.yaml", "tapnet0", null, new tapnet.engine.EngineAccess() {
            @Override
            public <T> CompletableFuture<T> call(Function<Engine, T> query) {
                return new CompletableFuture<>(); // never
            }
        }, changes, Map::of);
        ApiRoutes.Answer answer = stuck.respond("GET", "/v1/links", Map.of(), "", "api", null);
        assertEquals(503, answer.status());
        assertTrue(answer.body().contains("the engine did not answer within 5 s"), answer.body());
    }

    @Test
    void metricsAreThePrometheusExpositionOrOpenMetricsWhenAskedFor() {
        ApiRoutes.Answer text = routes.respond("GET", "/v1/metrics", Map.of(), "", "api", "*/*");
        assertEquals(200, text.status(), text.body());
        assertEquals(tapnet.cli.metrics.MetricsExposition.contentType(false), text.contentType());
        assertTrue(text.body().contains("# TYPE tapnet_"), text.body());
        ApiRoutes.Answer open = routes.respond("GET", "/metrics", Map.of(), "", "api", "application/openmetrics-text");
        assertEquals(tapnet.cli.metrics.MetricsExposition.contentType(true), open.contentType());
        assertTrue(open.body().endsWith("# EOF\n"), open.body());
    }

    @Test
    void ctlGetsItsOwnWordsAndNamesItselfInErrors() {
        ApiRoutes.Answer link = routes.respond("POST", "/v1/links", Map.of(), "{between: [tap, web], delay: 50ms}", "ctl", "text/plain");
        assertEquals("- {between: [tap, web], delay: 50ms}\n", link.body());
        assertEquals("text/plain; charset=utf-8", link.contentType());
        ApiRoutes.Answer bad = routes.respond("POST", "/v1/links", Map.of(), "{between: [tap, web], dealy: 50ms}", "ctl", "text/plain");
        assertEquals(400, bad.status());
        assertTrue(bad.body().startsWith("ctl:1:23: 'dealy' is not a key of a link"), bad.body());
        assertEquals("partitioned: tap | web, db\n", routes.respond("PUT", "/v1/partition", Map.of(), "[[tap], [web, db]]", "ctl",
                "text/plain").body());
        assertEquals("healed: every node reaches every other\n",
                routes.respond("DELETE", "/v1/partition", Map.of(), "", "ctl", "text/plain").body());
        assertEquals("routeFaults web:80 route 2: [{status: 500}]\n", routes.respond("POST", "/v1/routes/faults", Map.of(),
                "{service: web:80, route: 2, faults: [{status: 500}]}", "ctl", "text/plain").body());
    }
}
