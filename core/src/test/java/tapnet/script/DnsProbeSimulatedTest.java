package tapnet.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tapnet.report.ReportJson;
import tapnet.topology.Topology;
import tapnet.topology.yaml.TopologyLoader;

/**
 * dns probes from virtual hosts on the virtual clock ({@code --simulate}): the engine's own UDP asks the
 * topology's DNS server, ARP first; a known name is ok, an unknown one NXDOMAIN, and a lossy link shows
 * as timeouts inside its window, as the expectations say.
 */
class DnsProbeSimulatedTest {
    private static final String TOPOLOGY = """
            tap: { address: 10.77.0.1/24 }
            routers:
              edge: { address: 10.77.0.254, subnet: 10.78.0.1/24 }
            hosts:
              client: { address: 10.77.0.30 }
              far: { address: 10.78.0.30 }
              db: { address: 10.77.0.20 }
            links:
              - { between: [tap, client], delay: 2ms }
            dns: { address: 10.77.0.53, domain: shop.test }
            script:
              duration: 6s
              probes:
                known: { dns: db, from: client, every: 250ms, timeout: 500ms }
                missing: { dns: nothere, from: client, every: 500ms }
                six: { dns: db, type: AAAA, from: client, every: 1s }
                behind: { dns: db.shop.test., from: far, every: 1s }
              events:
                - { at: 2s, link: { between: [tap, client], delay: 2ms, loss: 100% } }
                - { at: 4s, link: { between: [tap, client], delay: 2ms } }
              expect:
                - { name: "db resolves before the loss", probe: known, during: [0s, 2s], success: "== 100%" }
                - { name: "db fails while the link loses all", probe: known, during: [2s, 3500ms], success: "== 0%" }
                - { name: "db resolves after it", probe: known, during: [4s, 6s], success: "== 100%" }
                - { name: "nothere never resolves", probe: missing, at: end, success: "== 0%" }
                - { name: "a host behind a router resolves too", probe: behind, at: end, success: "== 100%" }
            """;

    @Test
    void knownNamesResolveUnknownOnesAreNxdomainAndALossyLinkTimesOutInsideItsWindow(@TempDir Path dir) throws Exception {
        Topology topology = TopologyLoader.parse("dns.yaml", TOPOLOGY);
        assertNull(SimulatedRun.problem(topology), "dns probes from virtual hosts run simulated");
        RunReport report = SimulatedRun.run(topology, "dns.yaml", "test", dir);
        assertTrue(report.passed(), report.expectations().toString());

        List<RunReport.Sample> known = report.probes().get(0).samples();
        assertEquals(24, known.size(), "every 250 ms for 6 s");
        RunReport.Sample first = known.get(0);
        assertTrue(first.ok() && "ok".equals(first.outcome()), first.toString());
        assertTrue(first.value() >= 4, "the link's 2 ms each way, ARP's round trip first: " + first);
        assertEquals(4, known.get(1).value(), 0.01, "the link's 2 ms each way, the MAC known: " + known.get(1));
        for (RunReport.Sample s : known) {
            if (s.atNanos() >= 2_000_000_000L && s.atNanos() < 4_000_000_000L) {
                assertEquals("timeout", s.outcome(), s.toString());
            }
        }
        for (RunReport.Sample s : report.probes().get(1).samples()) {
            assertTrue(!s.ok() && (s.outcome().equals("NXDOMAIN") || s.outcome().equals("timeout")), s.toString());
        }
        assertEquals("NXDOMAIN", report.probes().get(1).samples().get(0).outcome());
        assertEquals("no data", report.probes().get(2).samples().get(0).outcome(), "db has an A record, no AAAA");
        assertEquals("db.shop.test AAAA", report.probes().get(2).target());
    }

    @Test
    void theSameRunTwiceGivesTheSameReport(@TempDir Path dir) throws Exception {
        Topology topology = TopologyLoader.parse("dns.yaml", TOPOLOGY);
        ReportJson.write(dir.resolve("a.json"), SimulatedRun.run(topology, "dns.yaml", "test", null));
        ReportJson.write(dir.resolve("b.json"), SimulatedRun.run(topology, "dns.yaml", "test", null));
        assertEquals(java.nio.file.Files.readString(dir.resolve("a.json")), java.nio.file.Files.readString(dir.resolve("b.json")));
        assertFalse(java.nio.file.Files.readString(dir.resolve("a.json")).isEmpty());
    }
}
