package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

/**
 * One topology file split over two tapnet runs ({@code --part}), as on two machines: each part in namespaces of
 * its own, the underlay a veth pair between the parts' underlay namespaces. Programs behind either part's TAP
 * reach the hosts of both, through a router the other part plays, and live changes sent to both parts act once.
 */
@Timeout(240)
class PartsIT {
    /** Two parts; west plays the router and what is behind it, and db, whose link (5 ms each way) west applies. */
    static final String SPLIT = """
            name: split
            tap: { address: 10.77.0.1/24, address6: fd77::1/64, vxlan: { vni: 42, netns: "%s-{part}" } }
            hosts:
              web: { address: 10.77.0.10, address6: fd77::10, services: [ { port: 80, http: { body: "hello from east" } }, { port: 7, echo: {} } ] }
              db: { address: 10.77.0.20, address6: fd77::20, services: [ { port: 80, http: { body: "hello from west" } }, { port: 7, echo: {} } ] }
              app: { address: 10.78.1.10, services: [ { port: 80, http: { body: "app behind r1" } } ] }
            routers:
              r1: { address: 10.77.0.254, subnet: 10.78.1.1/24 }
            links:
              - { between: [tap, db], delay: 5ms }
            parts:
              east: { nodes: [web], underlay: 10.243.61.1 }
              west: { nodes: [db, r1, app], underlay: 10.243.61.2, tap: 10.77.0.2, tap6: fd77::2 }
            """;

    @Test
    void twoRunsOfOneFilesPartsActAsOneNetwork(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("curl");
        TapTestEnvironment.assumeCommand("traceroute");
        String underlay = TestNamespace.uniqueName();
        Path file = dir.resolve("split.yaml");
        Files.writeString(file, SPLIT.formatted(underlay));
        Path eastSocket = dir.resolve("east.sock");
        Path westSocket = dir.resolve("west.sock");
        try (Underlay joined = Underlay.between(underlay + "-east", underlay + "-west", "10.243.61.1", "10.243.61.2");
             TestNamespace eastRun = TestNamespace.create(); TestNamespace westRun = TestNamespace.create();
             TapnetProcess east = TapnetProcess.start("run", "--part", "east", "--netns", eastRun.name(), "--control",
                     eastSocket.toString(), file.toString());
             TapnetProcess west = TapnetProcess.start("run", "--part", "west", "--netns", westRun.name(), "--control",
                     westSocket.toString(), file.toString())) {
            east.awaitLine("Stop with Ctrl-C", 30);
            west.awaitLine("Stop with Ctrl-C", 30);

            assertEquals("hello from west", curl(eastRun, "http://10.77.0.20/"), "east's kernel reaches west's host");
            assertEquals("hello from east", curl(westRun, "http://10.77.0.10/"), "west's kernel reaches east's host");
            assertEquals("hello from west", curl(eastRun, "-6", "http://db/"), "over IPv6, by name");
            assertEquals(0, westRun.exec(20, "ping", "-6", "-c", "2", "-W", "2", "fd77::10").exitCode(), "ping -6 across");
            assertEquals("app behind r1", curl(eastRun, "http://10.78.1.10/"), "through the router the other part plays");
            ExternalCommand route = eastRun.exec(30, "traceroute", "-n", "-q", "1", "-w", "2", "10.78.1.10");
            assertTrue(Pattern.compile("(?m)^ 1\\s+10\\.77\\.0\\.254\\b").matcher(route.output()).find()
                    && Pattern.compile("(?m)^ 2\\s+10\\.78\\.1\\.10\\b").matcher(route.output()).find(),
                    "traceroute lists r1, then app: " + route.describe());
            List<Double> rtts = pingTimes(eastRun, "10.77.0.20");
            assertTrue(rtts.stream().allMatch(t -> t >= 10 && t < 30), "db's link, 5 ms each way, applied once: " + rtts);

            ExternalCommand echo = eastRun.exec(60, KernelVxlan.python(), "-c", ECHO_10_MB);
            assertEquals("10485760 echoed", echo.output().strip(), "10 MB echoed by db across the parts: " + echo.describe());

            // Live changes, sent to both parts as a client would: each applies what concerns its nodes.
            for (Path socket : List.of(eastSocket, westSocket)) {
                CtlCounters.ctl(socket, "link", "{between: [tap, db], delay: 40ms}");
            }
            rtts = pingTimes(eastRun, "10.77.0.20");
            assertTrue(rtts.stream().allMatch(t -> t >= 80 && t < 110), "the link changed live, applied once (80 ms): " + rtts);
            assertTrue(CtlCounters.ctl(westSocket, "links").contains("between: [tap, db], delay: 40ms"), "west lists db's link");
            String eastLinks = CtlCounters.ctl(eastSocket, "links");
            assertTrue(!eastLinks.contains("db"), "east lists only its own nodes' links: " + eastLinks);
            String eastOnDb = CtlCounters.ctl(eastSocket, "link", "{between: [tap, db], delay: 40ms}");
            assertTrue(eastOnDb.contains("for another part: db is played there"), eastOnDb);
            for (Path socket : List.of(eastSocket, westSocket)) {
                CtlCounters.ctl(socket, "partition", "[[tap, web], [db]]");
            }
            assertNotEquals(0, eastRun.exec(10, "curl", "-s", "-m", "2", "http://10.77.0.20/").exitCode(), "partitioned");
            assertEquals("hello from east", curl(eastRun, "http://10.77.0.10/"), "tap and web are one group");
            assertTrue(CtlCounters.count(CtlCounters.ctl(eastSocket, "counters"), "drop.partitioned") > 0,
                    "east cuts its kernel's frames for db before they cross");
            for (Path socket : List.of(eastSocket, westSocket)) {
                CtlCounters.ctl(socket, "heal");
            }
            assertEquals("hello from west", curl(eastRun, "http://10.77.0.20/"), "healed");
            String answer = CtlCounters.ctl(eastSocket, "stop", "db");
            assertTrue(answer.startsWith("for another part: db is played there"), answer);
            assertEquals("hello from west", curl(eastRun, "http://10.77.0.20/"), "east does not stop what west plays");
            assertEquals("stopped: db", CtlCounters.ctl(westSocket, "stop", "db").strip());
            assertNotEquals(0, eastRun.exec(10, "curl", "-s", "-m", "2", "http://10.77.0.20/").exitCode(), "west did");

            for (TapnetProcess run : List.of(east, west)) {
                int code = run.signalAndWait("TERM");
                assertTrue(code == 0 || code == 143, run.output());
            }
        }
    }

    @Test
    void eachPartPlaysTheScriptForItsNodesAndTheirReportsMergeIntoOne(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        String underlay = TestNamespace.uniqueName();
        Path file = dir.resolve("split.yaml");
        // a probe from a host of each part to the other's, one from the kernel (the first part's), a partition
        // at 3 s between nodes of the two parts, healed at 5 s; windows leave each part half a second to start
        Files.writeString(file, SPLIT.formatted(underlay) + """
                script:
                  duration: 7s
                  probes:
                    web-to-db: { connect: 10.77.0.20:80, from: web, every: 250ms, timeout: 500ms }
                    db-to-web: { connect: 10.77.0.10:80, from: db, every: 250ms, timeout: 500ms }
                    kernel-to-app: { http: "http://10.78.1.10/", every: 250ms, timeout: 1s }
                  events:
                    - { name: split, at: 3s, partition: [[web], [db]] }
                    - { at: 5s, heal: true }
                  expect:
                    - { probe: web-to-db, during: [1s, 2.5s], success: "== 100%" }
                    - { probe: web-to-db, during: [3.5s, 4.5s], success: "== 0%" }
                    - { probe: db-to-web, during: [3.5s, 4.5s], success: "== 0%" }
                    - { probe: db-to-web, during: [5.5s, 7s], success: ">= 75%" }
                    - { probe: kernel-to-app, at: end, success: "== 100%" }
                """);
        Path eastReport = dir.resolve("east-report");
        Path westReport = dir.resolve("west-report");
        String start = java.time.Instant.now().plusSeconds(12).toString(); // both up by then, their timelines start then
        try (Underlay joined = Underlay.between(underlay + "-east", underlay + "-west", "10.243.61.1", "10.243.61.2");
             TestNamespace eastRun = TestNamespace.create(); TestNamespace westRun = TestNamespace.create();
             TapnetProcess west = TapnetProcess.start("run", "--part", "west", "--netns", westRun.name(), "--no-control",
                     "--report", westReport.toString(), "--start-at", start, file.toString());
             TapnetProcess east = TapnetProcess.start("run", "--part", "east", "--netns", eastRun.name(), "--no-control",
                     "--report", eastReport.toString(), "--start-at", start, file.toString())) {
            TapnetProcess.awaitExit(west, 50);
            TapnetProcess.awaitExit(east, 50);
            assertEquals(0, east.exitCode(), east.output());
            assertEquals(0, west.exitCode(), west.output());
        }
        String eastJson = Files.readString(eastReport.resolve("report.json"));
        assertTrue(eastJson.contains("\"part\": \"east\""), eastJson);
        assertTrue(eastJson.contains("kernel-to-app") && !eastJson.contains("\"db-to-web\""), "east samples its own probes");

        Path merged = dir.resolve("merged");
        TapnetProcess merge = TapnetProcess.run("report", "--merge", merged.toString(), eastReport.toString(), westReport.toString());
        assertEquals(0, merge.exitCode(), merge.output());
        String json = Files.readString(merged.resolve("report.json"));
        for (String probe : List.of("web-to-db", "db-to-web", "kernel-to-app")) {
            assertTrue(json.contains(probe), probe + " in the merged report");
        }
        java.util.regex.Matcher spread = java.util.regex.Pattern.compile("\"startSpreadMillis\": (\\d+)").matcher(json);
        assertTrue(spread.find(), "the merged report says how far apart the parts started");
        assertTrue(Long.parseLong(spread.group(1)) < 200, "started together at --start-at " + start + ": " + spread.group());
        assertTrue(Files.readString(merged.resolve("report.html")).contains("west"));
    }

    @Test
    void aLinuxVxlanDeviceStandsInForAPart(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("ethtool");
        String underlay = TestNamespace.uniqueName();
        Path file = dir.resolve("split.yaml");
        Files.writeString(file, SPLIT.formatted(underlay));
        // west's underlay address and db's address, on a kernel's vxlan device with a real server behind it
        try (TestNamespace eastUnderlay = TestNamespace.create(underlay + "-east"); TestNamespace kernel = TestNamespace.create();
             TestNamespace eastRun = TestNamespace.create()) {
            KernelVxlan.join(eastUnderlay, kernel, "10.243.61.1", "10.243.61.2", "10.77.0.20/24");
            try (KernelVxlan.Background server = KernelVxlan.httpServer(kernel, "10.77.0.20", dir);
                 TapnetProcess east = TapnetProcess.start("run", "--part", "east", "--netns", eastRun.name(), "--no-control",
                         file.toString())) {
                east.awaitLine("Stop with Ctrl-C", 30);
                assertEquals("hello from the kernel's side", curl(eastRun, "http://db:8080/"),
                        "east's kernel reaches db, a Linux host standing in for west, by name");
                assertEquals("hello from east", kernel.exec(20, "curl", "-s", "-m", "5", "http://10.77.0.10/").output().strip(),
                        "and the Linux side reaches east's web");
                int code = east.signalAndWait("TERM");
                assertTrue(code == 0 || code == 143, east.output());
            }
        }
    }

    /** Sends 10 MiB to db's echo service and reads it back whole, in one process. */
    private static final String ECHO_10_MB = String.join("\n", List.of(
            "import socket, threading, os",
            "data = os.urandom(10 * 1024 * 1024)",
            "s = socket.create_connection(('10.77.0.20', 7), timeout=30)",
            "threading.Thread(target=lambda: s.sendall(data), daemon=True).start()",
            "got = bytearray()",
            "while len(got) < len(data):",
            "    chunk = s.recv(1 << 20)",
            "    if not chunk: break",
            "    got += chunk",
            "print(len(got), 'echoed' if bytes(got) == data else 'differ')"));

    private static String curl(TestNamespace from, String... urlAndOptions) {
        String[] command = new String[urlAndOptions.length + 4];
        System.arraycopy(new String[] {"curl", "-s", "-m", "5"}, 0, command, 0, 4);
        System.arraycopy(urlAndOptions, 0, command, 4, urlAndOptions.length);
        ExternalCommand curl = from.exec(20, command);
        return curl.exitCode() == 0 ? curl.output().strip() : curl.describe();
    }

    private static List<Double> pingTimes(TestNamespace from, String address) {
        ExternalCommand ping = from.exec(20, "ping", "-c", "3", "-i", "0.2", "-W", "2", address);
        assertEquals(0, ping.exitCode(), ping.describe());
        return Pattern.compile("time=([0-9.]+) ms").matcher(ping.output()).results()
                .map(m -> Double.parseDouble(m.group(1))).toList();
    }

    /** Two underlay namespaces joined by a veth pair (MTU 1600: a 1514-byte frame in one datagram), removed on close. */
    record Underlay(TestNamespace first, TestNamespace second) implements AutoCloseable {
        static Underlay between(String firstName, String secondName, String firstAddress, String secondAddress) throws Exception {
            TestNamespace first = TestNamespace.create(firstName);
            TestNamespace second;
            try {
                second = TestNamespace.create(secondName);
            } catch (Exception e) {
                first.close();
                throw e;
            }
            first.vethTo(second, "ua", firstAddress + "/24", "ub", secondAddress + "/24", 1600);
            return new Underlay(first, second);
        }

        @Override
        public void close() throws Exception {
            try {
                first.close();
            } finally {
                second.close();
            }
        }
    }
}
