package tapnet.topology;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tapnet.topology.yaml.TopologyLoader;
import tapnet.wire.Ipv4Address;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** One underlay socket for every segment of a run: its address, and its peers numbered, the TAP segment's first. */
class UnderlayTest {
    private static final String WHOLE = """
            tap: { address: 10.77.0.1/24, vxlan: { vni: 42, local: 192.168.50.1, remotes: [192.168.50.2, 192.168.50.3] } }
            routers:
              r1: { address: 10.77.0.254, subnet: 10.78.1.1/24, vxlan: { vni: 7, local: 192.168.50.1, remotes: [192.168.50.3, 192.168.50.4] } }
              r2: { address: 10.77.0.253, subnet: 10.78.2.1/24 }
            hosts: { web: { address: 10.77.0.10 } }
            """;

    @Test
    void theRoutersRemotesFollowTheTapSegmentsEachOnce() throws Exception {
        Underlay underlay = Underlay.of(TopologyLoader.parse("u.yaml", WHOLE));
        assertEquals(ip("192.168.50.1"), underlay.local());
        assertEquals(List.of(ip("192.168.50.2"), ip("192.168.50.3"), ip("192.168.50.4")), underlay.peers());
        assertEquals(42, underlay.firstVni());
        assertEquals(List.of("r1"), List.copyOf(underlay.routers().keySet()));
        assertArrayEquals(new int[] {-1, 0, 1}, underlay.remoteOfPeer(underlay.routers().get("r1")));
        assertArrayEquals(new int[] {0, 1, -1}, underlay.remoteOfPeer(underlay.tap()));
    }

    @Test
    void aRunWithoutVxlanHasNoUnderlayAndOneWithARoutersAloneHasItsOwn() throws Exception {
        assertNull(Underlay.of(TopologyLoader.parse("u.yaml", "tap: { address: 10.77.0.1/24 }\nhosts: { web: { address: 10.77.0.10 } }\n")));
        Underlay underlay = Underlay.of(TopologyLoader.parse("u.yaml", WHOLE.replaceFirst(
                ", vxlan: \\{ vni: 42, local: 192.168.50.1, remotes: \\[192.168.50.2, 192.168.50.3\\] \\}", "")));
        assertNull(underlay.tap());
        assertEquals(7, underlay.firstVni());
        assertEquals(List.of(ip("192.168.50.3"), ip("192.168.50.4")), underlay.peers());
    }

    @Test
    void aPartExtendsTheSubnetsOfTheRoutersItPlaysFromItsUnderlayAddress() throws Exception {
        Topology split = TopologyLoader.parse("u.yaml", """
                tap: { address: 10.77.0.1/24, vxlan: { vni: 42, netns: "u-{part}" } }
                routers:
                  r1: { address: 10.77.0.254, subnet: 10.78.1.1/24, vxlan: { vni: 7, remotes: [192.168.60.9], netns: "u-{part}" } }
                hosts: { app: { address: 10.78.1.10 }, web: { address: 10.77.0.10 } }
                parts:
                  east: { nodes: [web], underlay: 192.168.50.1 }
                  west: { nodes: [r1, app], underlay: 192.168.50.2, tap: 10.77.0.2 }
                """);
        Underlay west = Underlay.of(PartRun.of(split, "west"));
        assertEquals(Map.of("r1", new VxlanSpec(7, ip("192.168.50.2"), List.of(ip("192.168.60.9")), 4789, "u-west")), west.routers());
        assertEquals(List.of(ip("192.168.50.1"), ip("192.168.60.9")), west.peers(), "the other part, then r1's remote");
        assertEquals("u-west", west.netns());
        Underlay east = Underlay.of(PartRun.of(split, "east"));
        assertEquals(Map.of(), east.routers(), "east does not play r1");
        assertEquals(List.of(ip("192.168.50.2")), east.peers());
    }

    private static int ip(String text) {
        return Ipv4Address.parse(text);
    }
}
