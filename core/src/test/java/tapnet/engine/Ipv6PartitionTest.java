package tapnet.engine;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.node.VirtualHost;
import tapnet.observe.DropReason;
import tapnet.testing.CapturingSink;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.wire.MacAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tapnet.testing.FrameBuilder.v6;

/** Partitions keep IPv6 frames apart as they keep IPv4 ones: echo, neighbour discovery, a port's frames. */
class Ipv6PartitionTest {
    private static final long[] WEB = v6("fd77::10");
    private static final long[] DB = v6("fd77::20");
    private static final long[] LEFT = v6("fd77::101");
    private static final long LEFT_MAC = MacAddress.parse("02:00:00:00:01:01");

    private final EngineHarness net = new EngineHarness().prefix6("fd77::/64");
    private final VirtualHost web = net.host6("web", "10.77.0.10", "fd77::10");
    private final VirtualHost db = net.host6("db", "10.77.0.20", "fd77::20");

    private byte[] ping6FromTap(VirtualHost to, long[] address, int seq) {
        return FrameBuilder.echoRequest6(EngineHarness.PEER_MAC, to.mac(), EngineHarness.PEER6, address, 1, seq, new byte[8]);
    }

    @Test
    void theTapCutOffFromAHostGetsNoEchoReplyOverIpv6WhileOtherHostsStillAnswer() {
        net.engine.partition(List.of(List.of("tap"), List.of("web")));
        assertTrue(net.send(ping6FromTap(web, WEB, 1)).isEmpty());
        assertEquals(1, net.send(ping6FromTap(db, DB, 1)).size(), "db is in no group");
        assertEquals(1, net.engine.counters().dropped(DropReason.PARTITIONED));
        net.engine.heal();
        assertEquals(1, net.send(ping6FromTap(web, WEB, 2)).size(), "healed");
    }

    @Test
    void aSolicitationAcrossThePartitionIsCutAsArpIs() {
        net.engine.partition(List.of(List.of("tap"), List.of("web")));
        assertTrue(net.send(FrameBuilder.neighborSolicitation(EngineHarness.PEER_MAC, EngineHarness.PEER6, WEB)).isEmpty());
        assertEquals(1, net.send(FrameBuilder.neighborSolicitation(EngineHarness.PEER_MAC, EngineHarness.PEER6, DB)).size());
        assertEquals(1, net.engine.counters().dropped(DropReason.PARTITIONED));
    }

    @Test
    void aDuplicateAddressProbeAcrossThePartitionIsCut() {
        net.engine.partition(List.of(List.of("tap"), List.of("web")));
        long[] unspecified = new long[2];
        long[] group = FrameBuilder.solicitedNode(WEB);
        byte[] probe = FrameBuilder.ipv6(EngineHarness.PEER_MAC, tapnet.wire.Ipv6Address.multicastMac(group[1]), unspecified,
                group, 255, 58, FrameBuilder.icmpv6(unspecified, group, 135, 0, 0, FrameBuilder.ndBody(WEB)));
        assertTrue(net.send(probe).isEmpty());
    }

    @Test
    void nodesOfOneGroupStillTalkOverIpv6() {
        net.engine.partition(List.of(List.of("tap", "web"), List.of("db")));
        assertEquals(1, net.send(ping6FromTap(web, WEB, 1)).size());
        assertTrue(net.send(ping6FromTap(db, DB, 1)).isEmpty());
    }

    @Test
    void aHostsIpv6AnswersHeldByALinkAreCutToo() {
        net.engine.setLink(web, tapnet.link.Impairments.NONE,
                tapnet.link.Impairments.NONE.withDelay(java.time.Duration.ofMillis(10)));
        assertTrue(net.send(ping6FromTap(web, WEB, 1)).isEmpty());
        net.engine.partition(List.of(List.of("tap"), List.of("web")));
        assertTrue(net.advanceMillis(20).isEmpty());
        assertEquals(1, net.engine.counters().dropped(DropReason.PARTITIONED));
    }

    @Test
    void aPortsIpv6FramesArePartitionedFromHosts() {
        CapturingSink leftWire = new CapturingSink(1514);
        int left = net.engine.addPort("left", leftWire);
        net.engine.partition(List.of(List.of("left"), List.of("tap", "web")));
        byte[] toWeb = FrameBuilder.echoRequest6(LEFT_MAC, web.mac(), LEFT, WEB, 1, 1, new byte[8]);
        net.engine.onFrame(ByteBuffer.wrap(toWeb), 0, toWeb.length, tapnet.frame.Offload.NONE, left);
        byte[] toDb = FrameBuilder.echoRequest6(LEFT_MAC, db.mac(), LEFT, DB, 1, 2, new byte[8]);
        net.engine.onFrame(ByteBuffer.wrap(toDb), 0, toDb.length, tapnet.frame.Offload.NONE, left);
        net.engine.endOfBatch();
        assertTrue(net.drain().isEmpty(), "nothing reaches the TAP");
        List<byte[]> answers = leftWire.drain();
        assertEquals(1, answers.size(), "only db, in no group, answers");
        assertEquals("fd77::20", Decoded.of(answers.get(0)).ipv6().source());
        assertEquals(1, net.engine.counters().dropped(DropReason.PARTITIONED));
    }
}
