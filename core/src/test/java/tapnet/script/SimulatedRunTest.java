package tapnet.script;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tapnet.report.ReportJson;
import tapnet.topology.Topology;
import tapnet.topology.yaml.TopologyLoader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scripted runs on the virtual clock: what the probes see, judged; the same seed, the same bytes. */
class SimulatedRunTest {
    private static Topology example(String name) throws Exception {
        return TopologyLoader.load(Path.of("..", "topologies", name + ".yaml"));
    }

    @Test
    void aFlappingDatabaseLinkShowsInTheSamplesAndEveryExpectationHolds(@TempDir Path dir) throws Exception {
        RunReport report = SimulatedRun.run(example("flapping-db"), "flapping-db.yaml", "test", dir);
        RunReport.Probe query = report.probes().get(0);
        assertEquals(1200, query.samples().size(), "every 500 ms for 10 minutes");
        assertTrue(report.passed(), report.expectations().toString());
        for (RunReport.Sample s : query.samples()) {
            long phase = (s.atNanos() - 20_000_000_000L) % 30_000_000_000L;
            boolean down = s.atNanos() >= 20_000_000_000L && phase < 2_000_000_000L;
            if (down) {
                assertFalse(s.ok(), "down at " + s.atNanos() / 1e9 + " s: " + s);
            }
        }
    }

    /** Every bundled example with a script runs simulated, and every expectation in it holds. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"flapping-db", "partition-heal", "slow-loris", "lossy-long-distance"})
    void everyScriptedExampleHoldsItsExpectations(String name, @TempDir Path dir) throws Exception {
        RunReport report = SimulatedRun.run(example(name), name + ".yaml", "test", dir);
        assertTrue(report.passed(), name + ": " + report.expectations());
        assertFalse(report.expectations().isEmpty());
    }

    @Test
    void theSameSeedGivesTheSameReportAndCaptureByteForByteAndAnotherSeedOthers(@TempDir Path dir) throws Exception {
        Topology topology = example("flapping-db");
        byte[][] first = runInto(topology, dir.resolve("a"));
        byte[][] second = runInto(topology, dir.resolve("b"));
        assertArrayEquals(first[0], second[0], "report.json");
        assertArrayEquals(first[1], second[1], "the capture");
        byte[][] other = runInto(topology.withSeed(8), dir.resolve("c"));
        assertFalse(java.util.Arrays.equals(first[0], other[0]), "another seed, another report (sequence numbers, timings)");
        assertFalse(java.util.Arrays.equals(first[1], other[1]), "another seed, another capture");
    }

    /** report.json and the first capture file of a simulated run into {@code dir}. */
    private static byte[][] runInto(Topology topology, Path dir) throws Exception {
        Files.createDirectories(dir);
        RunReport report = SimulatedRun.run(topology, "flapping-db.yaml", "test", dir);
        ReportJson.write(dir.resolve("report.json"), report);
        List<Path> captures;
        try (var files = Files.list(dir)) {
            captures = files.filter(f -> f.getFileName().toString().endsWith(".pcapng")).sorted().toList();
        }
        assertFalse(captures.isEmpty(), "the script asks for a capture");
        return new byte[][] {Files.readAllBytes(dir.resolve("report.json")), Files.readAllBytes(captures.get(0))};
    }

    @Test
    void aProbeFromARealMachineCannotBeSimulatedAndSaysWhy() throws Exception {
        Topology topology = TopologyLoader.parse("t.yaml", """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web: { address: 10.77.0.10, services: [ { port: 80, http: {} } ] }
                script:
                  duration: 10s
                  probes:
                    page: { http: "http://10.77.0.10/" }
                """);
        String problem = SimulatedRun.problem(topology);
        assertTrue(problem.contains("probe page is from tap, a real machine"), problem);
    }

    @Test
    void stoppedHostsAreSilentAndStoppedServicesRefuseThenBothComeBack(@TempDir Path dir) throws Exception {
        Topology topology = TopologyLoader.parse("t.yaml", """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  client: { address: 10.77.0.10 }
                  web: { address: 10.77.0.20, services: [ { port: 80, http: {} } ] }
                script:
                  duration: 10s
                  probes:
                    web: { connect: 10.77.0.20:80, from: client, every: 250ms, timeout: 500ms }
                  events:
                    - { at: 2s, stop: web }
                    - { at: 4s, start: web }
                    - { at: 6s, stopService: web:80 }
                    - { at: 8s, startService: web:80 }
                """);
        RunReport report = SimulatedRun.run(topology, "t.yaml", "test", null);
        for (RunReport.Sample sample : report.probes().get(0).samples()) {
            double t = sample.atNanos() / 1e9;
            String expected = t >= 2 && t < 4 ? "timeout" : t >= 6 && t < 8 ? "refused" : "ok";
            assertEquals(expected, sample.outcome(), "at " + t + " s");
        }
        assertEquals(4, report.events().size());
        assertTrue(report.events().stream().allMatch(RunReport.Event::ok), report.events().toString());
    }
}
