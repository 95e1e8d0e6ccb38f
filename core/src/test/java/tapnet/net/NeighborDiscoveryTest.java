package tapnet.net;

import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.observe.DropReason;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.wire.Icmpv6Message;
import tapnet.wire.Ipv6Address;
import tapnet.wire.Ipv6Packet;
import tapnet.wire.MacAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tapnet.testing.FrameBuilder.icmpv6;
import static tapnet.testing.FrameBuilder.ipv6;
import static tapnet.testing.FrameBuilder.ndBody;
import static tapnet.testing.FrameBuilder.solicitedNode;
import static tapnet.testing.FrameBuilder.sourceLinkLayer;
import static tapnet.testing.FrameBuilder.targetLinkLayer;
import static tapnet.testing.FrameBuilder.v6;
import static tapnet.testing.FrameExchange.PEER6;
import static tapnet.testing.FrameExchange.PEER_LINK_LOCAL;
import static tapnet.testing.FrameExchange.PEER_MAC;

/** Neighbour discovery as RFC 4861 has a host do it: solicitations answered, checked, and neighbours learned. */
class NeighborDiscoveryTest {
    private static final long[] WEB = v6("fd77::10");
    private static final long[] NOBODY = v6("fd77::99");
    private static final long ALL_NODES_MAC = MacAddress.parse("33:33:00:00:00:01");

    private final EngineHarness net = new EngineHarness().prefix6("fd77::/64");
    private final VirtualHost web = net.host6("web", "10.77.0.10", "fd77::10");

    /** An NS to {@code target}'s solicited-node group from {@code source}, as given (hop limit, code, body). */
    private byte[] solicitation(long[] source, long[] target, int hopLimit, int code, byte[] body) {
        long[] group = solicitedNode(target);
        return ipv6(PEER_MAC, Ipv6Address.multicastMac(group[1]), source, group, hopLimit, Ipv6Packet.NEXT_ICMPV6,
                icmpv6(source, group, Icmpv6Message.TYPE_NEIGHBOR_SOLICITATION, code, 0, body));
    }

    private long dropped(DropReason reason) {
        return net.engine.counters().dropped(reason);
    }

    @Test
    void solicitationToTheSolicitedNodeGroupGetsASolicitedAdvertisementUnicastToTheAsker() {
        List<Decoded> out = net.send(FrameBuilder.neighborSolicitation(PEER_MAC, PEER6, WEB));

        assertEquals(1, out.size(), out.toString());
        Decoded na = out.get(0);
        assertEquals(Icmpv6Message.TYPE_NEIGHBOR_ADVERTISEMENT, na.icmp().type());
        assertEquals(0, na.icmp().code());
        assertTrue(na.ndp().solicited(), "S: an answer to a solicitation (§7.2.4)");
        assertTrue(na.ndp().override(), "O: the host's own address, no anycast (§7.2.4)");
        assertFalse(na.ndp().router(), "R: a host, no router");
        assertEquals("fd77::10", na.ndp().target());
        assertEquals(web.mac(), na.ndp().targetLinkLayer(), "its MAC in the target link-layer option");
        assertEquals(255, na.ipv6().hopLimit(), "§7.1.2: 255 or the receiver drops it");
        assertEquals("fd77::10", na.ipv6().source());
        assertEquals("fd77::1", na.ipv6().destination(), "unicast to the asker");
        assertEquals(PEER_MAC, na.ethDestination(), "to the MAC of the asker's source link-layer option");
        assertEquals(web.mac(), na.ethSource());
        assertEquals(1, net.engine.counters().get(Counter.NDP_ADVERTISEMENTS));
    }

    @Test
    void solicitationForTheLinkLocalAddressItsMacMakesIsAnswered() {
        long[] linkLocal = FrameBuilder.linkLocal(web.mac());
        List<Decoded> out = net.send(FrameBuilder.neighborSolicitation(PEER_MAC, PEER_LINK_LOCAL, linkLocal));

        assertEquals(1, out.size(), out.toString());
        assertEquals(Ipv6Address.format(linkLocal[0], linkLocal[1]), out.get(0).ndp().target());
        assertEquals(Ipv6Address.format(linkLocal[0], linkLocal[1]), out.get(0).ipv6().source());
        assertEquals(Ipv6Address.format(PEER_LINK_LOCAL[0], PEER_LINK_LOCAL[1]), out.get(0).ipv6().destination());
        assertTrue(out.get(0).ndp().solicited());
    }

    @Test
    void linkLocalAddressIsFe80WithTheModifiedEui64OfTheMac() {
        long[] linkLocal = FrameBuilder.linkLocal(MacAddress.parse("52:54:00:12:34:56"));
        assertEquals("fe80::5054:ff:fe12:3456", Ipv6Address.format(linkLocal[0], linkLocal[1]));
    }

    @Test
    void solicitationForAnAddressNobodyHasIsCountedAndUnanswered() {
        assertTrue(net.send(FrameBuilder.neighborSolicitation(PEER_MAC, PEER6, NOBODY)).isEmpty());
        assertEquals(1, dropped(DropReason.NDP_NOT_OURS));
    }

    @Test
    void solicitationWithHopLimitOtherThan255IsMalformed() {
        assertTrue(net.send(solicitation(PEER6, WEB, 254, 0, ndBody(WEB, sourceLinkLayer(PEER_MAC)))).isEmpty());
        assertEquals(1, dropped(DropReason.NDP_MALFORMED));
    }

    @Test
    void solicitationWithNonZeroCodeIsMalformed() {
        assertTrue(net.send(solicitation(PEER6, WEB, 255, 1, ndBody(WEB, sourceLinkLayer(PEER_MAC)))).isEmpty());
        assertEquals(1, dropped(DropReason.NDP_MALFORMED));
    }

    @Test
    void solicitationWithAZeroLengthOptionIsMalformed() {
        byte[] body = ndBody(WEB, sourceLinkLayer(PEER_MAC));
        body[17] = 0; // §7.1.1: all included options have a length greater than zero
        assertTrue(net.send(solicitation(PEER6, WEB, 255, 0, body)).isEmpty());
        assertEquals(1, dropped(DropReason.NDP_MALFORMED));
    }

    @Test
    void solicitationShorterThanItsTargetIsMalformed() {
        assertTrue(net.send(solicitation(PEER6, WEB, 255, 0, new byte[12])).isEmpty());
        assertEquals(1, dropped(DropReason.NDP_MALFORMED));
    }

    @Test
    void solicitationFromUnspecifiedWithASourceLinkLayerOptionIsMalformed() {
        assertTrue(net.send(solicitation(new long[2], WEB, 255, 0, ndBody(WEB, sourceLinkLayer(PEER_MAC)))).isEmpty());
        assertEquals(1, dropped(DropReason.NDP_MALFORMED), "§7.1.1: no source link-layer option from ::");
    }

    @Test
    void solicitationFromUnspecifiedToAUnicastDestinationIsMalformed() {
        long[] unspecified = new long[2];
        byte[] frame = ipv6(PEER_MAC, web.mac(), unspecified, WEB, 255, Ipv6Packet.NEXT_ICMPV6,
                icmpv6(unspecified, WEB, Icmpv6Message.TYPE_NEIGHBOR_SOLICITATION, 0, 0, ndBody(WEB)));
        assertTrue(net.send(frame).isEmpty());
        assertEquals(1, dropped(DropReason.NDP_MALFORMED), "§7.1.1: from :: only to a solicited-node group");
    }

    @Test
    void solicitationForAMulticastTargetIsMalformed() {
        long[] group = v6("ff02::1");
        assertTrue(net.send(solicitation(PEER6, group, 255, 0, ndBody(group, sourceLinkLayer(PEER_MAC)))).isEmpty());
        assertEquals(1, dropped(DropReason.NDP_MALFORMED));
    }

    @Test
    void solicitationWithABadChecksumIsDropped() {
        byte[] frame = FrameBuilder.neighborSolicitation(PEER_MAC, PEER6, WEB);
        frame[14 + 40 + 2] ^= 1;
        assertTrue(net.send(frame).isEmpty());
        assertEquals(1, dropped(DropReason.ICMPV6_BAD_CHECKSUM));
    }

    @Test
    void duplicateAddressProbeIsAnsweredToAllNodesWithSolicitedClear() {
        long[] unspecified = new long[2];
        List<Decoded> out = net.send(solicitation(unspecified, WEB, 255, 0, ndBody(WEB)));

        assertEquals(1, out.size(), out.toString());
        Decoded na = out.get(0);
        assertEquals(Icmpv6Message.TYPE_NEIGHBOR_ADVERTISEMENT, na.icmp().type());
        assertFalse(na.ndp().solicited(), "§7.2.4: S clear when the solicitation came from ::");
        assertTrue(na.ndp().override());
        assertEquals("ff02::1", na.ipv6().destination());
        assertEquals(ALL_NODES_MAC, na.ethDestination());
        assertEquals(255, na.ipv6().hopLimit());
        assertEquals("fd77::10", na.ndp().target());
        assertEquals(web.mac(), na.ndp().targetLinkLayer());
    }

    @Test
    void solicitationToAStoppedHostIsUnanswered() {
        net.engine.stopHost(web);
        assertTrue(net.send(FrameBuilder.neighborSolicitation(PEER_MAC, PEER6, WEB)).isEmpty());
        assertEquals(1, dropped(DropReason.HOST_STOPPED));
    }

    @Test
    void solicitationWithASourceLinkLayerOptionTeachesAnOnLinkAsker() {
        long asker = MacAddress.parse("02:00:00:00:00:77");
        net.send(FrameBuilder.neighborSolicitation(asker, v6("fd77::77"), WEB));
        int handle = net.engine.hosts().addresses6().find(0xfd77_0000_0000_0000L, 0x77);
        assertEquals(asker, net.engine.neighbors().lookup(handle));
    }

    @Test
    void solicitationFromALinkLocalAskerTeachesIt() {
        net.send(FrameBuilder.neighborSolicitation(PEER_MAC, PEER_LINK_LOCAL, WEB));
        int handle = net.engine.hosts().addresses6().find(PEER_LINK_LOCAL[0], PEER_LINK_LOCAL[1]);
        assertEquals(PEER_MAC, net.engine.neighbors().lookup(handle));
    }

    @Test
    void solicitationFromAnAskerOutsideThePrefixIsAnsweredButNotLearned() {
        long[] offLink = v6("2001:db8::5");
        List<Decoded> out = net.send(FrameBuilder.neighborSolicitation(PEER_MAC, offLink, WEB));
        assertEquals(1, out.size(), "answered all the same (§7.2.3)");
        int handle = net.engine.hosts().addresses6().find(offLink[0], offLink[1]);
        assertEquals(-1, net.engine.neighbors().lookup(handle), "not a neighbour: its MAC is not learned");
    }

    @Test
    void advertisementTeachesItsTargetsMac() {
        long mac = MacAddress.parse("02:00:00:00:00:42");
        long[] target = v6("fd77::42");
        byte[] na = ipv6(mac, web.mac(), target, WEB, 255, Ipv6Packet.NEXT_ICMPV6,
                icmpv6(target, WEB, Icmpv6Message.TYPE_NEIGHBOR_ADVERTISEMENT, 0, 0x6000_0000, ndBody(target, targetLinkLayer(mac))));
        assertTrue(net.send(na).isEmpty());
        int handle = net.engine.hosts().addresses6().find(target[0], target[1]);
        assertEquals(mac, net.engine.neighbors().lookup(handle));
    }

    @Test
    void advertisementWithHopLimitBelow255TeachesNothing() {
        long mac = MacAddress.parse("02:00:00:00:00:42");
        long[] target = v6("fd77::42");
        byte[] na = ipv6(mac, web.mac(), target, WEB, 64, Ipv6Packet.NEXT_ICMPV6,
                icmpv6(target, WEB, Icmpv6Message.TYPE_NEIGHBOR_ADVERTISEMENT, 0, 0x6000_0000, ndBody(target, targetLinkLayer(mac))));
        net.send(na);
        assertEquals(1, dropped(DropReason.NDP_MALFORMED));
        int handle = net.engine.hosts().addresses6().find(target[0], target[1]);
        assertEquals(-1, net.engine.neighbors().lookup(handle));
    }

    @Test
    void unicastSolicitationWithoutLinkLayerOptionIsAnsweredToTheFramesSource() {
        // neighbour unreachability detection (RFC 4861 §7.3.1): unicast, and the asker's MAC known already
        byte[] ns = ipv6(PEER_MAC, web.mac(), PEER6, WEB, 255, Ipv6Packet.NEXT_ICMPV6,
                icmpv6(PEER6, WEB, Icmpv6Message.TYPE_NEIGHBOR_SOLICITATION, 0, 0, ndBody(WEB)));
        List<Decoded> out = net.send(ns);
        assertEquals(1, out.size(), out.toString());
        assertEquals(PEER_MAC, out.get(0).ethDestination());
        assertEquals("fd77::1", out.get(0).ipv6().destination());
        assertTrue(out.get(0).ndp().solicited());
        assertEquals(web.mac(), out.get(0).ndp().targetLinkLayer());
    }

    @Test
    void unicastSolicitationWithHopLimitBelow255IsMalformed() {
        byte[] ns = ipv6(PEER_MAC, web.mac(), PEER6, WEB, 64, Ipv6Packet.NEXT_ICMPV6,
                icmpv6(PEER6, WEB, Icmpv6Message.TYPE_NEIGHBOR_SOLICITATION, 0, 0, ndBody(WEB)));
        assertTrue(net.send(ns).isEmpty());
        assertEquals(1, dropped(DropReason.NDP_MALFORMED));
    }

    @Test
    void theKernelsOwnDuplicateAddressProbeFindsNoConflict() {
        long[] unspecified = new long[2];
        assertTrue(net.send(solicitation(unspecified, PEER6, 255, 0, ndBody(PEER6))).isEmpty(), "nobody here has fd77::1");
        assertEquals(1, dropped(DropReason.NDP_NOT_OURS));
    }

    @Test
    void solicitationsToAGroupOtherThanSolicitedNodeAreNotTaken() {
        long[] allNodes = v6("ff02::1");
        byte[] ns = ipv6(PEER_MAC, ALL_NODES_MAC, PEER6, allNodes, 255, Ipv6Packet.NEXT_ICMPV6,
                icmpv6(PEER6, allNodes, Icmpv6Message.TYPE_NEIGHBOR_SOLICITATION, 0, 0, ndBody(WEB, sourceLinkLayer(PEER_MAC))));
        assertTrue(net.send(ns).isEmpty());
        assertEquals(1, dropped(DropReason.IPV6_NOT_UNICAST));
    }

    @Test
    void duplicateAddressProbeForTheLinkLocalAddressIsAnsweredFromIt() {
        long[] unspecified = new long[2];
        long[] linkLocal = FrameBuilder.linkLocal(web.mac());
        List<Decoded> out = net.send(solicitation(unspecified, linkLocal, 255, 0, ndBody(linkLocal)));
        assertEquals(1, out.size(), out.toString());
        assertEquals("ff02::1", out.get(0).ipv6().destination());
        assertEquals(Ipv6Address.format(linkLocal[0], linkLocal[1]), out.get(0).ipv6().source());
        assertFalse(out.get(0).ndp().solicited());
    }
}
