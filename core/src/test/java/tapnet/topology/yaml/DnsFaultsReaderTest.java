package tapnet.topology.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.dns.DnsFaults.Kind;
import tapnet.dns.DnsFaults.Rule;
import tapnet.select.Selector;
import tapnet.topology.Action;
import tapnet.topology.Topology;
import tapnet.wire.Ipv4Address;

/**
 * {@code dns: faults:}, a script's {@code dnsFaults:} event and {@code tapnet ctl dnsFaults} read into rules,
 * each mistake reported at its line and column.
 */
class DnsFaultsReaderTest {
    /** The dns section's faults begin on line 5. */
    private static final String HEAD = """
            tap: { address: 10.77.0.1/24 }
            hosts: { web: { address: 10.77.0.10 } }
            dns:
              address: 10.77.0.53
              domain: shop.test
            """;
    private static final Selector ALL = new Selector.All();

    private static List<Rule> faults(String list) throws Exception {
        return TopologyLoader.parse("shop.yaml", HEAD + "  faults: " + list + "\n").dns().faults();
    }

    private static void assertErrors(String list, String... expected) {
        TopologyException e = assertThrows(TopologyException.class,
                () -> TopologyLoader.parse("shop.yaml", HEAD + "  faults: " + list + "\n"));
        assertEquals(List.of(expected), e.errors().stream().map(TopologyError::toString).toList());
    }

    @Test
    void everyKindReadsWithItsValueAndSelector() throws Exception {
        assertEquals(List.of(
                new Rule("db", Kind.NXDOMAIN, 0, new Selector.First(2)),
                new Rule("*.shop.test", Kind.DELAY, 2_000_000_000L, new Selector.Probability(0.1)),
                new Rule("api", Kind.WRONG_ADDRESS, Ipv4Address.parse("10.77.0.99") & 0xffff_ffffL, ALL),
                new Rule("*", Kind.TTL, 0, ALL),
                new Rule("big", Kind.TRUNCATE, 0, ALL),
                new Rule(null, Kind.SERVFAIL, 0, new Selector.Probability(0.05)),
                new Rule("example.com.", Kind.REFUSED, 0, ALL),
                new Rule("slow", Kind.TIMEOUT, 0, ALL)),
                faults("\n    " + String.join("\n    ",
                        "- { name: db, nxdomain: {}, first: 2 }",
                        "- { name: \"*.shop.test\", delay: 2s, probability: 10% }",
                        "- { name: api, wrongAddress: 10.77.0.99 }",
                        "- { name: \"*\", ttl: 0 }",
                        "- { name: big, truncate: {} }",
                        "- { servfail: {}, probability: 5% }",
                        "- { name: example.com., refused: }",
                        "- { name: slow, timeout: {} }")));
        assertEquals(List.of(), faults("[]"));
    }

    @Test
    void aMisspeltKindIsReportedOnce() {
        assertErrors("[ { name: db, nxdomian: {} } ]",
                "shop.yaml:6:25: 'nxdomian' is not a key of a DNS fault; expected one of: name, nxdomain, servfail,"
                        + " refused, timeout, truncate, delay, wrongAddress, ttl, first, probability");
    }

    @Test
    void anEntryHasExactlyOneKind() {
        assertErrors("[ { name: db, nxdomain: {}, delay: 1s } ]",
                "shop.yaml:6:13: this DNS fault has 2 kinds (nxdomain, delay); expected exactly one of: nxdomain, servfail,"
                        + " refused, timeout, truncate, delay, wrongAddress, ttl");
        assertErrors("[ { name: db, first: 2 } ]",
                "shop.yaml:6:13: this DNS fault has no kind; expected exactly one of: nxdomain, servfail, refused, timeout,"
                        + " truncate, delay, wrongAddress, ttl");
    }

    @Test
    void firstAndProbabilityExcludeEachOther() {
        assertErrors("[ { servfail: {}, first: 2, probability: 5% } ]",
                "shop.yaml:6:39: this fault has both 'first' and 'probability'; expected one of them (or neither: every query)");
    }

    @Test
    void eachValueIsCheckedWhereItIs() {
        assertErrors("[ { name: api, wrongAddress: 10.77.0 } ]",
                "shop.yaml:6:40: '10.77.0' is not an IPv4 address; expected four numbers from 0 to 255, like 10.77.0.10");
        assertErrors("[ { ttl: -1 } ]",
                "shop.yaml:6:20: ttl -1 is out of range; expected the TTL every answer record gets, from 0 to 2147483647"
                        + " seconds, like 0");
        assertErrors("[ { nxdomain: 3 } ]",
                "shop.yaml:6:25: 'nxdomain' takes no value; write nxdomain: {} (and first: N or probability: P% to choose"
                        + " which queries)");
        assertErrors("[ { delay: soon } ]", "shop.yaml:6:22: 'soon' is not a duration; expected a number and a unit"
                + " (ns, us, ms, s, m or h), like 200ms or 1.5s");
        assertErrors("[ { servfail: {}, first: 0 } ]",
                "shop.yaml:6:36: first 0 is out of range; expected how many queries it hits first, like 3");
    }

    @Test
    void aNameMustBeANameAStarredSuffixOrAStar() {
        assertErrors("[ { name: \"a*b\", servfail: {} } ]",
                "shop.yaml:6:21: 'a*b' has a '*' that is not its first label; expected a name like db, *.shop.test or *");
        assertErrors("[ { name: db..x, servfail: {} } ]",
                "shop.yaml:6:21: 'db..x' has a label of 0 characters; expected 1 to 63 between dots");
        assertErrors("[ { name: [db], servfail: {} } ]",
                "shop.yaml:6:21: 'name' is a list; expected a name like db (under the domain), *.shop.test (every name below it) or *");
    }

    @Test
    void theFaultsAreAList() {
        assertErrors("{ name: db, servfail: {} }", "shop.yaml:6:11: the DNS faults are a mapping; expected a list of"
                + " faults, like [ { name: db, nxdomain: {}, first: 2 }, { name: \"*.shop.test\", delay: 2s } ]");
    }

    @Test
    void aScriptEventChangesTheFaultsAndAnEmptyListClearsThem() throws Exception {
        Topology t = TopologyLoader.parse("shop.yaml", HEAD + """
                script:
                  duration: 10s
                  events:
                    - { at: 1s, dnsFaults: [ { name: web, servfail: {}, first: 1 } ] }
                    - { at: 2s, dnsFaults: [] }
                """);
        assertEquals(new Action.DnsFaults(List.of(new Rule("web", Kind.SERVFAIL, 0, new Selector.First(1)))),
                t.script().events().get(0).action());
        assertEquals(new Action.DnsFaults(List.of()), t.script().events().get(1).action());
        assertEquals("dnsFaults [{name: web, servfail: {}, first: 1}]", ActionText.of(t.script().events().get(0).action()));
        assertEquals("dnsFaults (none)", ActionText.of(t.script().events().get(1).action()));
    }

    @Test
    void aScriptEventWithoutADnsServerIsRefused() {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.parse("shop.yaml", """
                tap: { address: 10.77.0.1/24 }
                hosts: { web: { address: 10.77.0.10 } }
                script:
                  duration: 10s
                  events: [ { at: 1s, dnsFaults: [] } ]
                """));
        assertEquals(List.of("shop.yaml:5:23: this topology has no DNS server, so no DNS faults to change; expected a"
                + " topology with dns: { address: ..., domain: ... }"), e.errors().stream().map(TopologyError::toString).toList());
    }

    @Test
    void ctlReadsAListAndReportsMistakesAtCtlColumns() throws Exception {
        Topology t = TopologyLoader.parse("shop.yaml", HEAD);
        assertEquals(List.of(new Rule("db", Kind.DELAY, 1_500_000_000L, ALL), new Rule("*", Kind.TTL, 5, ALL)),
                TopologyLoader.parseDnsFaults("ctl", "[ {name: db, delay: 1.5s}, {name: \"*\", ttl: 5} ]", t));
        assertEquals(List.of(), TopologyLoader.parseDnsFaults("ctl", "[]", t));
        TopologyException e = assertThrows(TopologyException.class,
                () -> TopologyLoader.parseDnsFaults("ctl", "[ {name: db, servfial: {}} ]", t));
        assertEquals(List.of("ctl:1:14: 'servfial' is not a key of a DNS fault; expected one of: name, nxdomain, servfail,"
                + " refused, timeout, truncate, delay, wrongAddress, ttl, first, probability"), e.errors().stream().map(TopologyError::toString).toList());
        Topology plain = TopologyLoader.parse("plain.yaml", "tap: { address: 10.77.0.1/24 }\nhosts: { web: { address: 10.77.0.10 } }\n");
        assertThrows(IllegalArgumentException.class, () -> TopologyLoader.parseDnsFaults("ctl", "[]", plain));
    }
}
