package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tapnet.tap.ExternalCommand;
import tapnet.tap.TapTestEnvironment;
import tapnet.tap.TestNamespace;

/**
 * The TAP's segment extended over VXLAN to a Linux {@code vxlan} device of the same VNI, with a real server
 * behind it: the underlay a veth pair between two namespaces, the kernel's device in one, tapnet's socket in
 * the other. Programs on both sides reach each other by their addresses on the one segment.
 */
@Timeout(180)
class VxlanIT {
    private static final String SERVER = "10.77.0.100";

    @Test
    void aKernelVxlanDeviceAndTapnetShareOneSegment(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("curl");
        TapTestEnvironment.assumeCommand("tshark");
        TapTestEnvironment.assumeCommand("ethtool");
        String left = TestNamespace.uniqueName();
        Path socket = dir.resolve("control.sock");
        try (TestNamespace underlay = TestNamespace.create(); TestNamespace kernel = TestNamespace.create();
             TestNamespace run = TestNamespace.create()) {
            KernelVxlan.join(underlay, kernel, "10.243.60.1", "10.243.60.2", SERVER + "/24");
            Path topology = dir.resolve("vxlan.yaml");
            Files.writeString(topology, """
                    tap: { address: 10.77.0.1/24, vxlan: { vni: 42, local: 10.243.60.1, remotes: [10.243.60.2], netns: %s } }
                    hosts:
                      web: { address: 10.77.0.10, services: [ { port: 80, http: { body: "hello from tapnet" } } ] }
                    ports:
                      left: { netns: %s, address: 10.77.0.101 }
                    script:
                      duration: 12s
                      probes:
                        to-kernel: { http: "http://%s:8080/", from: web, every: 500ms }
                      expect:
                        - { probe: to-kernel, at: end, success: ">= 80%%" }
                    """.formatted(underlay.name(), left, SERVER));
            try (KernelVxlan.Background server = KernelVxlan.httpServer(kernel, SERVER, dir);
                 TapnetProcess tapnet = TapnetProcess.start("run", "--netns", run.name(), "--control", socket.toString(),
                         "--report", dir.resolve("report").toString(), topology.toString())) {
                tapnet.awaitLine("Stop with Ctrl-C", 30);
                KernelVxlan.Background capture = KernelVxlan.capture(underlay, dir.resolve("underlay.pcap"));

                ExternalCommand fromKernel = kernel.exec(20, "curl", "-s", "-m", "5", "http://10.77.0.10/");
                assertEquals("hello from tapnet", fromKernel.output().strip(), "the kernel's vxlan side reaches a tapnet host: "
                        + fromKernel.describe());
                assertEquals(0, kernel.exec(20, "ping", "-c", "2", "-W", "2", "10.77.0.10").exitCode());
                ExternalCommand fromTap = run.exec(20, "curl", "-s", "-m", "5", "-o", "/dev/null", "-w", "%{http_code}",
                        "http://" + SERVER + ":8080/");
                assertEquals("200", fromTap.output().strip(), "the TAP's kernel reaches the server behind the vxlan device: "
                        + fromTap.describe());
                ExternalCommand fromPort = ExternalCommand.run(20, "ip", "netns", "exec", left, "curl", "-s", "-m", "5", "-o",
                        "/dev/null", "-w", "%{http_code}", "http://" + SERVER + ":8080/");
                assertEquals("200", fromPort.output().strip(), "a port reaches it: " + fromPort.describe());

                KernelVxlan.sendMalformed(kernel, "10.243.60.1", 42);
                String counters = CtlCounters.awaitMoved(socket, "drop.vxlan_other_vni");
                assertEquals(1, CtlCounters.count(counters, "drop.vxlan_malformed"), counters);
                assertEquals(1, CtlCounters.count(counters, "drop.vxlan_other_vni"), counters);
                assertEquals(1, CtlCounters.count(counters, "drop.vxlan_unknown_remote"), counters);
                assertTrue(CtlCounters.count(counters, "vxlan.datagrams_sent") > 0
                        && CtlCounters.count(counters, "vxlan.datagrams_received") > 3, "the underlay's own counts: " + counters);
                assertEquals(0, CtlCounters.count(counters, "vxlan.datagrams_unsent"), counters);

                capture.close();
                ExternalCommand decoded = ExternalCommand.run(30, "tshark", "-r", dir.resolve("underlay.pcap").toString(),
                        "-Y", "vxlan && ip.dst == " + SERVER, "-T", "fields", "-e", "vxlan.vni");
                assertTrue(decoded.output().lines().anyMatch(l -> l.strip().equals("42")),
                        "tshark decodes the underlay's datagrams as VXLAN of VNI 42: " + decoded.describe());

                TapnetProcess.awaitExit(tapnet, 40);
                assertEquals(0, tapnet.exitCode(), "the probe from a tapnet host to the kernel's server held: " + tapnet.output());
            }
        } finally {
            if (tapnet.tap.NetworkNamespace.exists(left)) {
                ExternalCommand.run(10, "ip", "netns", "del", left);
            }
        }
    }
}
