package tapnet.topology.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tapnet.topology.PartSpec;
import tapnet.topology.Topology;
import tapnet.topology.VxlanSpec;
import tapnet.wire.Ipv4Address;

/**
 * Mistakes in a segment's {@code vxlan:} and in {@code parts:}, each reported as
 * {@code file:line:column: what is wrong; expected ...}; and right files read into the expected records.
 */
class VxlanTopologyErrorsTest {
    private static final String HOSTS = "hosts: { web: { address: 10.77.0.10 }, db: { address: 10.77.0.20 } }\n";

    /** A TAP whose vxlan is {@code value}, starting at line 1, column 38, and two hosts. */
    private static String tapVxlan(String value) {
        return "tap: { address: 10.77.0.1/24, vxlan: " + value + " }\n" + HOSTS;
    }

    /** A TAP with a vxlan for parts (line 1), the hosts (line 2) and router r1, then {@code parts} from line 4. */
    private static String parted(String parts) {
        return "tap: { address: 10.77.0.1/24, vxlan: { vni: 42 } }\n" + HOSTS
                + "routers: { r1: { address: 10.77.0.254, subnet: 10.78.1.1/24 } }\n" + "parts:\n" + parts;
    }

    private static final String TWO_PARTS = """
              east: { nodes: [web, r1], underlay: 192.168.50.1 }
              west: { nodes: [db], underlay: 192.168.50.2, tap: 10.77.0.2 }
            """;

    // ---- vxlan ----

    @Test
    void anUnknownKeyListsTheKnownOnes() {
        assertErrors(tapVxlan("{ vni: 42, local: 192.168.50.1, remotes: [192.168.50.2], group: 239.1.1.1 }"),
                "shop.yaml:1:95: 'group' is not a key of vxlan; expected one of: vni, local, remotes, port, netns");
    }

    @Test
    void aVxlanWithoutVniLocalOrRemotesSaysWhatEachIs() {
        assertErrors(tapVxlan("{}"),
                "shop.yaml:1:31: the vxlan of the TAP's segment has no 'vni'; expected its VXLAN network identifier, a VNI from 0"
                        + " to 16777215 (24 bits), like 42",
                "shop.yaml:1:31: the vxlan of the TAP's segment has no 'local'; expected this run's IPv4 address on the underlay,"
                        + " like local: 192.168.50.1",
                "shop.yaml:1:31: the vxlan of the TAP's segment has no 'remotes'; expected the underlay addresses of the other"
                        + " ends, like remotes: [192.168.50.2]");
    }

    @Test
    void aVniBeyond24BitsIsRefused() {
        assertErrors(tapVxlan("{ vni: 16777216, local: 192.168.50.1, remotes: [192.168.50.2] }"),
                "shop.yaml:1:45: vni 16777216 is out of range; expected a VNI from 0 to 16777215 (24 bits), like 42");
    }

    @Test
    void aPortOutOfRangeIsRefused() {
        assertErrors(tapVxlan("{ vni: 42, local: 192.168.50.1, remotes: [192.168.50.2], port: 0 }"),
                "shop.yaml:1:101: port 0 is out of range; expected a UDP port from 1 to 65535 (4789, IANA's VXLAN port, when"
                        + " not given)");
    }

    @Test
    void remotesMustBeAListOfOtherUnicastAddressesEachOnce() {
        assertErrors(tapVxlan("{ vni: 42, local: 192.168.50.1, remotes: 192.168.50.2 }"),
                "shop.yaml:1:79: 'remotes' is '192.168.50.2'; expected a list of underlay addresses, like remotes: [192.168.50.2]");
        assertErrors(tapVxlan("{ vni: 42, local: 192.168.50.1, remotes: [] }"),
                "shop.yaml:1:79: no remotes; expected at least one underlay address of another end, like remotes: [192.168.50.2]");
        assertErrors(tapVxlan("{ vni: 42, local: 192.168.50.1, remotes: [192.168.50.1, 192.168.50.2, 192.168.50.2] }"),
                "shop.yaml:1:80: 192.168.50.1 is the local address; expected the addresses of the other ends",
                "shop.yaml:1:108: 192.168.50.2 appears twice in remotes; expected each remote once");
        assertErrors(tapVxlan("{ vni: 42, local: 192.168.50.1, remotes: [239.1.1.1, 'fd00::2', 300.1.1.1] }"),
                "shop.yaml:1:80: 239.1.1.1 is not a unicast address; expected an IPv4 address on the underlay, like 192.168.50.1",
                "shop.yaml:1:91: 'fd00::2' is not an IPv4 address (IPv6 underlays are not read yet); expected an IPv4 address"
                        + " on the underlay, like 192.168.50.1",
                "shop.yaml:1:102: '300.1.1.1' is not an IPv4 address; expected four numbers from 0 to 255, like 10.77.0.10");
    }

    @Test
    void anUnderlayNetnsMustBeANamespaceThatExists() {
        assertErrors(tapVxlan("{ vni: 42, local: 192.168.50.1, remotes: [192.168.50.2], netns: '{run}-u' }"),
                "shop.yaml:1:102: '{run}-u' names the run; expected a namespace that holds the underlay already, like underlay");
        assertErrors(tapVxlan("{ vni: 42, local: 192.168.50.1, remotes: [192.168.50.2], netns: a/b }"),
                "shop.yaml:1:102: 'a/b' is not a network namespace name; expected 1 to 255 letters, digits, '-', '_' or '.'"
                        + " ({run} standing for the run's name), like {run}-left");
    }

    @Test
    void everySegmentGoesThroughOneUnderlaySocket() {
        assertErrors("tap: { address: 10.77.0.1/24, vxlan: { vni: 42, local: 192.168.50.1, remotes: [192.168.50.2] } }\n"
                        + "routers: { r1: { address: 10.77.0.254, subnet: 10.78.1.1/24,\n"
                        + "  vxlan: { vni: 7, local: 192.168.50.1, remotes: [192.168.50.2], port: 4790 } } }\n" + HOSTS,
                "shop.yaml:3:3: the vxlan of router r1's subnet has another underlay than the TAP's segment's (line 1): every"
                        + " segment goes through one UDP socket, as the kernel's vxlan devices share one per port; expected the"
                        + " same local, port and netns");
    }

    @Test
    void twoSegmentsCannotShareAVni() {
        assertErrors("tap: { address: 10.77.0.1/24, vxlan: { vni: 42, local: 192.168.50.1, remotes: [192.168.50.2] } }\n"
                        + "routers: { r1: { address: 10.77.0.254, subnet: 10.78.1.1/24,\n"
                        + "  vxlan: { vni: 42, local: 192.168.50.1, remotes: [192.168.50.2] } } }\n" + HOSTS,
                "shop.yaml:3:17: vni 42 is already the TAP's segment's (line 1); expected a VNI per segment");
    }

    @Test
    void aVxlanThatIsNoMappingIsRefused() {
        assertErrors(tapVxlan("42"),
                "shop.yaml:1:38: '42' is not vxlan; expected a mapping with keys from: vni, local, remotes, port, netns");
    }

    // ---- parts ----

    @Test
    void withPartsTheLocalAddressIsEachPartsUnderlay() {
        assertErrors(parted(TWO_PARTS).replace("{ vni: 42 }", "{ vni: 42, local: 192.168.50.1 }"),
                "shop.yaml:1:49: with parts:, each part's underlay address is the local one; expected no 'local' here (give each"
                        + " part its underlay, like underlay: 192.168.50.1)");
    }

    @Test
    void partsNeedAVxlanSegment() {
        assertErrors(parted(TWO_PARTS).replace(", vxlan: { vni: 42 }", ""),
                "shop.yaml:4:1: parts join over VXLAN, and no segment has a vxlan; expected one on the TAP's segment or a router's"
                        + " subnet, like tap: { address: 10.77.0.1/24, vxlan: { vni: 42 } }");
    }

    @Test
    void partsDoNotLackAVxlanWhenOneHadMistakes() {
        assertErrors(parted(TWO_PARTS).replace("{ vni: 42 }", "{ vni: x }")
                        .replace("subnet: 10.78.1.1/24", "subnet: 10.78.1.1/24, vxlan: { vni: 7 }"),
                "shop.yaml:1:45: 'x' is not a whole number; expected a VNI from 0 to 16777215 (24 bits), like 42");
    }

    @Test
    void everyNodeIsInExactlyOnePart() {
        assertErrors(parted("""
                  east: { nodes: [web, r1, tap, cache], underlay: 192.168.50.1 }
                  west: { nodes: [web], underlay: 192.168.50.2 }
                """),
                "shop.yaml:4:1: db is in no part; expected every host, router and port in one part's nodes",
                "shop.yaml:5:28: tap is the kernel's side of the TAP, which every part has; expected hosts, routers and ports",
                "shop.yaml:5:33: 'cache' is not a host, router or port; expected one of: r1, web, db",
                "shop.yaml:6:19: web is already in part 'east' (line 5); expected each node in one part");
    }

    @Test
    void underlaysAreOnePerPartAndNoRemote() {
        assertErrors(parted("""
                  east: { nodes: [web, r1], underlay: 192.168.50.1 }
                  west: { nodes: [db], underlay: 192.168.50.1 }
                """),
                "shop.yaml:6:34: 192.168.50.1 is already part 'east''s underlay (line 5); expected an underlay address per part");
        assertErrors(parted(TWO_PARTS).replace("{ vni: 42 }", "{ vni: 42, remotes: [192.168.50.2] }"),
                "shop.yaml:6:34: 192.168.50.2 is also a remote of the TAP's segment's vxlan (line 1); expected it left out of"
                        + " remotes, parts reach each other without them");
    }

    @Test
    void aPartNeedsNodesAndAnUnderlay() {
        assertErrors(parted("  east: { nodes: [] }\n  west: { nodes: [web, r1, db], underlay: 192.168.50.2 }\n"),
                "shop.yaml:5:3: part 'east' has no 'underlay'; expected its IPv4 address on the underlay, like underlay:"
                        + " 192.168.50.1",
                "shop.yaml:5:18: 'nodes' is empty; expected a list of the hosts, routers and ports part 'east' plays, like"
                        + " nodes: [web, r1]");
    }

    @Test
    void partsMustBeANonEmptyMappingOfWellNamedParts() {
        assertErrors(parted("  - east\n"),
                "shop.yaml:5:3: 'parts' is a list; expected a mapping from part names to parts, like parts: { east: { nodes:"
                        + " [web], underlay: 192.168.50.1 } }");
        assertErrors(parted("  'e st': { nodes: [web, r1, db], underlay: 192.168.50.1, zone: a }\n"),
                "shop.yaml:5:3: 'e st' is not a part name; expected 1 to 63 letters, digits, '-', '_' or '.', starting with a"
                        + " letter or digit, like east",
                "shop.yaml:5:59: 'zone' is not a key of a part; expected one of: nodes, underlay, tap, tap6");
    }

    // ---- right files ----

    @Test
    void aSegmentOverVxlanReadsIntoItsRecord() throws TopologyException {
        Topology t = TopologyLoader.parse("shop.yaml", tapVxlan(
                "{ vni: 42, local: 192.168.50.1, remotes: [192.168.50.2, 192.168.50.3], port: 8472, netns: underlay }"));
        assertEquals(new VxlanSpec(42, ip("192.168.50.1"), List.of(ip("192.168.50.2"), ip("192.168.50.3")), 8472, "underlay"),
                t.tap().vxlan());
        assertEquals(List.of(t.tap().vxlan()), t.vxlanSegments());
        assertEquals(List.of(), t.parts());
        assertTrue(TopologySummary.of(t).contains("  vxlan 42 on the TAP's segment: local 192.168.50.1, remotes 192.168.50.2,"
                + " 192.168.50.3, UDP port 8472, underlay in netns underlay\n"), TopologySummary.of(t));

        Topology defaults = TopologyLoader.parse("shop.yaml", tapVxlan("{ vni: 0, local: 192.168.50.1, remotes: [192.168.50.2] }"));
        assertEquals(new VxlanSpec(0, ip("192.168.50.1"), List.of(ip("192.168.50.2")), 4789, null), defaults.tap().vxlan());
    }

    @Test
    void partsReadIntoTheirRecordsAndTellWhichNodesEachPlays() throws TopologyException {
        Topology t = TopologyLoader.parse("shop.yaml", parted(TWO_PARTS)
                .replace("subnet: 10.78.1.1/24", "subnet: 10.78.1.1/24, vxlan: { vni: 7, remotes: [192.168.50.9] }"));
        assertEquals(List.of(new PartSpec("east", List.of("web", "r1"), ip("192.168.50.1")),
                new PartSpec("west", List.of("db"), ip("192.168.50.2"), ip("10.77.0.2"), null)), t.parts());
        assertEquals(new VxlanSpec(42, VxlanSpec.FROM_PART, List.of(), 4789, null), t.tap().vxlan());
        assertEquals(new VxlanSpec(7, VxlanSpec.FROM_PART, List.of(ip("192.168.50.9")), 4789, null), t.routers().get(0).vxlan());
        assertEquals(Optional.of(List.of("web", "r1")), t.nodesOfPart("east"));
        assertEquals(Optional.empty(), t.nodesOfPart("north"));
        assertEquals(t.parts(), t.withSeed(7).parts());
        String summary = TopologySummary.of(t);
        assertTrue(summary.contains("""
                  vxlan 42 on the TAP's segment: local each part's underlay, UDP port 4789
                  vxlan 7 on router r1's subnet: local each part's underlay, remotes 192.168.50.9, UDP port 4789
                  part east: web, r1 (underlay 192.168.50.1)
                  part west: db (underlay 192.168.50.2, kernel 10.77.0.2)
                """), summary);
    }

    private static int ip(String text) {
        return Ipv4Address.parse(text);
    }

    private static void assertErrors(String text, String... expected) {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.parse("shop.yaml", text));
        assertEquals(List.of(expected), e.errors().stream().map(TopologyError::toString).toList());
    }
}
