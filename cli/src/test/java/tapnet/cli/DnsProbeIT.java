package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tapnet.report.ReportJson;
import tapnet.script.RunReport;
import tapnet.tap.TapTestEnvironment;
import tapnet.tap.TestNamespace;

/**
 * dns probes from the TAP's kernel, a UDP socket in the run's namespace asking the topology's DNS server: a
 * name it has is ok and timed, one it has not fails as NXDOMAIN, an answer too big for 512 bytes is timed and
 * noted as truncated; a virtual host's probe asks with tapnet's own UDP; the expectations on them are judged,
 * and one that cannot hold fails the run.
 */
@Timeout(60)
class DnsProbeIT {
    private static final String TOPOLOGY = """
            tap: { address: 10.77.0.1/24 }
            hosts:
              db: { address: 10.77.0.20 }
            dns:
              address: 10.77.0.53
              domain: shop.test
              records:
                - { name: big, type: TXT, value: "BIG" }
            script:
              duration: 3s
              probes:
                known: { dns: db, every: 250ms, timeout: 1s }
                absolute: { dns: db.shop.test., type: AAAA, every: 500ms }
                missing: { dns: nothere, every: 250ms, timeout: 1s }
                big: { dns: big, type: TXT, every: 1s }
                hosted: { dns: db, from: db, every: 500ms }
              expect:
                - { name: "db resolves", probe: known, at: end, success: "== 100%" }
                - { name: "db resolves fast", probe: known, at: end, p99: "< 500ms" }
                - { name: "nothere never resolves", probe: missing, at: end, success: "== 0%" }
                - { name: "big is answered, truncated", probe: big, at: end, success: "== 100%" }
                - { name: "a virtual host resolves db too", probe: hosted, at: end, success: "== 100%" }
                - { name: "impossible: nothere resolves", probe: missing, at: end, success: ">= 50%" }
            """.replace("BIG", "x".repeat(600)); // more than a plain query's 512-byte answer: TC

    @Test
    void knownNamesResolveUnknownOnesFailAsNxdomainAndAFailedExpectationFailsTheRun(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        Path file = dir.resolve("dns.yaml");
        Files.writeString(file, TOPOLOGY);
        Path report = dir.resolve("report");
        try (TestNamespace namespace = TestNamespace.create()) {
            TapnetProcess run = TapnetProcess.run("run", file.toString(), "--netns", namespace.name(), "--report", report.toString());
            assertEquals(1, run.exitCode(), run.output());
            assertTrue(run.stdout().contains("FAIL  impossible: nothere resolves"), run.output());
            assertTrue(run.stdout().contains("FAILED: 5 of 6 expectations held"), run.output());
        }
        RunReport result = ReportJson.read(report.resolve("report.json"));
        RunReport.Probe known = result.probes().get(0);
        assertEquals("dns", known.kind());
        assertEquals("db.shop.test A", known.target());
        assertEquals("ms", known.unit());
        assertTrue(known.samples().size() >= 10, "every 250 ms for 3 s: " + known.samples());
        for (RunReport.Sample s : known.samples()) {
            assertTrue(s.ok() && s.value() > 0 && "ok".equals(s.outcome()), s.toString());
        }
        List<RunReport.Sample> absolute = result.probes().get(1).samples();
        assertEquals("db.shop.test AAAA", result.probes().get(1).target());
        assertTrue(absolute.stream().allMatch(s -> s.ok() && "no data".equals(s.outcome())), "a name without AAAA: " + absolute);
        List<RunReport.Sample> missing = result.probes().get(2).samples();
        assertFalse(missing.isEmpty());
        for (RunReport.Sample s : missing) {
            assertTrue(!s.ok() && "NXDOMAIN".equals(s.outcome()), s.toString());
        }
        List<RunReport.Sample> big = result.probes().get(3).samples();
        assertTrue(big.stream().allMatch(s -> s.ok() && s.value() > 0 && "truncated".equals(s.outcome())), big.toString());
        RunReport.Probe hosted = result.probes().get(4);
        assertEquals("db", hosted.from());
        assertTrue(hosted.samples().size() >= 5 && hosted.samples().stream().allMatch(s -> s.ok() && s.value() >= 0),
                hosted.samples().toString());
        String html = Files.readString(report.resolve("report.html"));
        assertTrue(html.contains("NXDOMAIN"), "the failed samples' outcome is in the HTML report");
    }
}
