package tapnet.topology;

import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.build.EngineBuilder;
import tapnet.engine.Engine;
import tapnet.testing.CapturingSink;
import tapnet.time.VirtualClock;
import tapnet.topology.yaml.TopologyLoader;
import tapnet.wire.Ipv4Address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A part of a split topology as its run sees it, and the engine that plays only its nodes. */
class PartRunTest {
    private static final String FILE = """
            name: split
            tap: { address: 10.77.0.1/24, address6: fd77::1/64, vxlan: { vni: 42, remotes: [192.168.50.9] } }
            hosts:
              web: { address: 10.77.0.10, services: [ { port: 80, http: { body: hi } } ] }
              db: { address: 10.77.0.20 }
              app: { address: 10.78.1.10 }
            routers: { r1: { address: 10.77.0.254, subnet: 10.78.1.1/24 } }
            links: [ { between: [tap, web], delay: 5ms }, { between: [tap, db], delay: 7ms } ]
            dns: { address: 10.77.0.53, domain: split.test }
            parts:
              east: { nodes: [web], underlay: 192.168.50.1 }
              west: { nodes: [db, r1, app], underlay: 192.168.50.2, tap: 10.77.0.2, tap6: fd77::2 }
            """;

    private static Topology whole() throws Exception {
        return TopologyLoader.parse("split.yaml", FILE);
    }

    private static int ip(String text) {
        return Ipv4Address.parse(text);
    }

    @Test
    void aPartsKernelTakesItsOwnAddressesAndItsVxlanReachesTheOtherParts() throws Exception {
        PartRun west = PartRun.of(whole(), "west");
        assertEquals(ip("10.77.0.2"), west.topology().tap().address());
        assertEquals(Address6.parse("fd77::2"), west.topology().tap().address6().address());
        assertEquals(64, west.topology().tap().address6().length());
        assertEquals(new VxlanSpec(42, ip("192.168.50.2"), List.of(ip("192.168.50.1"), ip("192.168.50.9")), 4789), west.vxlan());
        assertFalse(west.first());
        assertTrue(west.plays("db") && west.plays("tap") && !west.plays("web"));
        assertEquals(3, west.topology().hosts().size(), "every name of the file stays: the hosts file and DNS list them");

        PartRun east = PartRun.of(whole(), "east");
        assertEquals(ip("10.77.0.1"), east.topology().tap().address(), "the part without tap keeps the file's");
        assertEquals(List.of(ip("192.168.50.2"), ip("192.168.50.9")), east.vxlan().remotes());
        assertTrue(east.first());
    }

    @Test
    void theEngineOfAPartPlaysItsNodesTheirLinksAndTheDnsServerOnlyInTheFirst() throws Exception {
        Engine west = EngineBuilder.build(whole(), PartRun.of(whole(), "west"), new VirtualClock(), new CapturingSink(1514),
                List.of(), List.of(new CapturingSink(1514), new CapturingSink(1514)));
        assertNull(west.hosts().byName("web"));
        assertNotNull(west.hosts().byName("db"));
        assertNotNull(west.hosts().byName("app"), "behind r1, which west plays");
        assertNull(west.hosts().byName(EngineBuilder.dnsNodeName(ip("10.77.0.53"))), "the first part plays the DNS server");
        assertNotNull(west.link("db", true), "db's link is applied here");
        assertEquals("vxlan:192.168.50.1", west.deviceName(1));
        assertEquals("vxlan:192.168.50.9", west.deviceName(2));

        Engine east = EngineBuilder.build(whole(), PartRun.of(whole(), "east"), new VirtualClock(), new CapturingSink(1514),
                List.of(), List.of());
        assertNotNull(east.hosts().byName(EngineBuilder.dnsNodeName(ip("10.77.0.53"))));
        assertNull(east.hosts().byName("db"));
        assertNotNull(east.link("web", true));
    }

    @Test
    void aPartThatCannotRunSaysWhy() throws Exception {
        assertEquals("--part north: no such part; the topology's parts are east, west",
                assertThrows(IllegalArgumentException.class, () -> PartRun.of(whole(), "north")).getMessage());
        Topology stray = TopologyLoader.parse("split.yaml", FILE.replace("nodes: [web]", "nodes: [web, app]")
                .replace("nodes: [db, r1, app]", "nodes: [db, r1]"));
        assertEquals("app is behind router r1, which another part plays; put both in one part (a router's subnet does not"
                + " cross VXLAN yet)", assertThrows(IllegalArgumentException.class, () -> PartRun.of(stray, "east")).getMessage());
    }
}
