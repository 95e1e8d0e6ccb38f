package tapnet.engine;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.frame.Offload;
import tapnet.node.VirtualHost;
import tapnet.observe.DropReason;
import tapnet.service.EchoService;
import tapnet.testing.CapturingSink;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;
import tapnet.wire.VxlanHeader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TAP's segment extended to VXLAN remotes: each remote a device the switch learns MACs behind, broadcasts
 * and unknown unicast sent to each (head-end replication), never from one remote to another, and datagrams that
 * are not this segment's VXLAN counted and dropped. In the engine, on a virtual clock.
 */
class VxlanRemotesTest {
    private static final int VNI = 42;
    private static final int EAST_IP = Ipv4Address.parse("10.77.0.101");
    private static final long EAST_MAC = MacAddress.parse("02:00:00:00:01:01");
    private static final int WEST_IP = Ipv4Address.parse("10.77.0.102");
    private static final long WEST_MAC = MacAddress.parse("02:00:00:00:01:02");

    private final EngineHarness net = new EngineHarness();
    private final VirtualHost web = net.host("web", "10.77.0.10", 7, new EchoService());
    /** What each remote is sent: inner frames (the underlay's sink puts the VXLAN header before them). */
    private final CapturingSink eastWire = new CapturingSink(1514);
    private final CapturingSink westWire = new CapturingSink(1514);
    private final int east = net.engine.addVxlanRemote("vxlan:192.168.50.2", eastWire, VNI);
    private final int west = net.engine.addVxlanRemote("vxlan:192.168.50.3", westWire, VNI);

    /** A datagram from {@code device}'s underlay address: VXLAN header with {@code flags} and {@code vni}, then the frame. */
    private void fromUnderlay(int device, int flags, int vni, byte[] frame) {
        ByteBuffer datagram = ByteBuffer.allocate(VxlanHeader.LENGTH + frame.length);
        new VxlanHeader().wrap(datagram, 0, VxlanHeader.LENGTH).write(vni);
        datagram.put(0, (byte) flags);
        datagram.put(VxlanHeader.LENGTH, frame);
        net.engine.onFrame(datagram, 0, datagram.capacity(), Offload.NONE, device);
        net.engine.endOfBatch();
    }

    private void fromRemote(int device, byte[] frame) {
        fromUnderlay(device, VxlanHeader.FLAG_I, VNI, frame);
    }

    private static byte[] ping(long srcMac, long dstMac, int src, int dst, int seq) {
        return FrameBuilder.echoRequest(srcMac, dstMac, src, dst, 1, seq, new byte[16]);
    }

    @Test
    void remotesAreDevicesAfterTheTap() {
        assertEquals(1, east);
        assertEquals(2, west);
        assertEquals("vxlan:192.168.50.3", net.engine.deviceName(west));
        assertThrows(IllegalStateException.class, () -> net.engine.addPort("late", new CapturingSink(1514)),
                "ports come before remotes, so that remotes are numbered in a row");
    }

    @Test
    void aRemotePingsAHostAndTheAnswerGoesBackToThatRemoteOnly() {
        fromRemote(east, FrameBuilder.arpRequest(EAST_MAC, EAST_IP, web.address()));
        List<byte[]> toEast = eastWire.drain();
        assertEquals(1, toEast.size(), "web's ARP reply goes to the remote that asked");
        assertEquals(EAST_MAC, Decoded.of(toEast.get(0)).ethDestination());
        assertTrue(westWire.drain().isEmpty(), "split horizon: a remote's broadcast is not sent to another remote");
        assertEquals(1, net.drain().size(), "the TAP hears the broadcast");

        fromRemote(east, ping(EAST_MAC, web.mac(), EAST_IP, web.address(), 1));
        List<byte[]> answers = eastWire.drain();
        assertEquals(1, answers.size());
        assertEquals(0, Decoded.of(answers.get(0)).icmp().type(), "echo reply");
        assertTrue(westWire.drain().isEmpty());
        assertTrue(net.drain().isEmpty());
    }

    @Test
    void theTapsBroadcastGoesToEveryRemoteAndUnicastToTheOneThatHasTheMac() {
        byte[] arp = FrameBuilder.arpRequest(MacAddress.parse("02:00:00:00:00:01"), Ipv4Address.parse("10.77.0.1"), WEST_IP);
        net.engine.onFrame(ByteBuffer.wrap(arp), 0, arp.length, Offload.NONE, 0);
        net.engine.endOfBatch();
        assertEquals(1, eastWire.drain().size(), "head-end replication: a copy to each remote");
        assertArrayEquals(arp, westWire.drain().get(0), "carried unchanged");

        fromRemote(west, ping(WEST_MAC, EAST_MAC, WEST_IP, EAST_IP, 1));
        assertTrue(eastWire.drain().isEmpty(), "from a remote to a MAC not yet learned: not to another remote");
        assertEquals(1, net.drain().size(), "flooded to the TAP");
        byte[] toWest = ping(MacAddress.parse("02:00:00:00:00:01"), WEST_MAC, Ipv4Address.parse("10.77.0.1"), WEST_IP, 2);
        net.engine.onFrame(ByteBuffer.wrap(toWest), 0, toWest.length, Offload.NONE, 0);
        net.engine.endOfBatch();
        assertEquals(1, westWire.drain().size(), "west's MAC was learned behind west");
        assertTrue(eastWire.drain().isEmpty());
    }

    @Test
    void whatIsNotThisSegmentsVxlanIsCountedAndDropped() {
        byte[] frame = ping(EAST_MAC, web.mac(), EAST_IP, web.address(), 1);
        fromUnderlay(east, 0, VNI, frame);
        assertEquals(1, net.engine.counters().dropped(DropReason.VXLAN_MALFORMED), "the I flag clear");
        fromUnderlay(east, VxlanHeader.FLAG_I, VNI + 1, frame);
        assertEquals(1, net.engine.counters().dropped(DropReason.VXLAN_OTHER_VNI));
        fromUnderlay(west + 1, VxlanHeader.FLAG_I, VNI, frame);
        assertEquals(1, net.engine.counters().dropped(DropReason.VXLAN_UNKNOWN_REMOTE), "from no remote");
        net.engine.onFrame(ByteBuffer.allocate(12), 0, 12, Offload.NONE, east);
        net.engine.onFrame(ByteBuffer.allocate(0), 0, 0, Offload.NONE, east); // what the reader hands in for a cut datagram
        assertEquals(3, net.engine.counters().dropped(DropReason.VXLAN_MALFORMED), "too short; cut");
        assertTrue(eastWire.drain().isEmpty() && westWire.drain().isEmpty() && net.drain().isEmpty(), "nothing answered");

        fromUnderlay(east, VxlanHeader.FLAG_I | 0x80, VNI, frame);
        assertEquals(1, eastWire.drain().size(), "reserved bits are ignored (RFC 7348 section 5): answered");
    }

    @Test
    void theMacsLearnedAreBoundedAndTheRestFlooded() {
        for (int i = 0; i < 16_384 + 10; i++) {
            fromRemote(east, ping(0x02_10_00_00_00_00L + i, web.mac(), EAST_IP, web.address(), i));
        }
        eastWire.drain();
        westWire.drain();
        assertEquals(10 + 1, net.engine.counters().get(tapnet.observe.Counter.STATIONS_NOT_LEARNED),
                "past 16,384 MACs (web's among them) the rest are not learned");
        byte[] toUnlearned = ping(web.mac(), 0x02_10_00_00_00_00L + 16_384 + 5, web.address(), EAST_IP, 1);
        net.engine.onFrame(ByteBuffer.wrap(toUnlearned), 0, toUnlearned.length, Offload.NONE, 0);
        net.engine.endOfBatch();
        assertEquals(1, eastWire.drain().size(), "a frame to a MAC not learned is flooded");
        assertEquals(1, westWire.drain().size());
    }

    @Test
    void aPartitionCutsARemoteOff() {
        net.engine.partition(List.of(List.of("web"), List.of("vxlan:192.168.50.2")));
        fromRemote(east, ping(EAST_MAC, web.mac(), EAST_IP, web.address(), 1));
        assertTrue(eastWire.drain().isEmpty());
        assertEquals(1, net.engine.counters().dropped(DropReason.PARTITIONED));
        fromRemote(west, ping(WEST_MAC, web.mac(), WEST_IP, web.address(), 1));
        assertEquals(1, westWire.drain().size(), "the other remote is in no group");
    }
}
