package tapnet.engine;

import org.junit.jupiter.api.Test;
import tapnet.node.VirtualHost;
import tapnet.observe.DropReason;
import tapnet.service.EchoService;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.wire.Ipv4Address;
import tapnet.wire.TcpSegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Behind its devices (a flood), the engine drops IPv4 from off the TAP's subnet and IPv6 from off its prefix unanswered, and only that. */
class LoadSheddingTest {
    private final EngineHarness net = new EngineHarness();
    private final VirtualHost web = net.host("web", "10.77.0.10", 80, new EchoService());

    LoadSheddingTest() {
        net.engine.segmentSubnet(Ipv4Address.parse("10.77.0.0"), 24);
    }

    private byte[] synFrom(String source) {
        return FrameBuilder.tcp(EngineHarness.PEER_MAC, web.mac(), Ipv4Address.parse(source), web.address())
                .ports(40000, 80).seq(1).flags(TcpSegment.SYN).mss(1460).build();
    }

    @Test
    void whileKeepingUpEverySynIsAnsweredWhereverItComesFrom() {
        assertEquals(1, net.send(synFrom("203.0.113.9")).size());
        assertEquals(1, net.send(synFrom("10.77.0.1")).size());
        assertEquals(0, net.engine.counters().dropped(DropReason.SHED_OFF_SUBNET));
    }

    @Test
    void behindItDropsSynsFromOffTheSubnetUnansweredAndStillAnswersTheSegment() {
        net.engine.behind(true);
        assertTrue(net.send(synFrom("203.0.113.9")).isEmpty(), "a flood's random source: no SYN-ACK, no work");
        assertEquals(1, net.engine.counters().dropped(DropReason.SHED_OFF_SUBNET));
        assertEquals(1, net.send(synFrom("10.77.0.1")).size(), "the kernel of the TAP's namespace is answered");
        assertEquals(1, net.send(FrameBuilder.echoRequest(EngineHarness.PEER_MAC, web.mac(), EngineHarness.PEER_IP,
                web.address(), 1, 1, new byte[8])).size(), "and so is its ping");
        net.engine.behind(false);
        assertEquals(1, net.send(synFrom("203.0.113.9")).size(), "caught up: answered again");
    }

    @Test
    void behindItDropsIpv6FromOffThePrefixAndStillAnswersTheSegmentAndLinkLocal() {
        EngineHarness six = new EngineHarness().prefix6("fd77::/64");
        VirtualHost host = six.host6("web6", "10.77.0.11", "fd77::11");
        six.engine.listen(host, 80, new EchoService());
        long[] web6 = FrameBuilder.v6("fd77::11");
        six.engine.behind(true);
        byte[] flood = FrameBuilder.tcp(EngineHarness.PEER_MAC, host.mac(), 0, 0).ipv6(FrameBuilder.v6("2001:db8::9"), web6)
                .ports(40000, 80).seq(1).flags(TcpSegment.SYN).mss(1440).build();
        assertTrue(six.send(flood).isEmpty(), "a flood's random IPv6 source: no SYN-ACK, no work");
        assertEquals(1, six.engine.counters().dropped(DropReason.SHED_OFF_SUBNET));
        assertEquals(0, six.engine.hosts().addresses6().find(FrameBuilder.v6("2001:db8::9")[0], FrameBuilder.v6("2001:db8::9")[1]),
                "nor an entry in the address table");
        for (String source : new String[] {"fd77::1", "fe80::1"}) {
            byte[] syn = FrameBuilder.tcp(EngineHarness.PEER_MAC, host.mac(), 0, 0).ipv6(FrameBuilder.v6(source), web6)
                    .ports(40001, 80).seq(1).flags(TcpSegment.SYN).mss(1440).build();
            assertEquals(1, six.send(syn).size(), source + " is on the segment: answered");
        }
    }
}
