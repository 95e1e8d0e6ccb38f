package tapnet.engine;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.node.VirtualHost;
import tapnet.observe.DropReason;
import tapnet.testing.CapturingSink;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Partitions between groups of nodes: the TAP, ports, hosts and routers, by name. */
class PartitionTest {
    private static final int LEFT_IP = Ipv4Address.parse("10.77.0.101");
    private static final long LEFT_MAC = MacAddress.parse("02:00:00:00:01:01");

    private final EngineHarness net = new EngineHarness();
    private final VirtualHost web = net.host("web", "10.77.0.10");
    private final VirtualHost db = net.host("db", "10.77.0.20");

    private byte[] pingFromTap(VirtualHost to, int seq) {
        return FrameBuilder.echoRequest(EngineHarness.PEER_MAC, to.mac(), EngineHarness.PEER_IP, to.address(), 1, seq, new byte[8]);
    }

    @Test
    void theTapCutOffFromAHostGetsNoAnswerWhileOtherHostsStillAnswer() {
        net.engine.partition(List.of(List.of("tap"), List.of("web")));
        assertTrue(net.send(pingFromTap(web, 1)).isEmpty());
        assertEquals(1, net.send(pingFromTap(db, 1)).size(), "db is in no group");
        assertEquals(1, net.engine.counters().dropped(DropReason.PARTITIONED));
        net.engine.heal();
        assertEquals(1, net.send(pingFromTap(web, 2)).size(), "healed");
    }

    @Test
    void nodesOfOneGroupStillTalk() {
        net.engine.partition(List.of(List.of("tap", "web"), List.of("db")));
        assertEquals(1, net.send(pingFromTap(web, 1)).size());
        assertTrue(net.send(pingFromTap(db, 1)).isEmpty());
    }

    @Test
    void aHostsAnswersAreCutToo() {
        // The host got the request before the cut; its answer, held by a link, meets the partition on the way out.
        net.engine.setLink(web, tapnet.link.Impairments.NONE,
                tapnet.link.Impairments.NONE.withDelay(java.time.Duration.ofMillis(10)));
        assertTrue(net.send(pingFromTap(web, 1)).isEmpty());
        net.engine.partition(List.of(List.of("tap"), List.of("web")));
        assertTrue(net.advanceMillis(20).isEmpty());
        assertEquals(1, net.engine.counters().dropped(DropReason.PARTITIONED));
    }

    @Test
    void portsArePartitionedFromTheTapAndFromHosts() {
        CapturingSink leftWire = new CapturingSink(1514);
        int left = net.engine.addPort("left", leftWire);
        net.engine.partition(List.of(List.of("left"), List.of("tap", "web")));
        byte[] toWeb = FrameBuilder.echoRequest(LEFT_MAC, web.mac(), LEFT_IP, web.address(), 1, 1, new byte[8]);
        net.engine.onFrame(ByteBuffer.wrap(toWeb), 0, toWeb.length, tapnet.frame.Offload.NONE, left);
        byte[] toTap = FrameBuilder.echoRequest(LEFT_MAC, EngineHarness.PEER_MAC, LEFT_IP, EngineHarness.PEER_IP, 1, 2, new byte[8]);
        net.engine.onFrame(ByteBuffer.wrap(toTap), 0, toTap.length, tapnet.frame.Offload.NONE, left);
        byte[] toDb = FrameBuilder.echoRequest(LEFT_MAC, db.mac(), LEFT_IP, db.address(), 1, 3, new byte[8]);
        net.engine.onFrame(ByteBuffer.wrap(toDb), 0, toDb.length, tapnet.frame.Offload.NONE, left);
        net.engine.endOfBatch();
        assertTrue(net.drain().isEmpty(), "nothing reaches the TAP");
        assertEquals(1, leftWire.drain().size(), "only db, in no group, answers");
        assertEquals(2, net.engine.counters().dropped(DropReason.PARTITIONED));
    }

    @Test
    void unknownNodesAndNodesInTwoGroupsAreRefused() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> net.engine.partition(List.of(List.of("tap"), List.of("nobody"))));
        assertTrue(unknown.getMessage().contains("nobody"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> net.engine.partition(List.of(List.of("web"), List.of("web", "tap"))));
    }
}
