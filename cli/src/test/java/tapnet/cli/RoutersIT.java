package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.tap.ExternalCommand;
import tapnet.tap.TapTestEnvironment;
import tapnet.tap.TestNamespace;

/** The bundled routers topology as the kernel meets it: routes, hops, TTL, delays. */
@Timeout(120)
class RoutersIT {
    @Test
    void theKernelReachesHostsBehindRoutersHopByHop() throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("ping");
        TapTestEnvironment.assumeCommand("curl");
        String file = TapnetProcess.topologies().resolve("routers.yaml").toString();
        try (TestNamespace namespace = TestNamespace.create();
             TapnetProcess tapnet = TapnetProcess.start("run", "--netns", namespace.name(), file)) {
            tapnet.awaitLine("Stop with Ctrl-C", 30);
            String routes = namespace.ip("route");
            assertTrue(routes.contains("10.79.1.0/24 via 10.79.0.254"), routes);
            assertTrue(routes.contains("10.79.2.0/24 via 10.79.0.254"), routes);

            ExternalCommand hop1 = namespace.exec(10, "ping", "-n", "-c", "1", "-t", "1", "-W", "2", "10.79.2.10");
            assertTrue(hop1.output().contains("From 10.79.0.254") && hop1.output().contains("exceeded"), hop1.describe());
            ExternalCommand hop2 = namespace.exec(10, "ping", "-n", "-c", "1", "-t", "2", "-W", "2", "10.79.2.10");
            assertTrue(hop2.output().contains("From 10.79.1.2") && hop2.output().contains("exceeded"), hop2.describe());

            ExternalCommand ping = namespace.exec(20, "ping", "-n", "-c", "3", "-i", "0.2", "-W", "2", "10.79.2.10");
            assertEquals(0, ping.exitCode(), ping.describe());
            assertTrue(ping.output().contains("ttl=62"), "two routers on the way back: " + ping.output());
            double last = Double.parseDouble(ping.output().replaceAll("(?s).*time=([0-9.]+) ms.*", "$1"));
            assertTrue(last >= 34 && last < 60, "2 × (5 + 10 + 2) ms: " + last);

            ExternalCommand curl = namespace.exec(20, "curl", "-sS", "--max-time", "10", "http://10.79.2.10/");
            assertEquals("deep\n", curl.output(), curl.describe());

            // traceroute's UDP probes: time exceeded from each router in order, then port unreachable from deep.
            ExternalCommand trace = namespace.exec(30, "traceroute", "-n", "-q", "1", "-w", "2", "10.79.2.10");
            assertEquals(0, trace.exitCode(), trace.describe());
            java.util.List<String> hops = trace.output().lines().skip(1).map(l -> l.trim().split("\\s+")[1]).toList();
            assertEquals(java.util.List.of("10.79.0.254", "10.79.1.2", "10.79.2.10"), hops, trace.output());

            // An address on core's subnet where no host is: core answers host unreachable.
            ExternalCommand nobody = namespace.exec(10, "ping", "-n", "-c", "1", "-W", "2", "10.79.2.99");
            assertTrue(nobody.output().contains("From 10.79.1.2") && nobody.output().contains("Host Unreachable"),
                    nobody.describe());
        }
    }
}
