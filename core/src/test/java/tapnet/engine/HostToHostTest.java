package tapnet.engine;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tapnet.link.Impairments;
import tapnet.node.VirtualHost;
import tapnet.observe.DropReason;
import tapnet.service.EchoService;
import tapnet.tcp.ConnectionHandler;
import tapnet.tcp.TcpConnection;
import tapnet.testing.CapturingSink;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.wire.EthernetFrame;
import tapnet.wire.MacAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TCP from one virtual host to another: across both hosts' links, on the virtual clock, through a partition. */
class HostToHostTest {
    private static final Impairments FIVE_MS = Impairments.NONE.withDelay(Duration.ofMillis(5));

    private final EngineHarness net = new EngineHarness();
    private final VirtualHost a = net.host("a", "10.77.0.10");
    private final VirtualHost b = net.host("b", "10.77.0.20", 7, new EchoService());
    private final long start = net.clock.nanos();
    private final List<String> events = new ArrayList<>();

    /** A client that sends "hello" once open and notes, in ms since the test began, when things happen. */
    private final ConnectionHandler client = new ConnectionHandler() {
        @Override
        public void onOpen(TcpConnection c) {
            events.add("open " + millis());
            c.send("hello".getBytes(StandardCharsets.US_ASCII), 0, 5);
        }

        @Override
        public void onReceive(TcpConnection c) {
            byte[] echoed = new byte[c.received().size()];
            c.received().copyTo(0, echoed, 0, echoed.length);
            c.consume(echoed.length);
            events.add(new String(echoed, StandardCharsets.US_ASCII) + " " + millis());
        }

        @Override
        public void onClose(TcpConnection c) {
            events.add("closed " + c.closeReason());
        }
    };

    private long millis() {
        return TimeUnit.NANOSECONDS.toMillis(net.clock.nanos() - start);
    }

    @Test
    void aConnectsToBsEchoAcrossBothLinks() {
        net.engine.setLink(a, FIVE_MS, FIVE_MS);
        net.engine.setLink(b, FIVE_MS, FIVE_MS);
        assertNotNull(net.engine.connect(a, b.address(), 7, client));
        List<Decoded> toTap = net.advanceMillis(100);

        // ARP there and back (20 ms), SYN and SYN-ACK (20 ms), then the echo's round trip: 5 + 5 each way.
        assertEquals(List.of("open 40", "hello 60"), events);
        assertEquals(1, toTap.size(), "only A's ARP broadcast reaches the TAP: " + toTap);
        assertEquals(EthernetFrame.TYPE_ARP, toTap.get(0).etherType());
        assertEquals(2, net.engine.tcp().connections().size(), "A's end and B's");
    }

    @Test
    void withoutLinksTheExchangeTakesNoTime() {
        net.engine.connect(a, b.address(), 7, client);
        net.advanceMillis(0);
        assertEquals(List.of("open 0", "hello 0"), events);
    }

    @Test
    void hostsTalkWhenTheSegmentHasPorts() {
        CapturingSink port = new CapturingSink(1514);
        net.engine.addPort("left", port);
        net.engine.setLink(a, FIVE_MS, FIVE_MS);
        net.engine.connect(a, b.address(), 7, client);
        List<Decoded> toTap = net.advanceMillis(100);
        assertEquals(List.of("open 20", "hello 30"), events, "only A's link delays: 5 ms each way");
        assertEquals(1, toTap.size(), "A's ARP broadcast");
        List<byte[]> toPort = port.drain();
        assertEquals(1, toPort.size(), "flooded to the port too, and nothing else");
        assertEquals(MacAddress.BROADCAST, Decoded.of(toPort.get(0)).ethDestination());
    }

    @Test
    void aPartitionBetweenTheHostsKeepsThemApart() {
        net.engine.partition(List.of(List.of("a"), List.of("b")));
        net.engine.connect(a, b.address(), 7, client);
        net.advanceMillis(500);
        assertTrue(events.isEmpty(), events.toString());
        assertTrue(net.engine.counters().dropped(DropReason.PARTITIONED) >= 1);

        net.engine.heal();
        net.advanceMillis(3_000); // the SYN's first retransmission asks ARP again
        assertEquals("open", events.get(0).split(" ")[0], events.toString());
    }

    @Test
    void aStoppedHostAnswersNoOtherHost() {
        net.engine.stopHost(b);
        net.engine.connect(a, b.address(), 7, client);
        net.advanceMillis(500);
        assertTrue(events.isEmpty(), events.toString());
        assertTrue(net.engine.counters().dropped(DropReason.HOST_STOPPED) >= 1, "its ARP request for B");
    }

    @Test
    void framesToTheTapStillGoStraightThere() {
        byte[] ping = tapnet.testing.FrameBuilder.echoRequest(EngineHarness.PEER_MAC, b.mac(), EngineHarness.PEER_IP,
                b.address(), 1, 1, new byte[8]);
        List<Decoded> out = net.send(ping);
        assertEquals(1, out.size());
        assertEquals(EngineHarness.PEER_MAC, out.get(0).ethDestination());
        assertEquals(0, net.engine.nextDeadline() == tapnet.time.TimerWheel.NONE ? 0 : 1, "nothing left to deliver");
    }
}
