package tapnet.topology;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.topology.yaml.TopologyException;
import tapnet.topology.yaml.TopologyLoader;
import tapnet.topology.yaml.TopologySummary;
import tapnet.wire.Ipv4Address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files of many hosts, as {@code bench/many-hosts.sh} writes them: 100,000 hosts naming one list of
 * services through an alias load (beyond the YAML parser's own limits of 50 aliases and 3 MB), share that
 * list, and a mistake in it is said once; as many links as hosts load in linear time; what tapnet prints
 * about such a file stays short.
 */
class LargeTopologyTest {
    private static final String FIRST = "10.98.0.2";

    /** {@code hosts} hosts behind one router, all serving the services of the first (an anchor, {@code &web}). */
    private static String manyHosts(int hosts, String services, boolean links) {
        StringBuilder text = new StringBuilder("""
                name: many
                tap: { address: 10.96.0.1/24 }
                routers:
                  edge: { address: 10.96.0.2, subnet: 10.98.0.1/15 }
                hosts:
                """);
        int first = Ipv4Address.parse(FIRST);
        for (int i = 0; i < hosts; i++) {
            text.append(String.format("  h%06d: { address: %s, services: %s }%n", i, Ipv4Address.format(first + i),
                    i == 0 ? "&web " + services : "*web"));
        }
        if (links) {
            text.append("links:\n");
            for (int i = 0; i < hosts; i++) {
                text.append(String.format("  - { between: [edge, h%06d], delay: 1ms }%n", i));
            }
        }
        return text.toString();
    }

    @Test
    void aHundredThousandHostsSharingOneListOfServicesLoadAndShareIt() throws Exception {
        String text = manyHosts(100_000, "[ { port: 80, http: {} }, { port: 7, echo: {} } ]", false);
        assertTrue(text.length() > 3 << 20, "larger than the parser's default limit: " + text.length());
        Topology topology = TopologyLoader.parse("many.yaml", text);
        assertEquals(100_000, topology.hosts().size());
        List<ServiceSpec> services = topology.hosts().get(0).services();
        assertEquals(2, services.size());
        for (HostSpec host : topology.hosts()) {
            assertSame(services, host.services(), host.name());
        }
    }

    @Test
    void aMistakeInAListOfServicesThatHostsShareIsReportedOnce() {
        TopologyException e = assertThrows(TopologyException.class,
                () -> TopologyLoader.parse("many.yaml", manyHosts(1000, "[ { port: 80, htp: {} } ]", false)));
        assertEquals(1, e.errors().size(), e.getMessage());
        assertTrue(e.errors().get(0).toString().startsWith("many.yaml:6:"), e.errors().get(0).toString());
    }

    @Test
    @Timeout(20)
    void asManyLinksAsHostsLoad() throws Exception {
        Topology topology = TopologyLoader.parse("links.yaml", manyHosts(10_000, "[]", true));
        assertEquals(10_000, topology.links().size());
        assertEquals("h009999", topology.links().get(9_999).host());
        assertTrue(TopologySummary.of(topology).contains("  links: h000000, h000001, "), "the summary names a few links");
        assertTrue(TopologySummary.of(topology).contains(", h000019 and 9980 more\n"), TopologySummary.of(topology));
    }

    @Test
    void aNodeThatIsNotThereIsReportedWithAFewOfTheNamesThatAre() {
        String text = manyHosts(100, "[]", false) + "links:\n  - { between: [edge, nobody] }\n";
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.parse("links.yaml", text));
        String message = e.errors().get(0).toString();
        assertTrue(message.contains("there is no host or router named 'nobody'; expected one of: tap, edge, h000000, h000001,"),
                message);
        assertTrue(message.endsWith(", h000027, and 72 more"), message);
    }

    @Test
    void theSummaryOfManyHostsListsTheFirstAndTheLast() throws Exception {
        String summary = TopologySummary.of(TopologyLoader.parse("many.yaml", manyHosts(1000, "[ { port: 7, echo: {} } ]", false)));
        List<String> lines = summary.lines().toList();
        assertEquals("topology many, seed 0: 1000 hosts behind tapnet0 (kernel side 10.96.0.1/24, MTU 1500)", lines.get(0));
        assertEquals("  h000000  10.98.0.2    02:54:0a:62:00:02  7 echo", lines.get(1));
        assertEquals("  h000019  10.98.0.21   02:54:0a:62:00:15  7 echo", lines.get(20));
        assertEquals("  ... 979 more hosts ...", lines.get(21));
        assertEquals("  h000999  10.98.3.233  02:54:0a:62:03:e9  7 echo", lines.get(22));
        assertTrue(lines.get(23).startsWith("  router edge"), summary);
        assertEquals(24, lines.size(), summary);
    }

    @Test
    void theSummaryOfThirtyHostsListsThemAll() throws Exception {
        String summary = TopologySummary.of(TopologyLoader.parse("thirty.yaml", manyHosts(30, "[]", false)));
        assertEquals(1 + 30 + 1, summary.lines().count(), summary);
        assertTrue(!summary.contains("more hosts"), summary);
    }
}
