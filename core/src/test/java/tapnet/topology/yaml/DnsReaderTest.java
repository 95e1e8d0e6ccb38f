package tapnet.topology.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.topology.DnsRecordSpec;
import tapnet.topology.DnsRecordSpec.Type;
import tapnet.topology.DnsSpec;
import tapnet.topology.Topology;
import tapnet.wire.Ipv4Address;

/** {@code dns:} read into its model, and each mistake in it reported at its file:line:column. */
class DnsReaderTest {
    /** Hosts end on line 3; dns begins on line 4. */
    private static final String HEAD = """
            tap: { address: 10.77.0.1/24 }
            hosts:
              web: { address: 10.77.0.10 }
            """;

    @Test
    void aServerWithRecordsOfEveryType() throws Exception {
        Topology t = TopologyLoader.parse("shop.yaml", HEAD + """
                dns:
                  address: 10.77.0.53
                  domain: shop.test
                  ttl: 30
                  records:
                    - { name: www, type: CNAME, value: web }
                    - { name: api, type: a, value: 10.77.0.20, ttl: 5 }
                    - { name: web, type: AAAA, value: "fd00::10" }
                    - { name: "@", type: TXT, value: "v=spf1 -all" }
                    - { name: _http._tcp, type: SRV, value: 10 5 80 web }
                    - { name: "@", type: MX, value: 10 mail }
                """);
        DnsSpec dns = t.dns();
        assertEquals(Ipv4Address.parse("10.77.0.53"), dns.address());
        assertEquals("shop.test", dns.domain());
        assertEquals(30, dns.ttl());
        assertEquals(List.of(
                new DnsRecordSpec("www", Type.CNAME, DnsRecordSpec.INHERIT, "web"),
                new DnsRecordSpec("api", Type.A, 5, "10.77.0.20"),
                new DnsRecordSpec("web", Type.AAAA, DnsRecordSpec.INHERIT, "fd00::10"),
                new DnsRecordSpec("@", Type.TXT, DnsRecordSpec.INHERIT, "v=spf1 -all"),
                new DnsRecordSpec("_http._tcp", Type.SRV, DnsRecordSpec.INHERIT, "10 5 80 web"),
                new DnsRecordSpec("@", Type.MX, DnsRecordSpec.INHERIT, "10 mail")), dns.records());
    }

    @Test
    void withoutDnsThereIsNoServerAndWithoutRecordsOnlyTheNodesNames() throws Exception {
        assertNull(TopologyLoader.parse("shop.yaml", HEAD).dns());
        DnsSpec dns = TopologyLoader.parse("shop.yaml", HEAD + "dns: { address: 10.77.0.53, domain: shop.test }\n").dns();
        assertEquals(DnsSpec.DEFAULT_TTL, dns.ttl());
        assertEquals(List.of(), dns.records());
    }

    @Test
    void theSummarySaysTheServerIsReadButNotServedYet() throws Exception {
        Topology t = TopologyLoader.parse("shop.yaml", HEAD + """
                dns: { address: 10.77.0.53, domain: shop.test, records: [ { name: www, type: CNAME, value: web } ] }
                """);
        assertTrue(TopologySummary.of(t).contains("\n  dns: shop.test at 10.77.0.53, 1 record besides the nodes' (served on UDP and TCP port 53 by node dns@10.77.0.53)\n"),
                TopologySummary.of(t));
    }

    @Test
    void theAddressAndDomainAreRequired() {
        assertErrors(HEAD + "dns: { records: [] }\n",
                "shop.yaml:4:1: dns has no 'address'; expected the address the DNS server answers on, like 10.77.0.53",
                "shop.yaml:4:1: dns has no 'domain'; expected the domain the nodes are named under, like shop.test");
    }

    @Test
    void theAddressMustBeAFreeAddressOfTheTapsSubnet() {
        assertErrors(HEAD + "dns: { address: 10.77.0.10, domain: shop.test }\n",
                "shop.yaml:4:17: the DNS server's address 10.77.0.10 is host web's");
        assertErrors(HEAD + "dns: { address: 10.78.0.53, domain: shop.test }\n",
                "shop.yaml:4:17: DNS server: 10.78.0.53 is outside the TAP's subnet 10.77.0.0/24;"
                        + " expected an address from 10.77.0.2 to 10.77.0.254");
        assertErrors(HEAD + "dns: { address: 10.77.0.1, domain: shop.test }\n",
                "shop.yaml:4:17: DNS server: 10.77.0.1 is the kernel's side of the TAP (tap.address);"
                        + " expected an address from 10.77.0.2 to 10.77.0.254");
        assertErrors(HEAD + "dns: { address: 10.77.0, domain: shop.test }\n",
                "shop.yaml:4:17: '10.77.0' is not an IPv4 address; expected four numbers from 0 to 255, like 10.77.0.10");
    }

    @Test
    void aDomainMustBeADomainName() {
        assertErrors(HEAD + "dns: { address: 10.77.0.53, domain: shop..test }\n",
                "shop.yaml:4:37: 'shop..test' has a label of 0 characters; expected 1 to 63 between dots;"
                        + " expected a domain like shop.test");
    }

    @Test
    void eachRecordsMistakeIsReportedWhereItIs() {
        assertErrors(HEAD + """
                dns:
                  address: 10.77.0.53
                  domain: shop.test
                  records:
                    - { name: www, type: CNAMe, value: web, tll: 5 }
                    - { name: api, type: PTR, value: x }
                    - { name: "a b", type: A, value: 10.77.0.300 }
                    - { name: s, type: SRV, value: 10 80 web }
                    - { name: m, type: MX, value: 10 mail, ttl: -1 }
                    - { type: TXT }
                    - just text
                """,
                "shop.yaml:8:45: 'tll' is not a key of a DNS record; expected one of: name, type, value, ttl",
                "shop.yaml:9:26: 'PTR' is not a record type tapnet serves; expected A, AAAA, CNAME, TXT, SRV or MX",
                "shop.yaml:10:15: 'a b' has ' ' in it; expected letters, digits, '-' or '_' between dots; expected a name like www or @",
                "shop.yaml:10:38: '10.77.0.300' is not an IPv4 address; expected one like 10.77.0.20",
                "shop.yaml:11:36: '10 80 web' is not an SRV value; expected priority, weight, port (0 to 65535) and target, like 10 5 80 web",
                "shop.yaml:12:49: ttl -1 is out of range; expected a TTL from 0 to 2147483647 seconds, like 60",
                "shop.yaml:13:7: this DNS record has no 'name'; expected the name it is for, like www (under the domain) or @ (the domain itself)",
                "shop.yaml:13:7: this DNS record has no 'value'; expected what it holds, like 10.77.0.20 for A or web for CNAME",
                "shop.yaml:14:7: 'just text' is not a DNS record; expected a mapping with keys from: name, type, value, ttl");
    }

    @Test
    void aCnameMayNotShareItsNameWithANodeOrAnotherRecord() {
        assertErrors(HEAD + """
                dns:
                  address: 10.77.0.53
                  domain: shop.test
                  records:
                    - { name: web, type: CNAME, value: www }
                    - { name: api, type: A, value: 10.77.0.20 }
                    - { name: API.shop.test, type: CNAME, value: web }
                """,
                "shop.yaml:8:15: web.shop.test has a CNAME and is also host web; expected a CNAME alone on its name (RFC 1034 §3.6.2)",
                "shop.yaml:10:15: api.shop.test has a CNAME and is also the A record on line 9;"
                        + " expected a CNAME alone on its name (RFC 1034 §3.6.2)");
    }

    @Test
    void aNameTooLongOnceUnderTheDomainIsReported() {
        String label = "a".repeat(63);
        String longName = label + "." + label + "." + label + "." + "a".repeat(60); // 254 bytes, 264 under shop.test
        String head = "dns: { address: 10.77.0.53, domain: shop.test, records: [ { name: ";
        String middle = ", type: CNAME, value: ";
        String tooLong = "'" + longName + ".shop.test' is longer than a domain name may be (255 bytes in wire form);"
                + " expected a shorter name";
        assertErrors(HEAD + head + longName + middle + longName + " } ] }\n",
                "shop.yaml:4:" + (head.length() + 1) + ": " + tooLong,
                "shop.yaml:4:" + (head.length() + longName.length() + middle.length() + 1) + ": " + tooLong);
    }

    @Test
    void recordsMustBeAList() {
        assertErrors(HEAD + "dns: { address: 10.77.0.53, domain: shop.test, records: { www: web } }\n",
                "shop.yaml:4:57: 'records' is a mapping; expected a list of records,"
                        + " like records: [ { name: www, type: CNAME, value: web } ]");
    }

    @Test
    void theModelChecksWhatTheReaderChecks() {
        assertThrows(IllegalArgumentException.class, () -> new DnsRecordSpec("www", Type.A, 5, "web"));
        assertThrows(IllegalArgumentException.class, () -> new DnsSpec(1, ".", 5, List.of()));
    }

    private static void assertErrors(String text, String... expected) {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.parse("shop.yaml", text));
        assertEquals(List.of(expected), e.errors().stream().map(TopologyError::toString).toList());
    }
}
