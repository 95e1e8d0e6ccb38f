package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tapnet.report.ReportJson;
import tapnet.script.RunReport;
import tapnet.tap.TapTestEnvironment;
import tapnet.tap.TestNamespace;

/**
 * A live scripted run stopped by SIGTERM or Ctrl-C (SIGINT) a few seconds into a minute: its report says how
 * long it really ran and that it was interrupted, judges the windows it saw whole, and judges none it saw
 * only in part (those are "not judged", with why), in report.json, junit.xml, report.html and the summary.
 */
@Timeout(120)
class InterruptedRunIT {
    private static final String TOPOLOGY = """
            tap: { address: 10.77.0.1/24 }
            hosts:
              web: { address: 10.77.0.10, services: [ { port: 80, http: {} } ] }
            script:
              duration: 1m
              probes:
                web: { connect: 10.77.0.10:80, every: 200ms, timeout: 500ms }
              expect:
                - { name: "the first second", probe: web, during: [0s, 1s], success: "== 100%" }
                - { name: "a late window", probe: web, during: [20s, 1m], success: "== 100%" }
                - { name: "the whole run", probe: web, at: end, success: "== 100%" }
                - { name: "connections over the run", counter: tcp_connections_opened, at: end, value: ">= 0" }
            """;

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void anInterruptedRunReportsWhatItRanAndJudgesOnlyTheWindowsItSawWhole(String signal, @TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        Path file = dir.resolve("minute.yaml");
        Files.writeString(file, TOPOLOGY);
        Path report = dir.resolve("report");
        int code;
        String stdout;
        try (TestNamespace namespace = TestNamespace.create();
             TapnetProcess tapnet = TapnetProcess.start("run", file.toString(), "--netns", namespace.name(), "--report",
                     report.toString())) {
            tapnet.awaitLine("The script runs for 1m", 30);
            Thread.sleep(3000);
            code = tapnet.signalAndWait(signal);
            stdout = tapnet.stdout();
        }
        assertNotEquals(0, code, "an interrupted run does not pass: " + stdout);

        String json = Files.readString(report.resolve("report.json"));
        assertTrue(json.contains("\"interrupted\": true"), json.substring(0, 600));
        long duration = number(json, "durationNanos");
        assertTrue(duration > 2_000_000_000L && duration < 20_000_000_000L, "the time it ran, not the minute planned: " + duration);
        assertEquals(60_000_000_000L, number(json, "plannedDurationNanos"));
        assertTrue(json.contains("\"passed\": false"), "an interrupted run did not pass");

        RunReport result = ReportJson.read(report.resolve("report.json"));
        List<RunReport.Expectation> expectations = result.expectations();
        assertTrue(expectations.get(0).passed(), "the first second was seen whole: " + expectations.get(0));
        for (RunReport.Expectation e : expectations.subList(1, 4)) {
            assertFalse(e.passed(), "seen in part only: not passed: " + e);
        }
        assertTrue(json.contains("\"notJudged\": \"window [20s, 1m] not reached: the run was interrupted at "), json);
        assertTrue(json.contains("\"notJudged\": \"window [0s, 1m] not over: the run was interrupted at "), json);
        assertFalse(result.counters().isEmpty(), "the counters as they were when the run was interrupted");

        assertTrue(stdout.contains("PASS  the first second"), stdout);
        assertTrue(stdout.contains("NOT JUDGED  a late window: expected success == 100%; window [20s, 1m] not reached"), stdout);
        assertTrue(stdout.contains("NOT JUDGED  the whole run"), stdout);
        Matcher verdict = Pattern.compile("INTERRUPTED at ([0-9.]+)s of 1m: 1 of 4 expectations held, 0 failed, 3 not judged")
                .matcher(stdout);
        assertTrue(verdict.find(), stdout);

        Element suite = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.resolve("junit.xml").toFile())
                .getDocumentElement();
        assertEquals("4", suite.getAttribute("tests"));
        assertEquals("0", suite.getAttribute("failures"));
        assertEquals("3", suite.getAttribute("errors"), "not judged: an error of the run, which CI systems show red");
        NodeList errors = suite.getElementsByTagName("error");
        assertTrue(((Element) errors.item(0)).getAttribute("message").contains("the run was interrupted at"));
        assertTrue(Double.parseDouble(suite.getAttribute("time")) < 20, suite.getAttribute("time"));

        String html = Files.readString(report.resolve("report.html"));
        assertTrue(html.contains("<span class=\"verdict interrupted\">INTERRUPTED</span>"), html);
        assertEquals(3, html.split("<tr class=\"unjudged\">", -1).length - 1, "a row per expectation not judged");
    }

    private static long number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": (\\d+)").matcher(json);
        assertTrue(m.find(), key + " in " + json.substring(0, Math.min(json.length(), 600)));
        return Long.parseLong(m.group(1));
    }
}
