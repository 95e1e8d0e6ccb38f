package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: help, version, usage errors, and checking topology files. */
class CommandLineIT {
    @Test
    void helpListsTheCommandsAndExitsZero() throws Exception {
        TapnetProcess p = TapnetProcess.run("--help");
        assertEquals(0, p.exitCode());
        assertTrue(p.stdout().contains("run"), p.output());
        assertTrue(p.stdout().contains("check"), p.output());
    }

    @Test
    void versionIsPrinted() throws Exception {
        TapnetProcess p = TapnetProcess.run("--version");
        assertEquals(0, p.exitCode());
        assertTrue(p.stdout().startsWith("tapnet 0."), p.output());
    }

    @Test
    void unknownOptionGivesUsageAndExitCodeTwo() throws Exception {
        TapnetProcess p = TapnetProcess.run("run", "--bogus");
        assertEquals(2, p.exitCode(), p.output());
        assertTrue(p.stderr().contains("Unknown option: '--bogus'"), p.output());
        assertTrue(p.stderr().contains("Usage: tapnet run"), p.output());
    }

    @Test
    void noCommandGivesUsageAndExitCodeTwo() throws Exception {
        TapnetProcess p = TapnetProcess.run();
        assertEquals(2, p.exitCode(), p.output());
        assertTrue(p.stderr().contains("Usage: tapnet"), p.output());
    }

    @Test
    void checkAcceptsEveryBundledTopology() throws Exception {
        try (var files = Files.list(TapnetProcess.topologies())) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".yaml"))::iterator) {
                TapnetProcess p = TapnetProcess.run("check", file.toString());
                assertEquals(0, p.exitCode(), p.output());
                assertTrue(p.stdout().contains("valid"), p.output());
            }
        }
    }

    @Test
    void checkReportsFileLineAndColumnOfAMistakeAndExitsOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.yaml");
        Files.writeString(file, """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web:
                    adress: 10.77.0.10
                """);
        TapnetProcess p = TapnetProcess.run("check", file.toString());
        assertEquals(1, p.exitCode(), p.output());
        assertTrue(p.stderr().contains(file + ":4:5:"), p.output());
        assertTrue(p.stderr().contains("adress"), p.output());
    }

    @Test
    void checkOfAMissingFileSaysSo() throws Exception {
        TapnetProcess p = TapnetProcess.run("check", "/nonexistent/topology.yaml");
        assertEquals(1, p.exitCode());
        assertTrue(p.stderr().contains("no such file"), p.output());
    }

    @Test
    void runWithABadDurationIsAUsageError() throws Exception {
        TapnetProcess p = TapnetProcess.run("run", "--duration", "10");
        assertEquals(2, p.exitCode(), p.output());
        assertTrue(p.stderr().contains("--duration"), p.output());
    }

    @Test
    void directAndRingTogetherAreAUsageError() throws Exception {
        TapnetProcess p = TapnetProcess.run("run", "--direct", "--ring");
        assertEquals(2, p.exitCode(), p.output());
        assertTrue(p.stderr().contains("--ring"), p.output());
    }

    @Test
    void aSpinThatIsNoDurationIsAUsageError() throws Exception {
        TapnetProcess p = TapnetProcess.run("run", "--spin=fast");
        assertEquals(2, p.exitCode(), p.output());
        assertTrue(p.stderr().contains("--spin") && p.stderr().contains("200ms"), p.output());
    }

    @Test
    void aSeedThatIsNoNumberIsAUsageError() throws Exception {
        TapnetProcess p = TapnetProcess.run("run", "--seed", "lucky");
        assertEquals(2, p.exitCode(), p.output());
        assertTrue(p.stderr().contains("--seed"), p.output());
    }

    @Test
    void aSimulatedRunNeedsNoRootWritesItsReportAndExitsZero(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report");
        TapnetProcess p = TapnetProcess.run("run", TapnetProcess.topologies().resolve("partition-heal.yaml").toString(),
                "--simulate", "--report", report.toString());
        assertEquals(0, p.exitCode(), p.output());
        assertTrue(p.stdout().contains("passed: 7 of 7 expectations held"), p.output());
        for (String name : new String[] {"report.json", "junit.xml", "report.html", "capture-00001.pcapng"}) {
            assertTrue(Files.exists(report.resolve(name)), name + " in " + report);
        }
        TapnetProcess rerender = TapnetProcess.run("report", report.toString());
        assertEquals(0, rerender.exitCode(), rerender.output());
    }

    @Test
    void aScriptWithAProbeFromTheKernelCannotBeSimulatedAndExitsTwo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("live.yaml");
        Files.writeString(file, """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web: { address: 10.77.0.10, services: [ { port: 80, http: {} } ] }
                script:
                  duration: 5s
                  probes:
                    page: { http: "http://10.77.0.10/" }
                """);
        TapnetProcess p = TapnetProcess.run("run", file.toString(), "--simulate");
        assertEquals(2, p.exitCode(), p.output());
        assertTrue(p.stderr().contains("probe page is from tap"), p.output());
    }

    @Test
    void aBadTopologyForRunExitsTwoWithItsPosition(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.yaml");
        Files.writeString(file, "tap: { address: 10.77.0.1/24 }\nhosts:\n  web: { adress: 10.77.0.10 }\n");
        TapnetProcess p = TapnetProcess.run("run", file.toString(), "--simulate");
        assertEquals(2, p.exitCode(), p.output());
        assertTrue(p.stderr().contains(file + ":3:"), p.output());
    }
}
