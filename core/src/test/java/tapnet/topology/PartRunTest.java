package tapnet.topology;

import java.nio.ByteBuffer;
import java.util.List;
import tapnet.frame.Offload;
import tapnet.observe.DropReason;
import tapnet.testing.FrameBuilder;
import tapnet.wire.VxlanHeader;
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
            tap: { address: 10.77.0.1/24, address6: fd77::1/64, vxlan: { vni: 42, remotes: [192.168.50.9], netns: "u-{part}" } }
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
        assertEquals(new VxlanSpec(42, ip("192.168.50.2"), List.of(ip("192.168.50.1"), ip("192.168.50.9")), 4789, "u-west"),
                west.vxlan(), "each part's underlay namespace named after it");
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
        Engine west = EngineBuilder.build(PartRun.of(whole(), "west"), new VirtualClock(), new CapturingSink(1514),
                List.of(), List.of(new CapturingSink(1514), new CapturingSink(1514)));
        assertNull(west.hosts().byName("web"));
        assertNotNull(west.hosts().byName("db"));
        assertNotNull(west.hosts().byName("app"), "behind r1, which west plays");
        assertNull(west.hosts().byName(EngineBuilder.dnsNodeName(ip("10.77.0.53"))), "the first part plays the DNS server");
        assertNotNull(west.link("db", true), "db's link is applied here");
        assertEquals("vxlan:192.168.50.1", west.deviceName(1));
        assertEquals("vxlan:192.168.50.9", west.deviceName(2));

        Engine east = EngineBuilder.build(PartRun.of(whole(), "east"), new VirtualClock(), new CapturingSink(1514),
                List.of(), List.of());
        assertNotNull(east.hosts().byName(EngineBuilder.dnsNodeName(ip("10.77.0.53"))));
        assertNull(east.hosts().byName("db"));
        assertNotNull(east.link("web", true));
    }

    @Test
    void aPartitionNamingAnotherPartsNodesCutsTheirFramesHere() throws Exception {
        CapturingSink east = new CapturingSink(1514);
        VirtualClock clock = new VirtualClock();
        CapturingSink tapSink = new CapturingSink(1514);
        CapturingSink other = new CapturingSink(1514);
        Engine west = EngineBuilder.build(PartRun.of(whole(), "west"), clock, tapSink,
                List.of(), List.of(east, other));
        long webMac = whole().host("web").orElseThrow().mac();
        long dbMac = west.hosts().byName("db").mac();
        byte[] fromWeb = FrameBuilder.echoRequest(webMac, dbMac, ip("10.77.0.10"), ip("10.77.0.20"), 1, 1, new byte[8]);
        byte[] fromEastsKernel = FrameBuilder.echoRequest(0x02_00_00_00_00_01L, dbMac, ip("10.77.0.1"), ip("10.77.0.20"), 1, 2, new byte[8]);

        west.partition(List.of(List.of("web"), List.of("db")));
        fromEast(west, fromWeb);
        fromEast(west, fromEastsKernel);
        assertEquals(1, west.counters().dropped(DropReason.PARTITIONED), "web's ping cut; east's kernel is in no group");
        afterDbsLink(clock, west);
        assertEquals(1, east.drain().size(), "the kernel's answered");

        west.partition(List.of(List.of("tap", "web"), List.of("r1")));
        long r1Mac = west.hosts().byName("r1").mac();
        fromEast(west, FrameBuilder.echoRequest(0x02_00_00_00_00_01L, r1Mac, ip("10.77.0.1"), ip("10.78.1.10"), 1, 3, new byte[8]));
        assertEquals(2, west.counters().dropped(DropReason.PARTITIONED), "east's kernel is tap's, app behind r1 is r1's");
        fromEast(west, fromWeb);
        afterDbsLink(clock, west);
        assertEquals(1, east.drain().size(), "db is in no group: web reaches it");
        west.heal();
    }

    /** Past db's link, 7 ms each way, stopping at each held frame's time as a run does. */
    private static void afterDbsLink(VirtualClock clock, Engine engine) {
        long target = clock.nanos() + 20_000_000L;
        for (long next; (next = engine.nextDeadline()) != tapnet.time.TimerWheel.NONE && next <= target; ) {
            clock.advanceTo(Math.max(next, clock.nanos()));
            engine.pollTimers();
        }
        clock.advanceTo(target);
        engine.pollTimers();
    }

    private static void fromEast(Engine engine, byte[] frame) {
        ByteBuffer datagram = ByteBuffer.allocate(VxlanHeader.LENGTH + frame.length);
        new VxlanHeader().wrap(datagram, 0, VxlanHeader.LENGTH).write(42);
        datagram.put(VxlanHeader.LENGTH, frame);
        engine.onFrame(datagram, 0, datagram.capacity(), Offload.NONE, 1);
        engine.endOfBatch();
    }

    @Test
    void aPartDrawsTheSameLossesOnANodesLinkAsTheWholeRun() throws Exception {
        Topology lossy = TopologyLoader.parse("split.yaml", FILE.replace("{ between: [tap, db], delay: 7ms }",
                "{ between: [tap, db], loss: 50% }"));
        CapturingSink wholeTap = new CapturingSink(1514);
        Engine whole = EngineBuilder.build(lossy, new VirtualClock(), wholeTap);
        CapturingSink westTap = new CapturingSink(1514);
        Engine west = EngineBuilder.build(PartRun.of(lossy, "west"), new VirtualClock(), westTap, List.of(),
                List.of(new CapturingSink(1514), new CapturingSink(1514)));
        long dbMac = whole.hosts().byName("db").mac();
        for (int seq = 0; seq < 200; seq++) {
            byte[] ping = FrameBuilder.echoRequest(0x02_00_00_00_00_01L, dbMac, ip("10.77.0.1"), ip("10.77.0.20"), 1, seq, new byte[8]);
            for (Engine engine : List.of(whole, west)) {
                engine.onFrame(ByteBuffer.wrap(ping), 0, ping.length, Offload.NONE, 0);
                engine.endOfBatch();
            }
        }
        List<Integer> wholeAnswered = wholeTap.drain().stream().map(f -> tapnet.testing.Decoded.of(f).icmp().sequence()).toList();
        List<Integer> westAnswered = westTap.drain().stream().map(f -> tapnet.testing.Decoded.of(f).icmp().sequence()).toList();
        assertTrue(wholeAnswered.size() > 20 && wholeAnswered.size() < 100, "50% loss each way: " + wholeAnswered.size());
        assertEquals(wholeAnswered, westAnswered, "the same pings lost and answered, whole or split");
    }

    @Test
    void aPartThatCannotRunSaysWhy() throws Exception {
        assertEquals("--part north: no such part; the topology's parts are east, west",
                assertThrows(IllegalArgumentException.class, () -> PartRun.of(whole(), "north")).getMessage());
        Topology stray = TopologyLoader.parse("split.yaml", FILE.replace("nodes: [web]", "nodes: [web, app]")
                .replace("nodes: [db, r1, app]", "nodes: [db, r1]"));
        assertEquals("app is behind router r1, which another part plays; put both in one part (a router's subnet joins real"
                + " machines over VXLAN, not other parts)", assertThrows(IllegalArgumentException.class, () -> PartRun.of(stray, "east")).getMessage());
    }
}
