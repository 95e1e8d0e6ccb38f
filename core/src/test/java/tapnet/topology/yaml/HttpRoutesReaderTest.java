package tapnet.topology.yaml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tapnet.topology.HttpRoute;
import tapnet.topology.ServiceSpec;

/** An http service's {@code routes:}: what a file says, and its mistakes at file:line:column. */
class HttpRoutesReaderTest {
    private static String service(String entry) {
        return """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web:
                    address: 10.77.0.10
                    services:
                      - %s
                """.formatted(entry);
    }

    private static List<HttpRoute> routes(String fileName, String text) throws Exception {
        ServiceSpec spec = TopologyLoader.parse(fileName, text).hosts().get(0).services().get(0);
        return ((ServiceSpec.Http) spec).routes();
    }

    private static void assertErrors(String text, String... expected) {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.parse("shop.yaml", text));
        assertEquals(List.of(expected), e.errors().stream().map(TopologyError::toString).toList());
    }

    @Test
    void everySettingOfARouteIsRead() throws Exception {
        List<HttpRoute> routes = routes("shop.yaml", """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web:
                    address: 10.77.0.10
                    services:
                      - port: 80
                        http:
                          routes:
                            - { path: /health, body: "ok\\n" }
                            - method: POST
                              path: /api/*
                              status: 201
                              contentType: application/json
                              headers: { Location: /api/1, Cache-Control: no-store }
                              body: "{}"
                              delay: 200ms
                              faults: [ { status: 503, first: 2 }, { reset: 1KiB } ]
                            - { path: /big, size: 10MiB, bytesPerSecond: 1MiB, chunked: true, faults: [ { close: 100 } ] }
                """);
        assertEquals(HttpRoute.text(null, "/health", 200, "ok\n"), routes.get(0));
        HttpRoute api = routes.get(1);
        assertEquals("POST", api.method());
        assertEquals(true, api.prefix());
        assertEquals(201, api.status());
        assertEquals(List.of(new HttpRoute.Header("Location", "/api/1"), new HttpRoute.Header("Cache-Control", "no-store")),
                api.headers());
        assertEquals(200_000_000L, api.delayNanos());
        assertEquals(List.of(new HttpRoute.Fault(HttpRoute.Fault.Kind.STATUS, 503, 0, 2),
                new HttpRoute.Fault(HttpRoute.Fault.Kind.RESET, 0, 1024, 0)), api.faults());
        HttpRoute big = routes.get(2);
        assertEquals(HttpRoute.Body.generated(10L << 20), big.body());
        assertEquals(1L << 20, big.bytesPerSecond());
        assertEquals(true, big.chunked());
        assertEquals(List.of(new HttpRoute.Fault(HttpRoute.Fault.Kind.CLOSE, 0, 100, 0)), big.faults());
    }

    @Test
    void aFileBodyIsReadRelativeToTheTopologyFile(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("index.html"), "<h1>hi</h1>".getBytes(StandardCharsets.UTF_8));
        List<HttpRoute> routes = routes(dir.resolve("site.yaml").toString(),
                service("{ port: 80, http: { routes: [ { path: /, file: index.html, contentType: text/html } ] } }"));
        assertArrayEquals("<h1>hi</h1>".getBytes(StandardCharsets.UTF_8), routes.get(0).body().bytes());
    }

    @Test
    void aScriptMayExpectAndProbeARoutesCounters() throws Exception {
        String text = service("{ port: 80, http: { routes: [ { path: /a } ] } }") + """
                script:
                  duration: 10s
                  probes: { hits: { counter: http.web.80.route.1.requests } }
                  expect:
                    - { counter: http.web.80.route.1.status.200, at: end, value: ">= 1" }
                    - { counter: http.web.80.unmatched.requests, at: end, value: "== 0" }
                """;
        assertEquals(2, TopologyLoader.parse("shop.yaml", text).script().expectations().size());
        assertErrors(text.replace("status.200", "status.ok"), "shop.yaml:11:18: 'http.web.80.route.1.status.ok' is not a tapnet"
                + " counter; expected one of: " + String.join(", ", ScriptExpectations.COUNTERS.stream()
                .filter(c -> !c.startsWith("drop.")).toList()) + ", or drop.REASON, or an HTTP route's (http.HOST.PORT.route.N.requests)");
    }

    @Test
    void theSummaryCountsRoutes() throws Exception {
        String summary = TopologySummary.of(TopologyLoader.parse("shop.yaml",
                service("{ port: 80, http: { routes: [ { path: /a }, { path: /b } ] } }")));
        assertEquals(true, summary.contains("80 http 2 routes"), summary);
    }

    @Test
    void theSingleAnswerFormIsUnchanged() throws Exception {
        assertEquals(List.of(), routes("shop.yaml", service("{ port: 80, http: { status: 404 } }")));
    }

    @Test
    void aRouteWithoutAPathIsReported() {
        assertErrors(service("{ port: 80, http: { routes: [ { body: x } ] } }"),
                "shop.yaml:6:39: this route has no 'path'; expected a path like /health, a prefix like /api/*, a pattern like /users/*/orders or * for every path");
    }

    @Test
    void aStarInsideAPathStandsForOneSegment() throws Exception {
        assertEquals(1, routes("shop.yaml", service("{ port: 80, http: { routes: [ { path: /a/*/b } ] } }")).size());
    }

    @Test
    void aLowerCaseMethodIsReported() {
        assertErrors(service("{ port: 80, http: { routes: [ { method: get, path: / } ] } }"),
                "shop.yaml:6:49: 'get' is not a method; expected a method in capitals, like GET or POST (leave it out for any)");
    }

    @Test
    void twoBodiesAreReported() {
        assertErrors(service("{ port: 80, http: { routes: [ { path: /, body: x, size: 10 } ] } }"),
                "shop.yaml:6:59: 'size' is a second body for this route, which has 'body'; expected one of body, file or size");
    }

    @Test
    void aMissingFileIsReported() {
        assertErrors(service("{ port: 80, http: { routes: [ { path: /, file: no-such-file.html } ] } }"),
                "shop.yaml:6:56: file 'no-such-file.html' cannot be read (" + Path.of("no-such-file.html").toAbsolutePath()
                        + ": NoSuchFileException); expected a readable file, relative to the topology file");
    }

    @Test
    void aFaultWithTwoKindsIsReported() {
        assertErrors(service("{ port: 80, http: { routes: [ { path: /, faults: [ { status: 503, close: 10 } ] } ] } }"),
                "shop.yaml:6:60: this route fault has kinds status and close; expected one of status (answer it instead),"
                        + " close or reset (after that many body bytes)");
    }

    @Test
    void aStatusBesideRoutesIsReported() {
        assertErrors(service("{ port: 80, http: { status: 200, routes: [ { path: / } ] } }"),
                "shop.yaml:6:29: 'status' answers every request, but this http service has routes; expected it in each route instead");
    }

    @Test
    void anUnknownRouteKeyIsReported() {
        assertErrors(service("{ port: 80, http: { routes: [ { path: /, rate: 10 } ] } }"),
                "shop.yaml:6:50: 'rate' is not a key of an http route; expected one of: method, path, status, contentType,"
                        + " headers, body, file, size, delay, bytesPerSecond, chunked, faults");
    }
}
