package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tapnet.tap.ExternalCommand;
import tapnet.tap.TapTestEnvironment;
import tapnet.tap.TestNamespace;

/**
 * A router's subnet extended over VXLAN to a Linux {@code vxlan} device of the same VNI: the machine behind
 * it takes an address on the router's subnet, its gateway the router's address there, and reaches the nodes
 * on the subnet straight (across their links alone), the nodes elsewhere and the TAP's kernel through the
 * router; the kernel and the nodes reach it back. The underlay a veth pair between two namespaces.
 */
@Timeout(180)
class RouterVxlanIT {
    private static final String MACHINE = "10.78.1.100";
    /** Echoes back the number of bytes it read, in decimal, once the sender shuts its side. */
    private static final String COUNTING_SERVER = String.join("\n",
            "import socket",
            "s = socket.socket()",
            "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
            "s.bind(('" + MACHINE + "', 9000))",
            "s.listen(1)",
            "while True:",
            "    c, _ = s.accept()",
            "    n = 0",
            "    while True:",
            "        b = c.recv(65536)",
            "        if not b:",
            "            break",
            "        n += len(b)",
            "    c.sendall(str(n).encode())",
            "    c.close()");
    private static final String SENDER = String.join("\n",
            "import socket, sys",
            "c = socket.create_connection(('" + MACHINE + "', 9000), timeout=20)",
            "c.sendall(bytes(10 * 1000 * 1000))",
            "c.shutdown(socket.SHUT_WR)",
            "print(c.recv(64).decode())");

    @Test
    void aMachineBehindAKernelVxlanDeviceJoinsARoutersSubnet(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("curl");
        TapTestEnvironment.assumeCommand("ethtool");
        Path socket = dir.resolve("control.sock");
        try (TestNamespace underlay = TestNamespace.create(); TestNamespace kernel = TestNamespace.create();
             TestNamespace run = TestNamespace.create()) {
            KernelVxlan.join(underlay, kernel, "10.243.62.1", "10.243.62.2", MACHINE + "/24");
            kernel.ip("route", "add", "default", "via", "10.78.1.1");
            kernel.ip("-6", "addr", "add", "fd78:1::100/64", "dev", "vx0", "nodad");
            kernel.ip("-6", "route", "add", "default", "via", "fd78:1::1");
            Path topology = dir.resolve("router-vxlan.yaml");
            Files.writeString(topology, """
                    tap: { address: 10.77.0.1/24, address6: fd77::1/64 }
                    routers:
                      edge: { address: 10.77.0.254, subnet: 10.78.1.1/24, address6: fd77::fe, subnet6: fd78:1::1/64, vxlan: { vni: 42, local: 10.243.62.1, remotes: [10.243.62.2], netns: %s } }
                    hosts:
                      web: { address: 10.77.0.10, address6: fd77::10, services: [ { port: 80, http: { body: "hello from web" } } ] }
                      app: { address: 10.78.1.10, address6: fd78:1::10, services: [ { port: 80, http: { body: "hello from app" } } ] }
                    links:
                      - { between: [edge, app], delay: 5ms }
                    script:
                      duration: 12s
                      probes:
                        app-to-machine: { http: "http://%s:8080/", from: app, every: 500ms }
                        web-to-machine: { http: "http://%s:8080/", from: web, every: 500ms }
                      expect:
                        - { probe: app-to-machine, at: end, success: ">= 80%%" }
                        - { probe: web-to-machine, at: end, success: ">= 80%%" }
                    """.formatted(underlay.name(), MACHINE, MACHINE));
            try (KernelVxlan.Background server = KernelVxlan.httpServer(kernel, MACHINE, dir);
                 KernelVxlan.Background counting = countingServer(kernel, dir);
                 TapnetProcess tapnet = TapnetProcess.start("run", "--netns", run.name(), "--control", socket.toString(),
                         "--report", dir.resolve("report").toString(), topology.toString())) {
                tapnet.awaitLine("Stop with Ctrl-C", 30);

                ExternalCommand toApp = kernel.exec(20, "curl", "-s", "-m", "5", "http://10.78.1.10/");
                assertEquals("hello from app", toApp.output().strip(), "the machine reaches a node on its subnet: " + toApp.describe());
                ExternalCommand ping = kernel.exec(20, "ping", "-c", "3", "-W", "2", "10.78.1.10");
                assertEquals(0, ping.exitCode(), ping.describe());
                assertTrue(ping.output().contains("ttl=64"), "straight, no router in between: " + ping.describe());
                assertTrue(Pattern.compile("time=([0-9.]+) ms").matcher(ping.output()).results()
                        .allMatch(m -> Double.parseDouble(m.group(1)) >= 9.5), "across app's 5 ms link, each way: " + ping.describe());

                ExternalCommand toWeb = kernel.exec(20, "curl", "-s", "-m", "5", "http://10.77.0.10/");
                assertEquals("hello from web", toWeb.output().strip(), "and a node elsewhere, through edge: " + toWeb.describe());
                ExternalCommand routed = kernel.exec(20, "ping", "-c", "1", "-W", "2", "10.77.0.10");
                assertTrue(routed.output().contains("ttl=63"), "one hop, edge: " + routed.describe());
                ExternalCommand expired = kernel.exec(20, "ping", "-c", "1", "-W", "2", "-t", "1", "10.77.0.10");
                assertTrue(expired.output().contains("Time to live exceeded"), "edge counts its hop: " + expired.describe());

                ExternalCommand ping6 = kernel.exec(20, "ping", "-6", "-c", "2", "-W", "2", "fd78:1::10");
                assertTrue(ping6.exitCode() == 0 && ping6.output().contains("ttl=64"), "over IPv6 too, straight: " + ping6.describe());
                ExternalCommand toWeb6 = kernel.exec(20, "curl", "-6", "-s", "-m", "5", "http://[fd77::10]/");
                assertEquals("hello from web", toWeb6.output().strip(), "and through edge: " + toWeb6.describe());
                ExternalCommand fromTap6 = run.exec(20, "ping", "-6", "-c", "2", "-W", "2", "fd78:1::100");
                assertEquals(0, fromTap6.exitCode(), "the TAP's kernel reaches the machine over IPv6: " + fromTap6.describe());

                ExternalCommand fromTap = run.exec(20, "curl", "-s", "-m", "5", "-o", "/dev/null", "-w", "%{http_code}",
                        "http://" + MACHINE + ":8080/");
                assertEquals("200", fromTap.output().strip(), "the TAP's kernel reaches the machine through edge: "
                        + fromTap.describe());
                ExternalCommand upload = run.exec(60, KernelVxlan.python(), "-c", SENDER);
                assertEquals("10000000", upload.output().strip(), "10 MB from the TAP's kernel, offloaded, reach the machine"
                        + " whole: " + upload.describe());

                String counters = CtlCounters.awaitMoved(socket, "arp_replies");
                assertTrue(CtlCounters.count(counters, "vxlan.datagrams_sent") > 6800, "10 MB as wire frames: " + counters);
                assertEquals(0, CtlCounters.count(counters, "vxlan.datagrams_unsent"), counters);

                TapnetProcess.awaitExit(tapnet, 40);
                assertEquals(0, tapnet.exitCode(), "app's and web's probes to the machine held: " + tapnet.output());
            }
        }
    }

    @Test
    void oneUnderlaySocketCarriesTheTapsSegmentAndARoutersSubnetByTheirVnis(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("curl");
        TapTestEnvironment.assumeCommand("ethtool");
        try (TestNamespace underlay = TestNamespace.create(); TestNamespace kernel = TestNamespace.create();
             TestNamespace run = TestNamespace.create()) {
            // one machine, two vxlan devices over one underlay address: vx0 on the TAP's segment (VNI 42), vx1 on
            // edge's subnet (VNI 43); the kernel shares one UDP socket between them, as tapnet does
            KernelVxlan.join(underlay, kernel, "10.243.62.1", "10.243.62.2", "10.77.0.100/24");
            kernel.ip("link", "add", "vx1", "mtu", "1500", "type", "vxlan", "id", "43", "local", "10.243.62.2", "remote",
                    "10.243.62.1", "dstport", "4789", "dev", "vk");
            kernel.ip("addr", "add", MACHINE + "/24", "dev", "vx1");
            kernel.ip("link", "set", "vx1", "up");
            assertEquals(0, kernel.exec(10, "ethtool", "-K", "vx1", "tx", "off").exitCode());
            kernel.ip("route", "add", "10.77.0.1/32", "via", "10.78.1.1", "dev", "vx1"); // the TAP's kernel through edge
            Path topology = dir.resolve("both.yaml");
            Files.writeString(topology, """
                    tap: { address: 10.77.0.1/24, vxlan: { vni: 42, local: 10.243.62.1, remotes: [10.243.62.2], netns: %s } }
                    routers:
                      edge: { address: 10.77.0.254, subnet: 10.78.1.1/24, vxlan: { vni: 43, local: 10.243.62.1, remotes: [10.243.62.2], netns: %s } }
                    hosts:
                      web: { address: 10.77.0.10, services: [ { port: 80, http: { body: "hello from web" } } ] }
                      app: { address: 10.78.1.10, services: [ { port: 80, http: { body: "hello from app" } } ] }
                    """.formatted(underlay.name(), underlay.name()));
            try (TapnetProcess tapnet = TapnetProcess.start("run", "--netns", run.name(), "--no-control", topology.toString())) {
                tapnet.awaitLine("Stop with Ctrl-C", 30);
                ExternalCommand toWeb = kernel.exec(20, "curl", "-s", "-m", "5", "--interface", "vx0", "http://10.77.0.10/");
                assertEquals("hello from web", toWeb.output().strip(), "over VNI 42, on the TAP's segment: " + toWeb.describe());
                ExternalCommand toApp = kernel.exec(20, "curl", "-s", "-m", "5", "http://10.78.1.10/");
                assertEquals("hello from app", toApp.output().strip(), "over VNI 43, on edge's subnet: " + toApp.describe());
                ExternalCommand onSegment = run.exec(20, "ping", "-c", "2", "-W", "2", "10.77.0.100");
                assertEquals(0, onSegment.exitCode(), "the TAP's kernel reaches vx0 on its segment (the answers come back"
                        + " through edge, by the machine's route): " + onSegment.describe());
                ExternalCommand throughEdge = run.exec(20, "ping", "-c", "2", "-W", "2", MACHINE);
                assertTrue(throughEdge.exitCode() == 0 && throughEdge.output().contains("ttl=63"),
                        "and vx1 through edge: " + throughEdge.describe());
            }
        }
    }

    /** {@link #COUNTING_SERVER} in {@code namespace}, listening when this returns. */
    private static KernelVxlan.Background countingServer(TestNamespace namespace, Path dir) throws Exception {
        Process server = new ProcessBuilder("ip", "netns", "exec", namespace.name(), KernelVxlan.python(), "-c", COUNTING_SERVER)
                .redirectErrorStream(true).redirectOutput(dir.resolve("counting.log").toFile()).start();
        for (int i = 0; i < 100; i++) {
            if (namespace.exec(5, "ss", "-ltn", "sport", "= :9000").output().contains(MACHINE + ":9000")) {
                return new KernelVxlan.Background(server);
            }
            Thread.sleep(100);
        }
        server.destroyForcibly();
        throw new AssertionError("the counting server did not listen: " + Files.readString(dir.resolve("counting.log")));
    }
}
