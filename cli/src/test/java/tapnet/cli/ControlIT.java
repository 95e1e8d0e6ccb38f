package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tapnet.tap.ExternalCommand;
import tapnet.tap.TapTestEnvironment;
import tapnet.tap.TestNamespace;

/** Links changed while tapnet runs, through tapnet ctl, as the kernel's ping meets them through the TAP. */
@Timeout(180)
class ControlIT {
    @Test
    void ctlDelaysTakesDownBringsUpAndClearsALinkWhileRunning(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("ping");
        Path topology = dir.resolve("control.yaml");
        Files.writeString(topology, """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web: { address: 10.77.0.10 }
                """);
        Path socket = dir.resolve("control.sock");
        try (TestNamespace namespace = TestNamespace.create();
             TapnetProcess tapnet = TapnetProcess.start("run", "--netns", namespace.name(), "--control", socket.toString(),
                     topology.toString())) {
            tapnet.awaitLine("Stop with Ctrl-C", 30);
            assertTrue(tapnet.stdout().contains("control: tapnet ctl --socket " + socket), tapnet.output());
            assertTrue(Files.exists(socket), "the socket is there while tapnet runs");

            assertRtts(namespace, 0, 20, "a perfect link");

            ctl(0, socket, "link", "{between: [tap, web], delay: 50ms}");
            assertRtts(namespace, 100, 150, "50 ms each way, set while running");

            TapnetProcess down = ctl(0, socket, "down", "web");
            assertTrue(down.stdout().contains("- {between: [tap, web], down: true, delay: 50ms}"), down.output());
            ExternalCommand lost = namespace.exec(10, "ping", "-c", "2", "-W", "1", "10.77.0.10");
            assertTrue(lost.exitCode() != 0, "a link taken down answers nothing: " + lost.describe());

            ctl(0, socket, "up", "web");
            assertRtts(namespace, 100, 150, "back up, still 50 ms each way");

            TapnetProcess links = ctl(0, socket, "links");
            assertTrue(links.stdout().contains("- {between: [tap, web], delay: 50ms}"), links.output());
            assertTrue(Pattern.compile("# tap -> web: in \\d+ .* down [1-9]").matcher(links.stdout()).find(), links.output());

            ctl(0, socket, "link", "{between: [tap, web]}");
            assertRtts(namespace, 0, 20, "perfect again");

            ctl(0, socket, "partition", "[[tap], [web]]");
            ExternalCommand cut = namespace.exec(10, "ping", "-c", "2", "-W", "1", "10.77.0.10");
            assertTrue(cut.exitCode() != 0, "web is cut off from the TAP: " + cut.describe());
            ctl(0, socket, "heal");
            assertRtts(namespace, 0, 20, "healed");

            TapnetProcess bad = ctl(1, socket, "link", "{between: [tap, web], dealy: 50ms}");
            assertTrue(bad.stderr().contains("ctl:1:23: 'dealy' is not a key of a link"), bad.output());

            TapnetProcess counters = ctl(0, socket, "counters");
            assertTrue(Pattern.compile("(?m)^icmp_echo_replies [1-9]\\d*$").matcher(counters.stdout()).find(), counters.output());
            assertTrue(Pattern.compile("(?m)^drop.partitioned [1-9]\\d*$").matcher(counters.stdout()).find(), counters.output());

            int code = tapnet.signalAndWait("TERM");
            assertTrue(code == 0 || code == 143, tapnet.output());
            assertFalse(Files.exists(socket), "tapnet removes its socket on exit");
        }
        TapnetProcess gone = ctl(1, socket, "links");
        assertTrue(gone.stderr().contains("no tapnet is listening at " + socket), gone.output());
    }

    @Test
    void ctlStopsAndStartsAHostAndAServiceWhileRunning(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("curl");
        Path topology = dir.resolve("services.yaml");
        Files.writeString(topology, """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web: { address: 10.77.0.10, services: [ { port: 80, http: { body: "hello\\n" } } ] }
                """);
        Path socket = dir.resolve("control.sock");
        try (TestNamespace namespace = TestNamespace.create();
             TapnetProcess tapnet = TapnetProcess.start("run", "--netns", namespace.name(), "--control", socket.toString(),
                     topology.toString())) {
            tapnet.awaitLine("Stop with Ctrl-C", 30);
            assertEquals(0, curl(namespace).exitCode(), "served before any change");

            assertEquals("stopped: web:80", ctl(0, socket, "stopService", "web:80").stdout());
            ExternalCommand refused = curl(namespace);
            assertEquals(7, refused.exitCode(), "a stopped service's port answers the SYN with RST: " + refused.describe());
            assertEquals("started: web:80", ctl(0, socket, "startService", "web:80").stdout());
            assertEquals(0, curl(namespace).exitCode(), "listening again");

            assertEquals("stopped: web", ctl(0, socket, "stop", "web").stdout());
            ExternalCommand silent = curl(namespace);
            assertEquals(28, silent.exitCode(), "a stopped host answers nothing, so curl times out: " + silent.describe());
            assertEquals("started: web", ctl(0, socket, "start", "web").stdout());
            assertEquals(0, curl(namespace).exitCode(), "started again");

            TapnetProcess bad = ctl(1, socket, "stopService", "web:81");
            assertTrue(bad.stderr().contains("host 'web' has no service on port 81; expected one of: web:80"), bad.output());

            int code = tapnet.signalAndWait("TERM");
            assertTrue(code == 0 || code == 143, tapnet.output());
        }
    }

    /** curl of web's page from the run's namespace, giving up after 2 s. */
    private static ExternalCommand curl(TestNamespace namespace) {
        return namespace.exec(10, "curl", "-sS", "-m", "2", "http://10.77.0.10/");
    }

    /** Runs tapnet ctl against {@code socket} and checks its exit code. */
    private static TapnetProcess ctl(int expectedExit, Path socket, String... request) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("ctl", "--socket", socket.toString()));
        args.addAll(List.of(request));
        TapnetProcess ctl = TapnetProcess.run(args.toArray(String[]::new));
        assertEquals(expectedExit, ctl.exitCode(), String.join(" ", args) + ":\n" + ctl.output());
        return ctl;
    }

    /** Pings web five times; every answer after the first (which waits for ARP too) within [min, max) ms. */
    private static void assertRtts(TestNamespace namespace, double min, double max, String what) {
        ExternalCommand ping = namespace.exec(20, "ping", "-c", "5", "-i", "0.2", "-W", "2", "10.77.0.10");
        assertEquals(0, ping.exitCode(), what + ": " + ping.describe());
        List<Double> times = Pattern.compile("time=([0-9.]+) ms").matcher(ping.output()).results()
                .map(m -> Double.parseDouble(m.group(1))).toList();
        assertEquals(5, times.size(), what + ": " + ping.output());
        // The first ping may wait for ARP; after a link was down the kernel may also re-probe its neighbour
        // once (another round trip): every RTT at least the link's, and the typical one within the bounds.
        List<Double> settled = times.subList(1, times.size()).stream().sorted().toList();
        for (double t : settled) {
            assertTrue(t >= min, what + ": RTT " + t + " ms, expected at least " + min + " ms; all: " + times);
        }
        double median = (settled.get(1) + settled.get(2)) / 2;
        assertTrue(median < max, what + ": median RTT " + median + " ms, expected " + min + " to " + max + " ms; all: " + times);
    }
}
