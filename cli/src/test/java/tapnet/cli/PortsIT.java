package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tapnet.tap.ExternalCommand;
import tapnet.tap.NetworkNamespace;
import tapnet.tap.TapTestEnvironment;
import tapnet.tap.TestNamespace;

/**
 * Real ports: two namespaces, each behind a TAP of tapnet's, with real programs talking through the
 * emulated links between them, as they would through netem.
 */
@Timeout(180)
class PortsIT {
    @Test
    void iperf3BetweenTwoPortsRunsAtTheLinksRateAndTheNamespacesGoAtExit(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("iperf3");
        TapTestEnvironment.assumeCommand("ping");
        String left = TestNamespace.uniqueName();
        String right = TestNamespace.uniqueName();
        Path topology = dir.resolve("ports.yaml");
        Files.writeString(topology, """
                tap: { address: 10.77.0.1/24 }
                routers:
                  edge: { address: 10.77.0.254, subnet: 10.79.1.1/24 }
                hosts:
                  web: { address: 10.77.0.10, services: [ { port: 80, http: {} } ] }
                  deep: { address: 10.79.1.10 }
                ports:
                  left: { netns: %s, address: 10.77.0.101 }
                  right: { netns: %s, address: 10.77.0.102 }
                links:
                  - { between: [tap, right], rate: 100mbit, delay: 5ms }
                """.formatted(left, right));
        try (TestNamespace namespace = TestNamespace.create();
             TapnetProcess tapnet = TapnetProcess.start("run", "--netns", namespace.name(), topology.toString())) {
            tapnet.awaitLine("Stop with Ctrl-C", 30);
            assertTrue(NetworkNamespace.exists(left) && NetworkNamespace.exists(right), tapnet.output());

            // The virtual host answers a port, and the port's link is crossed both ways (5 ms each).
            ExternalCommand ping = exec(right, 20, "ping", "-c", "3", "-i", "0.2", "-W", "2", "10.77.0.10");
            assertEquals(0, ping.exitCode(), ping.describe());
            for (double t : times(ping.output())) {
                assertTrue(t >= 10 && t < 40, "RTT across right's 5 ms link, both ways: " + t + " ms");
            }
            assertEquals(0, exec(left, 20, "ping", "-c", "2", "-W", "2", "10.77.0.102").exitCode(), "port to port");
            ExternalCommand behindRouter = exec(left, 20, "ping", "-c", "2", "-W", "2", "10.79.1.10");
            assertEquals(0, behindRouter.exitCode(), "a port reaches a host behind a router: " + behindRouter.describe());
            assertTrue(behindRouter.output().contains("ttl=63"), "one router on the way back: " + behindRouter.output());
            assertEquals(0, namespace.exec(20, "ping", "-c", "2", "-W", "2", "10.77.0.101").exitCode(), "TAP to port");

            ExternalCommand server = exec(right, 10, "iperf3", "-s", "-D", "-1", "-B", "10.77.0.102");
            assertEquals(0, server.exitCode(), server.describe());
            Thread.sleep(300); // the daemon binds after it forks
            ExternalCommand client = exec(left, 60, "iperf3", "-c", "10.77.0.102", "-t", "5", "-f", "m");
            assertEquals(0, client.exitCode(), client.describe());
            double mbits = receiverRate(client.output());
            // 100 Mbit/s of frames carry about 95 Mbit/s of TCP payload (1448 of every 1514 bytes).
            assertTrue(mbits > 85 && mbits < 101, "iperf3 through a 100 Mbit/s link: " + mbits + " Mbit/s\n" + client.output());

            int code = tapnet.signalAndWait("TERM");
            assertTrue(code == 0 || code == 143, tapnet.output());
        } finally {
            boolean leftStayed = removeIfThere(left);
            boolean rightStayed = removeIfThere(right);
            assertFalse(leftStayed || rightStayed, "tapnet removes the port namespaces it made when it exits");
        }
    }

    @Test
    void iperf3OverIpv6BetweenTwoPortsRunsAtTheLinksRate(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("iperf3");
        String left = TestNamespace.uniqueName();
        String right = TestNamespace.uniqueName();
        Path topology = dir.resolve("ports6.yaml");
        Files.writeString(topology, """
                tap: { address: 10.77.0.1/24, address6: fd77::1/64 }
                routers:
                  edge: { address: 10.77.0.254, subnet: 10.79.1.1/24, address6: fd77::fe, subnet6: fd79:1::1/64 }
                hosts:
                  web: { address: 10.77.0.10, address6: fd77::10, services: [ { port: 80, http: {} } ] }
                  deep: { address: 10.79.1.10, address6: fd79:1::10 }
                ports:
                  left: { netns: %s, address: 10.77.0.101, address6: fd77::101 }
                  right: { netns: %s, address: 10.77.0.102, address6: fd77::102 }
                links:
                  - { between: [tap, right], rate: 100mbit, delay: 5ms }
                """.formatted(left, right));
        try (TestNamespace namespace = TestNamespace.create();
             TapnetProcess tapnet = TapnetProcess.start("run", "--netns", namespace.name(), topology.toString())) {
            tapnet.awaitLine("Stop with Ctrl-C", 30);
            ExternalCommand ping = exec(right, 20, "ping", "-6", "-c", "3", "-i", "0.2", "-W", "2", "fd77::10");
            assertEquals(0, ping.exitCode(), "a port reaches a virtual host over IPv6: " + ping.describe());
            for (double t : times(ping.output())) {
                assertTrue(t >= 10 && t < 40, "RTT across right's 5 ms link, both ways: " + t + " ms");
            }
            assertEquals(0, exec(left, 20, "ping", "-6", "-c", "2", "-W", "2", "fd77::102").exitCode(), "port to port");
            assertEquals(0, namespace.exec(20, "ping", "-6", "-c", "2", "-W", "2", "fd77::101").exitCode(), "TAP to port");
            ExternalCommand behindRouter = exec(left, 20, "ping", "-6", "-c", "2", "-W", "2", "fd79:1::10");
            assertEquals(0, behindRouter.exitCode(), "a port's route to a router's subnet6: " + behindRouter.describe());
            assertTrue(behindRouter.output().contains("ttl=63"), "one router on the way back: " + behindRouter.output());

            ExternalCommand server = exec(right, 10, "iperf3", "-s", "-D", "-1", "-B", "fd77::102");
            assertEquals(0, server.exitCode(), server.describe());
            Thread.sleep(300); // the daemon binds after it forks
            ExternalCommand client = exec(left, 60, "iperf3", "-6", "-c", "fd77::102", "-t", "5", "-f", "m");
            assertEquals(0, client.exitCode(), client.describe());
            double mbits = receiverRate(client.output());
            // 100 Mbit/s of frames carry about 94 Mbit/s of TCP payload over IPv6 (1428 of every 1514 bytes).
            assertTrue(mbits > 85 && mbits < 101, "iperf3 -6 through a 100 Mbit/s link: " + mbits + " Mbit/s\n" + client.output());
        } finally {
            removeIfThere(left);
            removeIfThere(right);
        }
    }

    /** Whether namespace {@code name} was still there; if so it is removed, so that no test leaves one. */
    private static boolean removeIfThere(String name) {
        if (!NetworkNamespace.exists(name)) {
            return false;
        }
        ExternalCommand.run(10, "ip", "netns", "del", name);
        return true;
    }

    private static ExternalCommand exec(String netns, int timeoutSeconds, String... command) {
        String[] full = new String[command.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = netns;
        System.arraycopy(command, 0, full, 4, command.length);
        return ExternalCommand.run(timeoutSeconds, full);
    }

    private static java.util.List<Double> times(String pingOutput) {
        return Pattern.compile("time=([0-9.]+) ms").matcher(pingOutput).results()
                .map(m -> Double.parseDouble(m.group(1))).toList();
    }

    /** The receiver's summary line: "[  5]   0.00-5.05  sec  57.0 MBytes  94.6 Mbits/sec   receiver". */
    private static double receiverRate(String iperfOutput) {
        Matcher m = Pattern.compile("([0-9.]+) Mbits/sec\\s+receiver").matcher(iperfOutput);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
