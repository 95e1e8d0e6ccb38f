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
import tapnet.service.UdpEchoService;
import tapnet.tcp.ConnectionHandler;
import tapnet.tcp.TcpConnection;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.wire.Icmpv6Message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One virtual host to another over IPv6: the asker's neighbour solicitation, multicast to the target's
 * solicited-node group, reaches the other hosts as an ARP broadcast does (and the TAP), then TCP and UDP.
 */
class Ipv6HostToHostTest {
    private static final Impairments FIVE_MS = Impairments.NONE.withDelay(Duration.ofMillis(5));

    private final EngineHarness net = new EngineHarness().prefix6("fd77::/64");
    private final VirtualHost a = net.host6("a", "10.77.0.10", "fd77::10");
    private final VirtualHost b = net.host6("b", "10.77.0.20", "fd77::20");
    private final long start = net.clock.nanos();
    private final List<String> events = new ArrayList<>();

    {
        net.engine.listen(b, 7, new EchoService());
    }

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
    };

    private long millis() {
        return TimeUnit.NANOSECONDS.toMillis(net.clock.nanos() - start);
    }

    @Test
    void aConnectsToBsEchoOverIpv6AcrossBothLinks() {
        net.engine.setLink(a, FIVE_MS, FIVE_MS);
        net.engine.setLink(b, FIVE_MS, FIVE_MS);
        assertNotNull(net.engine.connect(a, b.address6(), 7, client));
        List<Decoded> toTap = net.advanceMillis(100);

        // NS and NA (20 ms), SYN and SYN-ACK (20 ms), then the echo's round trip: 5 + 5 each way.
        assertEquals(List.of("open 40", "hello 60"), events);
        assertEquals(1, toTap.size(), "only A's solicitation reaches the TAP: " + toTap);
        assertEquals(Icmpv6Message.TYPE_NEIGHBOR_SOLICITATION, toTap.get(0).icmp().type());
        assertEquals("fd77::20", toTap.get(0).ndp().target());
        assertEquals(2, net.engine.tcp().connections().size(), "A's end and B's");
    }

    @Test
    void aConnectsToBsLinkLocalAddress() {
        assertNotNull(net.engine.connect(a, b.linkLocal(), 7, client));
        net.advanceMillis(0);
        assertEquals(List.of("open 0", "hello 0"), events);
    }

    @Test
    void aUdpDatagramFromAToBsEchoComesBack() {
        net.engine.listenUdp(b, 7, new UdpEchoService());
        List<String> heard = new ArrayList<>();
        int port = net.engine.datagrams().bind(a, exchange -> heard.add("from " + exchange.remotePort()));
        net.engine.datagrams().send(a, port, b.address6(), 7, new byte[] {1, 2, 3}, 3);
        net.advanceMillis(0);
        assertEquals(List.of("from 7"), heard);
    }

    @Test
    void aPartitionBetweenTheHostsCutsTheirSolicitations() {
        net.engine.partition(List.of(List.of("a"), List.of("b")));
        net.engine.connect(a, b.address6(), 7, client);
        net.advanceMillis(100);
        assertTrue(events.isEmpty(), events.toString());
        assertTrue(net.engine.counters().dropped(DropReason.PARTITIONED) > 0);
    }

    @Test
    void anIpv4OnlyHostNeitherConnectsNorSendsToAnIpv6Address() {
        VirtualHost old = net.host("old", "10.77.0.30");
        assertEquals(null, net.engine.connect(old, b.address6(), 7, client), "no IPv6 address to connect from");
        assertEquals(false, net.engine.datagrams().send(old, 50000, b.address6(), 7, new byte[1], 1));
        assertTrue(net.advanceMillis(100).isEmpty(), "nothing sent, above all not from another host's address");
        assertEquals(0, net.engine.tcp().connections().size());
    }
}
