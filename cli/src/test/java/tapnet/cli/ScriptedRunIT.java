package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import tapnet.report.ReportJson;
import tapnet.script.RunReport;
import tapnet.tap.ExternalCommand;
import tapnet.tap.TapTestEnvironment;
import tapnet.tap.TestNamespace;

/** A scripted run through the TAP: the kernel's connects across a link that goes down for 3 s. */
@Timeout(120)
class ScriptedRunIT {
    private static final String TOPOLOGY = """
            tap: { address: 10.77.0.1/24 }
            hosts:
              web: { address: 10.77.0.10, services: [ { port: 80, http: {} } ] }
              client: { address: 10.77.0.30 }
            links:
              - { between: [tap, web], delay: 1ms }
            script:
              duration: 10s
              probes:
                web: { connect: 10.77.0.10:80, every: 250ms, timeout: 700ms }
                kernel: { ping: 10.77.0.1, from: client, every: 500ms }
              events:
                - { name: cut, at: 3s, down: web }
                - { after: cut, delay: 3s, up: web }
                - { at: 7s, run: { in: tap, command: [curl, -sf, "http://10.77.0.10/"], timeout: 5s, exit: 0 } }
              expect:
                - { name: "connects before the cut", probe: web, during: [0s, 3s], success: "== 100%" }
                - { name: "none inside it", probe: web, during: [3100ms, 5300ms], success: "== 0%" }
                - { name: "connects after it", probe: web, during: [6500ms, 10s], success: "== 100%" }
                - { name: "a virtual host pings the kernel throughout", probe: kernel, at: end, success: "== 100%" }
                EXTRA
              capture: true
            """;

    @Test
    void connectsFailOnlyInsideTheLinkDownWindowAndTheCaptureAgreesWithTheReport(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        Path file = dir.resolve("cut.yaml");
        Files.writeString(file, TOPOLOGY.replace("EXTRA", ""));
        Path report = dir.resolve("report");
        try (TestNamespace namespace = TestNamespace.create();
             TapnetProcess run = TapnetProcess.start("run", file.toString(), "--netns", namespace.name(), "--report",
                     report.toString())) {
            run.awaitLine("The script runs for", 30);
            // The kernel keeps web's MAC through the cut (no ARP then): every connect sends its SYN, which the
            // capture must count.
            namespace.ip("neigh", "replace", "10.77.0.10", "lladdr", "02:54:0a:4d:00:0a", "dev", "tapnet0", "nud", "permanent");
            TapnetProcess.awaitExit(run, 60);
            assertEquals(0, run.exitCode(), run.output());
            assertTrue(run.stdout().contains("passed: 5 of 5 expectations held"), run.output());
        }
        RunReport result = ReportJson.read(report.resolve("report.json"));
        List<RunReport.Sample> samples = result.probes().get(0).samples();
        assertTrue(samples.size() >= 38, "every 250 ms for 10 s: " + samples.size());
        for (RunReport.Sample s : samples) {
            // From 3.1 s: slack after the cut (the event runs before a sample due with it, and is applied first).
            boolean insideCut = s.atNanos() >= 3_100_000_000L && s.atNanos() < 6_000_000_000L - 700_000_000L;
            boolean clear = s.atNanos() < 3_000_000_000L - 700_000_000L || s.atNanos() >= 6_200_000_000L;
            if (insideCut) {
                assertFalse(s.ok(), "inside the cut: " + s);
            } else if (clear) {
                assertTrue(s.ok(), "outside the cut: " + s);
            }
        }
        assertEquals(3, result.events().size(), result.events().toString());
        assertEquals("exit 0", result.events().get(2).detail(), "curl in the namespace, run by the timeline");

        TapTestEnvironment.assumeCommand("tshark");
        Path capture = report.resolve("capture-00001.pcapng");
        ExternalCommand syns = ExternalCommand.run(30, "tshark", "-r", capture.toString(), "-Y",
                "tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.dstport == 80 && !tcp.analysis.retransmission",
                "-T", "fields", "-e", "tcp.srcport");
        assertEquals(0, syns.exitCode(), syns.describe());
        // One first SYN per connect (failed connects free their port at once, so ports may be reused: count SYNs).
        long connects = syns.output().lines().filter(l -> !l.isBlank()).count();
        assertEquals(samples.size() + 1, connects, "one connect per sample, and the timeline's curl, as the TAP's capture shows");
        ExternalCommand comments = ExternalCommand.run(30, "tshark", "-r", capture.toString(), "-Y", "frame.comment",
                "-T", "fields", "-e", "frame.comment");
        assertTrue(comments.output().contains("cut: down web") && comments.output().contains("up web"), comments.describe());
    }

    /**
     * The same kind of run on a file without {@code links:}, where the TAP hands over 64 KB segments with
     * partial checksums: after {@code up}, and across a link set while running, connections and transfers
     * work at once.
     */
    @Test
    void onAFileWithoutLinksConnectsAndTransfersRecoverAtOnceAfterUpAndAcrossALinkSetLive(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        Path file = dir.resolve("flap.yaml");
        Files.writeString(file, """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web: { address: 10.77.0.10, services: [ { port: 80, http: {} }, { port: 9, discard: {} } ] }
                script:
                  duration: 9s
                  probes:
                    web: { connect: 10.77.0.10:80, every: 250ms, timeout: 700ms }
                    page: { http: "http://10.77.0.10/", every: 250ms, timeout: 700ms }
                    bulk: { bulk: 10.77.0.10:9, size: 1MiB, every: 500ms, timeout: 1s }
                  events:
                    - { at: 2s, down: web }
                    - { at: 3s, up: web }
                    - { at: 5s, link: { between: [tap, web], delay: 5ms, jitter: 2ms, duplicate: 1%, rate: 50mbit } }
                    - { at: 7s, link: { between: [tap, web] } }
                  expect:
                    - { name: "connects from the moment web is up", probe: web, during: [3s, 9s], success: "== 100%" }
                    - { name: "pages from the moment web is up", probe: page, during: [3s, 9s], success: "== 100%" }
                    - { name: "bulk from the moment web is up", probe: bulk, during: [3s, 9s], success: "== 100%" }
                    - { name: "no segment lost to its checksum", counter: drop.tcp_bad_checksum, at: end, value: "== 0" }
                """);
        Path report = dir.resolve("report");
        try (TestNamespace namespace = TestNamespace.create()) {
            TapnetProcess run = TapnetProcess.run("run", file.toString(), "--netns", namespace.name(), "--report", report.toString());
            assertEquals(0, run.exitCode(), run.output());
            assertTrue(run.stdout().contains("passed: 4 of 4 expectations held"), run.output());
        }
    }

    @Test
    void anExpectationThatCannotHoldExitsOneAndJunitSaysWhatWasSeen(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        Path file = dir.resolve("impossible.yaml");
        Files.writeString(file, TOPOLOGY.replace("EXTRA", "- { name: 'every connect succeeds', probe: web, at: end, success: '>= 100%' }")
                .replace("\n  capture: true", ""));
        Path report = dir.resolve("report");
        try (TestNamespace namespace = TestNamespace.create()) {
            TapnetProcess run = TapnetProcess.run("run", file.toString(), "--netns", namespace.name(), "--report", report.toString());
            assertEquals(1, run.exitCode(), run.output());
            assertTrue(run.stdout().contains("FAIL  every connect succeeds"), run.output());
        }
        Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.resolve("junit.xml").toFile());
        Element suite = junit.getDocumentElement();
        assertEquals("6", suite.getAttribute("tests"));
        assertEquals("1", suite.getAttribute("failures"));
        String failure = ((Element) junit.getElementsByTagName("failure").item(0)).getAttribute("message");
        assertTrue(failure.contains("success >= 100%") && failure.contains("of") && failure.contains("samples"), failure);
    }

    @Test
    void sigtermEndsARunEarlyWithTheReportOfWhatWasMeasuredAndEverythingRemoved(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        Path file = dir.resolve("long.yaml");
        Files.writeString(file, """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web: { address: 10.77.0.10, services: [ { port: 80, http: {} } ] }
                script:
                  duration: 5m
                  probes:
                    web: { connect: 10.77.0.10:80, every: 200ms }
                  expect:
                    - { probe: web, at: end, success: "== 100%" }
                """);
        Path report = dir.resolve("report");
        try (TestNamespace namespace = TestNamespace.create();
             TapnetProcess tapnet = TapnetProcess.start("run", file.toString(), "--netns", namespace.name(), "--report",
                     report.toString())) {
            tapnet.awaitLine("The script runs for 5m", 30);
            Thread.sleep(2000);
            int code = tapnet.signalAndWait("TERM");
            assertTrue(code != 0, "an interrupted run does not pass: " + code + "\n" + tapnet.output());
            assertTrue(tapnet.stdout().contains("interrupted"), tapnet.output());
            assertTrue(ExternalCommand.run(5, "ip", "-n", namespace.name(), "link", "show", "tapnet0").exitCode() != 0,
                    "the TAP is gone");
        }
        RunReport result = ReportJson.read(report.resolve("report.json"));
        int samples = result.probes().get(0).samples().size();
        assertTrue(samples >= 5 && samples < 100, "about 2 s of samples every 200 ms: " + samples);
    }

    @Test
    void probesFromAPortUseTheKernelOfThePortsNamespace(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        String portNamespace = TestNamespace.uniqueName();
        Path file = dir.resolve("port.yaml");
        Files.writeString(file, """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web: { address: 10.77.0.10, services: [ { port: 80, http: {} } ] }
                ports:
                  client: { netns: PORT_NETNS, address: 10.77.0.101 }
                links:
                  - { between: [tap, client], delay: 10ms }
                script:
                  duration: 3s
                  probes:
                    page: { http: "http://10.77.0.10/", from: client, every: 500ms }
                    rtt: { ping: 10.77.0.10, from: client, every: 500ms }
                  expect:
                    - { probe: page, at: end, success: "== 100%" }
                    - { name: "the port's link is crossed both ways", probe: rtt, after: 1s, median: ">= 20ms" }
                """.replace("PORT_NETNS", portNamespace));
        Path report = dir.resolve("report");
        try (TestNamespace namespace = TestNamespace.create()) {
            TapnetProcess run = TapnetProcess.run("run", file.toString(), "--netns", namespace.name(), "--report", report.toString());
            assertEquals(0, run.exitCode(), run.output());
        } finally {
            if (tapnet.tap.NetworkNamespace.exists(portNamespace)) {
                ExternalCommand.run(10, "ip", "netns", "del", portNamespace);
            }
        }
        RunReport result = ReportJson.read(report.resolve("report.json"));
        assertEquals("client", result.probes().get(0).from());
        assertTrue(result.probes().get(0).samples().size() >= 5, result.probes().toString());
    }
}
