package tapnet.topology.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.topology.ProbeSpec;
import tapnet.topology.Topology;
import tapnet.wire.Ipv4Address;

/**
 * A script's {@code dns:} probes: the name qualified under the topology's domain, the type A unless
 * {@code type:} says, the server the topology's; each mistake at its line and column.
 */
class DnsProbeReaderTest {
    /** A network with a DNS server; what a test adds starts on line 8, indented by two. */
    private static final String HEAD = """
            name: shop
            tap: { address: 10.77.0.1/24 }
            hosts: { web: { address: 10.77.0.10 } }
            dns: { address: 10.77.0.53, domain: shop.test }
            script:
              duration: 30s
              probes:
            """;

    @Test
    void aNameIsQualifiedUnderTheDomainAndAsksTheTopologysServerForAByDefault() throws Exception {
        Topology topology = TopologyLoader.parse("shop.yaml", HEAD + """
                    web:  { dns: web, every: 500ms, timeout: 2s }
                    full: { dns: db.shop.test }
                    out:  { dns: Example.ORG., type: aaaa, from: web }
                """);
        List<ProbeSpec> probes = topology.script().probes();
        ProbeSpec web = probes.get(0);
        assertEquals(ProbeSpec.Kind.DNS, web.kind());
        assertEquals("web.shop.test", web.target());
        assertEquals(new ProbeSpec.DnsQuery("web.shop.test", "A", Ipv4Address.parse("10.77.0.53")), web.dns());
        assertEquals("tap", web.from());
        assertEquals("ms", web.kind().unit());
        assertEquals("db.shop.test", probes.get(1).dns().name());
        assertEquals(new ProbeSpec.DnsQuery("example.org", "AAAA", Ipv4Address.parse("10.77.0.53")), probes.get(2).dns());
        assertEquals(28, probes.get(2).dns().typeCode());
        assertEquals("web", probes.get(2).from());
    }

    @Test
    void otherProbesHaveNoDnsQuery() throws Exception {
        Topology topology = TopologyLoader.parse("shop.yaml", HEAD + "    rtt: { ping: 10.77.0.10 }\n");
        assertNull(topology.script().probes().get(0).dns());
    }

    @Test
    void aTypeOnAProbeOfAnotherKindIsReported() {
        assertErrors(HEAD + "    rtt: { ping: 10.77.0.10, type: A }\n",
                "shop.yaml:8:30: 'type' is for dns probes, and probe 'rtt' is a ping probe; expected type only with dns");
    }

    @Test
    void anUnknownTypeIsReported() {
        assertErrors(HEAD + "    web: { dns: web, type: NS }\n",
                "shop.yaml:8:28: 'NS' is not a record type a dns probe asks for; expected one of: A, AAAA, CNAME, TXT, SRV, MX, PTR");
    }

    @Test
    void aDnsProbeInATopologyWithoutDnsIsReported() {
        assertErrors(HEAD.replace("dns: { address: 10.77.0.53, domain: shop.test }\n", "") + "    web: { dns: web }\n",
                "shop.yaml:7:17: probe 'web' asks the topology's DNS server, and this topology has none; expected a dns:"
                        + " section at the top, like dns: { address: 10.77.0.53, domain: shop.test }");
    }

    @Test
    void aNameThatIsNoDomainNameIsReported() {
        assertErrors(HEAD + """
                    a: { dns: "web..shop" }
                    b: { dns: "we b" }
                    c: { dns: . }
                """,
                "shop.yaml:8:15: 'web..shop' has a label of 0 characters; expected 1 to 63 between dots",
                "shop.yaml:9:15: 'we b' has ' ' in it; expected letters, digits, '-' or '_' between dots",
                "shop.yaml:10:15: the root is no name to ask for; expected a domain name, relative to the topology's DNS"
                        + " domain unless it ends with a dot, like web or db.shop.test");
    }

    @Test
    void aNameTooLongUnderTheDomainIsReported() {
        String label = "a".repeat(61); // 247 characters: a name alone, too long with .shop.test
        String name = String.join(".", label, label, label, label);
        assertErrors(HEAD + "    long: { dns: " + name + " }\n",
                "shop.yaml:8:18: '" + name + ".shop.test' (the name under the domain shop.test) is longer than a domain"
                        + " name may be (255 bytes in wire form); expected a shorter name, like web");
    }

    @Test
    void aDnsProbeInAFileWithOtherMistakesAddsNoneOfItsOwn() {
        assertErrors(HEAD.replace("10.77.0.10", "10.77.0.300") + "    web: { dns: web }\n",
                "shop.yaml:3:26: '10.77.0.300' is not an IPv4 address; expected four numbers from 0 to 255, like 10.77.0.10");
    }

    private static void assertErrors(String text, String... expected) {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.parse("shop.yaml", text));
        assertEquals(List.of(expected), e.errors().stream().map(TopologyError::toString).toList());
    }
}
