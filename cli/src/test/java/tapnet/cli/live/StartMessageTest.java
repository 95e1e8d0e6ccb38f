package tapnet.cli.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import tapnet.topology.PartRun;
import tapnet.topology.Topology;
import tapnet.topology.yaml.TopologyLoader;

/** The line a part's run starts with: what it plays, and over which VXLAN it reaches the rest. */
class StartMessageTest {
    private static final String SPLIT = """
            tap: { address: 10.77.0.1/24, vxlan: { vni: 42, remotes: [192.168.50.9], netns: "u-{part}" } }
            routers:
              r1: { address: 10.77.0.254, subnet: 10.78.1.1/24, vxlan: { vni: 7, remotes: [192.168.60.2], netns: "u-{part}" } }
            hosts: { web: { address: 10.77.0.10 }, app: { address: 10.78.1.10 } }
            parts:
              east: { nodes: [web], underlay: 192.168.50.1 }
              west: { nodes: [r1, app], underlay: 192.168.50.2, tap: 10.77.0.2 }
            """;

    @Test
    void aPartSaysWhatItPlaysAndWhereItsVxlanGoes() throws Exception {
        Topology split = TopologyLoader.parse("split.yaml", SPLIT);
        assertEquals("This run plays part east (web, and the DNS server and the kernel's probes, as the first part); the rest"
                + " over VXLAN 42 from 192.168.50.1 to 192.168.50.2, 192.168.50.9, UDP port 4789 in network namespace u-east.",
                StartMessage.partLine(PartRun.of(split, "east")));
        assertEquals("This run plays part west (r1, app); the rest over VXLAN 42 from 192.168.50.2 to 192.168.50.1,"
                + " 192.168.50.9; router r1's subnet over VXLAN 7 to 192.168.60.2, UDP port 4789 in network namespace u-west.",
                StartMessage.partLine(PartRun.of(split, "west")));
    }
}
