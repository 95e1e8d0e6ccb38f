package tapnet.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.testing.Decoded;
import tapnet.wire.ArpPacket;
import tapnet.wire.Ipv4Address;

/** The neighbour table: bounded, first in first out, and only for senders on the segment. */
class NeighborTableTest {
    private final Counters counters = new Counters();
    private final NeighborTable table = new NeighborTable(3, counters);

    @Test
    void aFullTableForgetsTheNeighbourLearnedLongestAgo() {
        table.learn(1, 10);
        table.learn(2, 20);
        table.learn(3, 30);
        table.learn(4, 40);
        assertFalse(table.knows(1));
        assertEquals(40, table.lookup(4));
        assertEquals(3, table.size());
        assertEquals(1, counters.get(Counter.NEIGHBORS_EVICTED));
    }

    @Test
    void learningAKnownNeighbourAgainUpdatesItsMacAndKeepsItsPlace() {
        table.learn(1, 10);
        table.learn(2, 20);
        table.learn(1, 11);
        table.learn(3, 30);
        table.learn(4, 40); // evicts 1, still the oldest
        assertFalse(table.knows(1));
        assertTrue(table.knows(2) && table.knows(3) && table.knows(4));
    }

    @Test
    void sendersOffTheSegmentAreNotLearned() {
        table.limitTo(Ipv4Address.parse("10.77.0.0"), 24);
        assertTrue(table.learn(Ipv4Address.parse("10.77.0.5"), 5));
        assertFalse(table.learn(Ipv4Address.parse("10.78.0.5"), 6));
        assertFalse(table.knows(Ipv4Address.parse("10.78.0.5")));
        assertEquals(1, counters.get(Counter.ARP_SENDERS_OFF_SEGMENT));
    }

    @Test
    void addressesWithTheHighBitSetAreKeptApartFromOthers() {
        table.learn(Ipv4Address.parse("200.0.0.1"), 7);
        assertEquals(7, table.lookup(Ipv4Address.parse("200.0.0.1")));
        assertEquals(-1, table.lookup(Ipv4Address.parse("72.0.0.1")));
    }

    @Test
    void anArpFloodFromRandomSendersLeavesTheTableAtItsBoundAndTheHostAnswering() {
        EngineHarness net = new EngineHarness();
        net.engine.segmentSubnet(Ipv4Address.parse("10.77.0.0"), 16);
        net.host("web", "10.77.0.10");
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 50_000; i++) {
            int sender = Ipv4Address.parse("10.77.0.0") | random.nextInt(1 << 16);
            if (random.nextBoolean()) {
                sender = random.nextInt(); // anywhere at all
            }
            net.send(FrameBuilder.arpRequest(0x0200_0000_0000L | i, sender, Ipv4Address.parse("10.77.0.10")));
        }
        assertEquals(NeighborTable.DEFAULT_CAPACITY, net.engine.neighbors().size());
        assertTrue(net.engine.counters().get(Counter.NEIGHBORS_EVICTED) > 0);
        assertTrue(net.engine.counters().get(Counter.ARP_SENDERS_OFF_SEGMENT) > 20_000);
        List<Decoded> reply = net.send(FrameBuilder.arpRequest(EngineHarness.PEER_MAC, EngineHarness.PEER_IP, Ipv4Address.parse("10.77.0.10")));
        assertEquals(ArpPacket.OPERATION_REPLY, reply.get(0).arp().operation());
        assertEquals(EngineHarness.PEER_MAC, net.engine.neighbors().lookup(EngineHarness.PEER_IP));
    }
}
