package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tapnet.topology.ProbeSpec;
import tapnet.topology.ProbeSpec.Kind;
import tapnet.script.RunReport.Sample;
import tapnet.tap.ExternalCommand;
import tapnet.tap.NetworkNamespace;
import tapnet.tap.TapTestEnvironment;
import tapnet.tap.TestNamespace;
import tapnet.cli.probe.KernelProbes;

/** Kernel probes from the run's namespace, through the TAP, to tapnet's virtual hosts. */
@Timeout(120)
class KernelProbesIT {
    @Test
    void theKernelsProbesReachTheVirtualHostsThroughTheTap(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("ping");
        Path topology = dir.resolve("probes.yaml");
        Files.writeString(topology, """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web:
                    address: 10.77.0.10
                    services:
                      - { port: 80, http: { body: "hello\\n" } }
                      - { port: 81, http: { status: 503, body: "busy\\n" } }
                      - { port: 7, echo: {} }
                      - { port: 9, discard: {} }
                """);
        String name;
        try (TestNamespace namespace = TestNamespace.create();
             TapnetProcess tapnet = TapnetProcess.start("run", "--netns", namespace.name(), topology.toString());
             KernelProbes probes = new KernelProbes(Map.of("tap", NetworkNamespace.existing(namespace.name())))) {
            name = namespace.name();
            tapnet.awaitLine("Stop with Ctrl-C", 30);

            Sample ping = take(probes, Kind.PING, "10.77.0.10", 2000, 0);
            assertEquals("ok", ping.outcome(), ping.toString());
            assertTrue(ping.value() > 0 && ping.value() < 2000, ping.toString());

            Sample connect = take(probes, Kind.CONNECT, "10.77.0.10:7", 2000, 0);
            assertEquals("ok", connect.outcome(), connect.toString());
            assertTrue(connect.value() >= 0 && connect.value() < 2000, connect.toString());
            // a port without a service answers the SYN with a reset
            assertEquals("refused", take(probes, Kind.CONNECT, "10.77.0.10:82", 2000, 0).outcome());

            Sample http = take(probes, Kind.HTTP, "http://10.77.0.10/", 2000, 0);
            assertTrue(http.ok(), http.toString());
            assertTrue(http.value() > 0, http.toString());
            Sample busy = take(probes, Kind.HTTP, "http://10.77.0.10:81/", 2000, 0);
            assertEquals("status 503", busy.outcome());
            assertFalse(busy.ok());

            Sample bulk = take(probes, Kind.BULK, "10.77.0.10:9", 20_000, 1 << 20);
            assertEquals("ok", bulk.outcome(), bulk.toString());
            assertTrue(bulk.value() > 0, bulk.toString());

            // no host at .99: ARP goes unanswered, so no reply (and no unreachable yet) within the second
            Sample lost = take(probes, Kind.PING, "10.77.0.99", 500, 0);
            assertEquals("lost", lost.outcome(), lost.toString());
            assertTrue(Double.isNaN(lost.value()));

            int code = tapnet.signalAndWait("TERM");
            assertTrue(code == 0 || code == 143, tapnet.output());
        }
        assertFalse(ExternalCommand.check("ip", "netns", "list").contains(name), "the test's namespace is gone");
    }

    private static Sample take(KernelProbes probes, Kind kind, String target, long timeoutMillis, long bytes) throws Exception {
        ProbeSpec probe = new ProbeSpec(kind.name().toLowerCase(), kind, target, "tap", Duration.ofSeconds(1),
                Duration.ofMillis(timeoutMillis), bytes);
        CompletableFuture<Sample> sample = new CompletableFuture<>();
        long at = System.nanoTime();
        probes.sample(probe, at, sample::complete);
        Sample s = sample.get(30, TimeUnit.SECONDS);
        assertEquals(at, s.atNanos());
        return s;
    }
}
