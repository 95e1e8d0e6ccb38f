package tapnet.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tapnet.topology.Topology;
import tapnet.topology.yaml.TopologyLoader;

/**
 * A virtual host's probes over IPv6 on the virtual clock: ping, connect and http to another host's IPv6
 * address, across a delayed link and through a partition, judged as IPv4 probes are.
 */
class Ipv6ProbesSimulatedTest {
    private static final String TOPOLOGY = """
            name: probes6
            seed: 5
            tap: { address: 10.77.0.1/24, address6: fd77::1/64 }
            hosts:
              client: { address: 10.77.0.5, address6: fd77::5 }
              web:
                address: 10.77.0.10
                address6: fd77::10
                services:
                  - { port: 80, http: { body: "six\\n" } }
                  - { port: 7, echo: {} }
            links:
              - { between: [tap, web], delay: 10ms }
            script:
              duration: 20s
              probes:
                ping6: { ping: "fd77::10", from: client, every: 500ms }
                echo6: { connect: "[fd77::10]:7", from: client, every: 500ms }
                http6: { http: "http://[fd77::10]/", from: client, every: 1s }
              events:
                - { at: 10s, partition: [[client], [web]] }
                - { at: 15s, heal: true }
              expect:
                - { name: "ping answers before the split", probe: ping6, during: [0s, 10s], success: "== 100%" }
                - { name: "about two link delays, once the neighbour is known", probe: ping6, during: [0.5s, 10s], max: "< 25ms" }
                - { name: "the split stops IPv6 as it stops IPv4", probe: echo6, during: [10.5s, 14.5s], success: "== 0%" }
                - { name: "http answers after the heal", probe: http6, during: [16s, 20s], success: "== 100%" }
            """;

    @Test
    void aVirtualHostProbesAnotherOverIpv6(@TempDir Path dir) throws Exception {
        Topology topology = TopologyLoader.parse("probes6.yaml", TOPOLOGY);
        RunReport report = SimulatedRun.run(topology, "probes6.yaml", "test", dir);
        assertTrue(report.passed(), report.expectations().toString());
        RunReport.Probe ping = report.probes().stream().filter(p -> p.name().equals("ping6")).findFirst().orElseThrow();
        RunReport.Sample first = ping.samples().get(0);
        assertTrue(first.ok() && first.value() >= 40 && first.value() < 45,
                "a neighbour solicitation and its answer first, then the echo: twice 10 ms each way: " + first);
        RunReport.Sample second = ping.samples().get(1);
        assertTrue(second.ok() && second.value() >= 20 && second.value() < 25, "10 ms each way across web's link: " + second);
        assertTrue(report.counters().get("ndp_solicitations") >= 1, report.counters().toString());
        assertEquals(40, ping.samples().size());
    }
}
