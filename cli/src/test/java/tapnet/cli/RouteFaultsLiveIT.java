package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tapnet.report.ReportJson;
import tapnet.script.RunReport;
import tapnet.tap.ExternalCommand;
import tapnet.tap.TapTestEnvironment;
import tapnet.tap.TestNamespace;

/** An HTTP route's faults changed while running, by {@code tapnet ctl routeFaults} and by a script's event, as curl sees them. */
@Timeout(120)
class RouteFaultsLiveIT {
    private static final String NETWORK = """
            tap: { address: 10.77.0.1/24 }
            hosts:
              web:
                address: 10.77.0.10
                services:
                  - port: 80
                    http:
                      routes:
                        - { method: GET, path: /health, body: "ok\\n" }
                        - { path: /api/*, body: "api\\n" }
            """;

    private static String status(TestNamespace namespace, String path) {
        ExternalCommand curl = namespace.exec(10, "curl", "-s", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}",
                "http://10.77.0.10" + path);
        assertEquals(0, curl.exitCode(), curl.describe());
        return curl.output().trim();
    }

    @Test
    void ctlRouteFaultsMakesCurlSee503AndClearingThemRestores200(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("curl");
        Path file = dir.resolve("routes.yaml");
        Files.writeString(file, NETWORK);
        String socket = dir.resolve("control.sock").toString();
        try (TestNamespace namespace = TestNamespace.create();
             TapnetProcess run = TapnetProcess.start("run", "--netns", namespace.name(), "--control", socket, file.toString())) {
            run.awaitLine("Stop with Ctrl-C", 30);
            assertEquals("200", status(namespace, "/health"));

            TapnetProcess set = TapnetProcess.run("ctl", "--socket", socket, "routeFaults",
                    "{service: web:80, route: 1, faults: [{status: 503}]}");
            assertEquals(0, set.exitCode(), set.output());
            assertEquals("routeFaults web:80 route 1: [{status: 503}]", set.stdout().trim());
            assertEquals(List.of("503", "503"), List.of(status(namespace, "/health"), status(namespace, "/health")));
            assertEquals("200", status(namespace, "/api/x"), "the other route is untouched");

            TapnetProcess clear = TapnetProcess.run("ctl", "--socket", socket, "routeFaults",
                    "{service: web:80, route: 1, faults: []}");
            assertEquals(0, clear.exitCode(), clear.output());
            assertEquals("200", status(namespace, "/health"));

            TapnetProcess wrong = TapnetProcess.run("ctl", "--socket", socket, "routeFaults",
                    "{service: web:80, route: 3, faults: []}");
            assertEquals(1, wrong.exitCode(), wrong.output());
            assertTrue(wrong.output().contains("ctl:1:26: route 3 is out of range; expected the number of one of the 2 routes"
                    + " of web:80, from 1 in their order: 1 GET /health, 2 /api/*"), wrong.output());

            TapnetProcess counters = TapnetProcess.run("ctl", "--socket", socket, "counters");
            assertTrue(counters.stdout().contains("http.web.80.route.1.status.503 2\n"), counters.output());
            assertTrue(counters.stdout().contains("http.web.80.route.1.status.200 2\n"), counters.output());
        }
    }

    @Test
    void aScriptedRouteFaultsEventFailsTheProbeFromItsTimeAndTheReportShowsTheRoute(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        Path file = dir.resolve("scripted.yaml");
        Files.writeString(file, NETWORK + """
                script:
                  duration: 3s
                  probes:
                    health: { http: "http://10.77.0.10/health", every: 250ms, timeout: 700ms }
                  events:
                    - { at: 1s, routeFaults: { service: web:80, route: 1, faults: [ { status: 503 } ] } }
                  expect:
                    - { name: "healthy before", probe: health, during: [0s, 900ms], success: "== 100%" }
                    - { name: "failing after", probe: health, during: [1100ms, 3s], success: "== 0%" }
                """);
        Path report = dir.resolve("report");
        try (TestNamespace namespace = TestNamespace.create();
             TapnetProcess run = TapnetProcess.start("run", file.toString(), "--netns", namespace.name(), "--report",
                     report.toString())) {
            TapnetProcess.awaitExit(run, 60);
            assertEquals(0, run.exitCode(), run.output());
            assertTrue(run.stdout().contains("passed: 2 of 2 expectations held"), run.output());
        }
        RunReport result = ReportJson.read(report.resolve("report.json"));
        for (RunReport.Sample s : result.probes().get(0).samples()) {
            assertEquals(s.atNanos() < 1_000_000_000L, s.ok(), "ok before 1s, failing from it: " + s);
        }
        assertEquals(List.of(new RunReport.HttpRouteName("web", 80, 1, "GET /health"),
                new RunReport.HttpRouteName("web", 80, 2, "/api/*")), result.httpRoutes());
        Map<String, Long> counters = result.counters();
        long requests = counters.get("http.web.80.route.1.requests");
        assertEquals(requests, counters.get("http.web.80.route.1.status.200") + counters.get("http.web.80.route.1.status.503"));
        assertTrue(counters.get("http.web.80.route.1.status.503") >= 6, counters.toString());
        String json = Files.readString(report.resolve("report.json"));
        assertTrue(json.contains("\"name\": \"GET /health\""), json);
        String html = Files.readString(report.resolve("report.html"));
        assertTrue(html.contains("<h3>HTTP routes</h3>"), html);
        assertTrue(html.contains("<td>GET /health</td>"), html);
        assertFalse(html.contains("<td>http.web.80.route.1.requests</td>"), "route counters are grouped, not listed flat");
    }
}
