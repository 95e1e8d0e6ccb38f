package tapnet.cli.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tapnet.build.EngineBuilder;
import tapnet.tap.ExternalCommand;
import tapnet.tap.InterfaceAddress;
import tapnet.tap.InterfaceSettings;
import tapnet.tap.TapDevice;
import tapnet.tap.TapEmulator;
import tapnet.tap.TapTestEnvironment;
import tapnet.tap.TestNamespace;
import tapnet.time.LiveClock;
import tapnet.topology.Topology;
import tapnet.topology.yaml.TopologyLoader;

/**
 * Scrapes of a live engine behind a TAP, taken while curl's requests flow through it and read by the Python
 * client's parsers each time; the last one, after the traffic, counts every connection and request.
 */
@Timeout(180)
class MetricsIT {
    private static final int REQUESTS = 40;
    private static final String TOPOLOGY = """
            tap: { address: 10.77.0.1/24 }
            hosts:
              web:
                address: 10.77.0.10
                services:
                  - port: 80
                    http:
                      routes:
                        - { path: /a, body: "a\\n" }
                    faults:
                      - { refuse: {}, first: 1 }
            links:
              - { between: [tap, web], delay: 1ms }
            """;

    @TempDir
    Path dir;

    @Test
    void scrapesTakenWhileTrafficFlowsParseAndTheLastCountsIt() throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("curl");
        PythonPrometheusParser.require();
        Topology topology = TopologyLoader.parse("metrics.yaml", TOPOLOGY);
        try (TestNamespace ns = TestNamespace.create()) {
            TapDevice tap = ns.call(() -> {
                TapDevice device = TapDevice.open("tapnet0", false);
                device.configure(new InterfaceSettings(InterfaceAddress.parse("10.77.0.1/24"), 1500));
                return device;
            });
            try (TapEmulator tapnet = TapEmulator.start(tap, 1500, sink -> EngineBuilder.build(topology, new LiveClock(), sink))) {
                AtomicReference<ExternalCommand> curl = new AtomicReference<>();
                Thread traffic = new Thread(() -> curl.set(ns.exec(120, "sh", "-c",
                        "curl -s -o /dev/null http://10.77.0.10/a; " // refused by the fault
                                + "for i in $(seq " + REQUESTS + "); do curl -sf -o /dev/null http://10.77.0.10/a || exit 1; done")));
                traffic.start();
                int scrapes = 0;
                do {
                    scrapes++;
                    parse(tapnet);
                } while (traffic.isAlive());
                traffic.join();
                assertEquals(0, curl.get().exitCode(), curl.get().describe());
                List<String> last = parse(tapnet);
                for (String format : List.of("text", "openmetrics")) {
                    for (String expected : List.of(
                            "counter tapnet_service_connections_total{host=web,outcome=opened,port=80} " + REQUESTS,
                            "counter tapnet_service_connections_total{host=web,outcome=refused,port=80} 1",
                            "counter tapnet_service_faults_total{fault=refuse,host=web,port=80} 1",
                            "counter tapnet_http_requests_total{host=web,port=80,route=1,status=200} " + REQUESTS,
                            "counter tapnet_link_frames_total{direction=to_node,link=web,outcome=lost} 0",
                            "gauge tapnet_ring_capacity{} 4096")) {
                        assertTrue(last.contains(format + " " + expected), format + " " + expected + " in\n" + String.join("\n", last));
                    }
                }
                assertTrue(scrapes > 1, "scraped while traffic flowed: " + scrapes);
            }
        }
    }

    /** Scrapes in both formats and parses them with the Python client; the samples. */
    private List<String> parse(TapEmulator tapnet) throws Exception {
        Path text = Files.writeString(dir.resolve("metrics.txt"), MetricsExposition.scrape(tapnet, Map.of(), false));
        Path openMetrics = Files.writeString(dir.resolve("metrics.om"), MetricsExposition.scrape(tapnet, Map.of(), true));
        return PythonPrometheusParser.samples(text, openMetrics);
    }
}
