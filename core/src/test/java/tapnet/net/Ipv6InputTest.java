package tapnet.net;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.observe.DropReason;
import tapnet.service.UdpEchoService;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.testing.FrameBuilder.Extension;
import tapnet.wire.Icmpv6Message;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.Ipv6Packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tapnet.testing.FrameBuilder.echoRequest6;
import static tapnet.testing.FrameBuilder.icmpv6;
import static tapnet.testing.FrameBuilder.ipv6;
import static tapnet.testing.FrameBuilder.udp6;
import static tapnet.testing.FrameBuilder.udp6Datagram;
import static tapnet.testing.FrameBuilder.v6;
import static tapnet.testing.FrameExchange.PEER6;
import static tapnet.testing.FrameExchange.PEER_IP;
import static tapnet.testing.FrameExchange.PEER_LINK_LOCAL;
import static tapnet.testing.FrameExchange.PEER_MAC;

/** A host's IPv6 above neighbour discovery: echo (RFC 4443), UDP, ICMPv6 errors, extension headers (RFC 8200). */
class Ipv6InputTest {
    private static final long[] WEB = v6("fd77::10");
    private static final byte[] DATA = "ping over six".getBytes();

    private final EngineHarness net = new EngineHarness().prefix6("fd77::/64");
    private final VirtualHost web = net.host6("web", "10.77.0.10", "fd77::10");

    private long dropped(DropReason reason) {
        return net.engine.counters().dropped(reason);
    }

    /** The IPv6 packet of {@code frame}, without its Ethernet header: what an ICMPv6 error quotes. */
    private static byte[] packetOf(byte[] frame) {
        return Arrays.copyOfRange(frame, 14, frame.length);
    }

    @Test
    void echoRequestIsAnsweredWithTheSameIdentifierSequenceAndData() {
        List<Decoded> out = net.send(echoRequest6(PEER_MAC, web.mac(), PEER6, WEB, 0x4242, 7, DATA));

        assertEquals(1, out.size(), out.toString());
        Decoded reply = out.get(0); // Decoded checked the ICMPv6 checksum over the pseudo-header
        assertEquals(Icmpv6Message.TYPE_ECHO_REPLY, reply.icmp().type());
        assertEquals(0, reply.icmp().code());
        assertEquals(0x4242, reply.icmp().identifier());
        assertEquals(7, reply.icmp().sequence());
        assertArrayEquals(DATA, reply.icmp().payload());
        assertEquals("fd77::10", reply.ipv6().source());
        assertEquals("fd77::1", reply.ipv6().destination());
        assertEquals(PEER_MAC, reply.ethDestination());
        assertEquals(web.mac(), reply.ethSource());
        assertEquals(1, net.engine.counters().get(Counter.ICMPV6_ECHO_REPLIES));
    }

    @Test
    void echoRequestToTheLinkLocalAddressIsAnsweredFromIt() {
        long[] linkLocal = FrameBuilder.linkLocal(web.mac());
        List<Decoded> out = net.send(echoRequest6(PEER_MAC, web.mac(), PEER_LINK_LOCAL, linkLocal, 1, 1, DATA));
        assertEquals(1, out.size(), out.toString());
        assertEquals(linkLocal[1], out.get(0).ipv6().sourceLow());
        assertEquals(PEER_LINK_LOCAL[1], out.get(0).ipv6().destinationLow());
    }

    @Test
    void echoRequestToAStoppedHostIsUnanswered() {
        net.engine.stopHost(web);
        assertTrue(net.send(echoRequest6(PEER_MAC, web.mac(), PEER6, WEB, 1, 1, DATA)).isEmpty());
        assertEquals(1, dropped(DropReason.HOST_STOPPED));
    }

    @Test
    void echoRequestWithABadChecksumIsDropped() {
        byte[] frame = echoRequest6(PEER_MAC, web.mac(), PEER6, WEB, 1, 1, DATA);
        frame[frame.length - 1] ^= 1;
        assertTrue(net.send(frame).isEmpty());
        assertEquals(1, dropped(DropReason.ICMPV6_BAD_CHECKSUM));
    }

    @Test
    void echoRequestToAnAddressNobodyHasIsDropped() {
        long[] nobody = v6("fd77::99");
        assertTrue(net.send(echoRequest6(PEER_MAC, web.mac(), PEER6, nobody, 1, 1, DATA)).isEmpty());
        assertEquals(1, dropped(DropReason.NO_HOST));
    }

    @Test
    void udpToAServedPortIsAnsweredOverIpv6WithAChecksum() {
        net.engine.listenUdp(web, 7, new UdpEchoService());
        List<Decoded> out = net.send(udp6(PEER_MAC, web.mac(), PEER6, WEB, 5000, 7, DATA));

        assertEquals(1, out.size(), out.toString());
        Decoded reply = out.get(0); // Decoded refuses a zero or wrong UDP checksum over IPv6
        assertEquals(7, reply.udp().sourcePort());
        assertEquals(5000, reply.udp().destinationPort());
        assertArrayEquals(DATA, reply.udp().payload());
        assertEquals("fd77::10", reply.ipv6().source());
        assertEquals("fd77::1", reply.ipv6().destination());
    }

    @Test
    void udpWithChecksumZeroIsDropped() {
        net.engine.listenUdp(web, 7, new UdpEchoService());
        byte[] frame = udp6(PEER_MAC, web.mac(), PEER6, WEB, 5000, 7, DATA);
        frame[14 + 40 + 6] = 0;
        frame[14 + 40 + 7] = 0;
        assertTrue(net.send(frame).isEmpty(), "RFC 8200 §8.1: a zero UDP checksum over IPv6 is discarded");
        assertEquals(1, dropped(DropReason.UDP_BAD_CHECKSUM));
    }

    @Test
    void udpToAPortNobodyServesGetsPortUnreachableQuotingThePacket() {
        byte[] frame = udp6(PEER_MAC, web.mac(), PEER6, WEB, 5000, 9999, DATA);
        List<Decoded> out = net.send(frame);

        assertEquals(1, out.size(), out.toString());
        Decoded error = out.get(0);
        assertEquals(Icmpv6Message.TYPE_DESTINATION_UNREACHABLE, error.icmp().type());
        assertEquals(Icmpv6Message.CODE_PORT_UNREACHABLE, error.icmp().code());
        assertEquals(0, error.icmp().restOfHeader(), "unused, zero (RFC 4443 §3.1)");
        assertArrayEquals(packetOf(frame), error.icmp().payload(), "as much of the packet as fits");
        assertEquals("fd77::1", error.ipv6().destination());
        assertEquals(1, net.engine.counters().get(Counter.ICMPV6_ERRORS_SENT));
    }

    @Test
    void anErrorQuotesNoMoreThanTheMinimumMtuHolds() {
        byte[] frame = udp6(PEER_MAC, web.mac(), PEER6, WEB, 5000, 9999, new byte[1400]);
        List<Decoded> out = net.send(frame);

        assertEquals(1, out.size());
        assertEquals(Ipv6Packet.MIN_MTU, out.get(0).raw().length - 14, "RFC 4443 §2.4(c): up to 1280 bytes in all");
        assertArrayEquals(Arrays.copyOf(packetOf(frame), 1280 - 48), out.get(0).icmp().payload());
    }

    @Test
    void hopByHopPadNThenUdpIsTaken() {
        net.engine.listenUdp(web, 7, new UdpEchoService());
        byte[] frame = ipv6(PEER_MAC, web.mac(), PEER6, WEB, 64, Ipv6Packet.NEXT_UDP,
                udp6Datagram(PEER6, WEB, 5000, 7, DATA), Extension.hopByHopPadN());
        List<Decoded> out = net.send(frame);
        assertEquals(1, out.size(), out.toString());
        assertArrayEquals(DATA, out.get(0).udp().payload());
    }

    @Test
    void hopByHopPadNThenEchoIsAnswered() {
        byte[] frame = ipv6(PEER_MAC, web.mac(), PEER6, WEB, 64, Ipv6Packet.NEXT_ICMPV6,
                icmpv6(PEER6, WEB, Icmpv6Message.TYPE_ECHO_REQUEST, 0, 0x00010002, DATA), Extension.hopByHopPadN());
        List<Decoded> out = net.send(frame);
        assertEquals(1, out.size(), out.toString());
        assertEquals(Icmpv6Message.TYPE_ECHO_REPLY, out.get(0).icmp().type());
        assertArrayEquals(DATA, out.get(0).icmp().payload());
    }

    @Test
    void unknownNextHeaderGetsParameterProblemCode1PointingAtIt() {
        byte[] frame = ipv6(PEER_MAC, web.mac(), PEER6, WEB, 64, 253, DATA);
        List<Decoded> out = net.send(frame);

        assertEquals(1, out.size(), out.toString());
        Decoded error = out.get(0);
        assertEquals(Icmpv6Message.TYPE_PARAMETER_PROBLEM, error.icmp().type());
        assertEquals(Icmpv6Message.CODE_UNRECOGNIZED_NEXT_HEADER, error.icmp().code());
        assertEquals(6, error.icmp().restOfHeader(), "the fixed header's Next Header field (RFC 4443 §3.4)");
        assertArrayEquals(packetOf(frame), error.icmp().payload());
        assertEquals(1, dropped(DropReason.IPV6_EXTENSION_REFUSED));
    }

    @Test
    void unknownNextHeaderAfterHopByHopPointsAtTheExtensionsField() {
        byte[] frame = ipv6(PEER_MAC, web.mac(), PEER6, WEB, 64, 253, DATA, Extension.hopByHopPadN());
        List<Decoded> out = net.send(frame);
        assertEquals(1, out.size(), out.toString());
        assertEquals(Icmpv6Message.CODE_UNRECOGNIZED_NEXT_HEADER, out.get(0).icmp().code());
        assertEquals(40, out.get(0).icmp().restOfHeader());
    }

    @Test
    void unknownDestinationOptionOfAction10GetsParameterProblemCode2() {
        net.engine.listenUdp(web, 7, new UdpEchoService());
        byte[] frame = ipv6(PEER_MAC, web.mac(), PEER6, WEB, 64, Ipv6Packet.NEXT_UDP,
                udp6Datagram(PEER6, WEB, 5000, 7, DATA), Extension.destinationOption(0x87));
        List<Decoded> out = net.send(frame);

        assertEquals(1, out.size(), out.toString());
        Decoded error = out.get(0);
        assertEquals(Icmpv6Message.TYPE_PARAMETER_PROBLEM, error.icmp().type());
        assertEquals(Icmpv6Message.CODE_UNRECOGNIZED_OPTION, error.icmp().code());
        assertEquals(42, error.icmp().restOfHeader(), "the option's type byte");
    }

    @Test
    void unknownDestinationOptionOfAction01IsDiscardedSilently() {
        net.engine.listenUdp(web, 7, new UdpEchoService());
        byte[] frame = ipv6(PEER_MAC, web.mac(), PEER6, WEB, 64, Ipv6Packet.NEXT_UDP,
                udp6Datagram(PEER6, WEB, 5000, 7, DATA), Extension.destinationOption(0x47));
        assertTrue(net.send(frame).isEmpty());
        assertEquals(1, dropped(DropReason.IPV6_EXTENSION_REFUSED));
    }

    @Test
    void noErrorIsSentAboutAnIcmpv6Error() {
        // a port unreachable of the peer's, behind an option the host does not know: RFC 4443 §2.4(e.1)
        byte[] error = icmpv6(PEER6, WEB, Icmpv6Message.TYPE_DESTINATION_UNREACHABLE, 4, 0, new byte[48]);
        byte[] frame = ipv6(PEER_MAC, web.mac(), PEER6, WEB, 64, Ipv6Packet.NEXT_ICMPV6, error,
                Extension.destinationOption(0x87));
        assertTrue(net.send(frame).isEmpty(), "no parameter problem about an ICMPv6 error");
    }

    @Test
    void icmpv6ErrorsFromThePeerAreTakenSilently() {
        byte[] frame = ipv6(PEER_MAC, web.mac(), PEER6, WEB, 64, Ipv6Packet.NEXT_ICMPV6,
                icmpv6(PEER6, WEB, Icmpv6Message.TYPE_DESTINATION_UNREACHABLE, 4, 0, new byte[48]));
        assertTrue(net.send(frame).isEmpty());
    }

    @Test
    void multicastSourceIsDropped() {
        assertTrue(net.send(echoRequest6(PEER_MAC, web.mac(), v6("ff02::1"), WEB, 1, 1, DATA)).isEmpty());
        assertEquals(1, dropped(DropReason.IPV6_NOT_UNICAST));
    }

    @Test
    void multicastOtherThanASolicitationIsDropped() {
        long[] allNodes = v6("ff02::1");
        byte[] frame = ipv6(PEER_MAC, 0x3333_0000_0001L, PEER6, allNodes, 64, Ipv6Packet.NEXT_ICMPV6,
                icmpv6(PEER6, allNodes, Icmpv6Message.TYPE_ECHO_REQUEST, 0, 1, DATA));
        assertTrue(net.send(frame).isEmpty());
        assertEquals(1, dropped(DropReason.IPV6_NOT_UNICAST));
    }

    @Test
    void truncatedHeaderIsMalformed() {
        byte[] frame = echoRequest6(PEER_MAC, web.mac(), PEER6, WEB, 1, 1, DATA);
        assertTrue(net.send(Arrays.copyOf(frame, 14 + 30)).isEmpty());
        assertEquals(1, dropped(DropReason.IPV6_MALFORMED));
    }

    @Test
    void payloadLengthPastTheFrameIsMalformed() {
        byte[] frame = echoRequest6(PEER_MAC, web.mac(), PEER6, WEB, 1, 1, DATA);
        frame[14 + 5] += 1;
        assertTrue(net.send(frame).isEmpty());
        assertEquals(1, dropped(DropReason.IPV6_MALFORMED));
    }

    @Test
    void ipv4PacketToTheReservedRangeIsDropped() {
        assertTrue(net.send(FrameBuilder.echoRequest(PEER_MAC, web.mac(), PEER_IP, 0xf000_0001, 1, 1, DATA)).isEmpty());
        assertEquals(1, dropped(DropReason.IPV4_RESERVED), "240.0.0.0/4 names IPv6 addresses inside tapnet");
    }

    @Test
    void ipv4PacketFromTheReservedRangeIsDropped() {
        net.engine.listenUdp(web, 7, new UdpEchoService());
        int handleOfWeb = web.address6();
        assertTrue(net.send(FrameBuilder.udp(PEER_MAC, web.mac(), handleOfWeb, web.address(), 5000, 7, DATA)).isEmpty());
        assertEquals(1, dropped(DropReason.IPV4_RESERVED));
        assertTrue(net.send(FrameBuilder.udp(PEER_MAC, web.mac(), 0xf7ff_0000, web.address(), 5000, 7, DATA)).isEmpty());
        assertEquals(2, dropped(DropReason.IPV4_RESERVED));
    }

    @Test
    void ipv4PacketToAHostsIpv6HandleIsDropped() {
        assertTrue(net.send(FrameBuilder.echoRequest(PEER_MAC, web.mac(), PEER_IP, web.address6(), 1, 1, DATA)).isEmpty());
        assertEquals(1, dropped(DropReason.IPV4_RESERVED));
    }

    @Test
    void aNewPeerWhenTheAddressTableIsFullIsDroppedAndCounted() {
        tapnet.wire.Ipv6Addresses table = net.engine.hosts().addresses6();
        for (long low = 1; table.size() < table.capacity(); low++) {
            table.intern(0x2001_0db8_0000_0000L, low);
        }
        List<Decoded> out = net.send(echoRequest6(PEER_MAC, web.mac(), PEER6, WEB, 1, 1, DATA));
        assertTrue(out.isEmpty(), out.toString());
        assertEquals(1, dropped(DropReason.IPV6_ADDRESS_TABLE_FULL));
        // a peer the table already holds is still answered
        assertEquals(1, net.send(echoRequest6(PEER_MAC, web.mac(), v6("2001:db8::1"), WEB, 1, 1, DATA)).size());
    }

    @Test
    void ipv4HostWithoutIpv6IgnoresIpv6() {
        VirtualHost v4 = net.host("v4", "10.77.0.20");
        assertTrue(net.send(echoRequest6(PEER_MAC, v4.mac(), PEER6, v6("fd77::20"), 1, 1, DATA)).isEmpty());
        assertEquals(1, dropped(DropReason.NO_HOST));
    }

    @Test
    void ipv4StillWorksBesideIpv6() {
        List<Decoded> out = net.send(FrameBuilder.echoRequest(PEER_MAC, web.mac(), PEER_IP, web.address(), 1, 1, DATA));
        assertEquals(1, out.size());
        assertEquals(Ipv4Packet.PROTOCOL_ICMP, out.get(0).protocol());
    }

    @Test
    void aHostsOwnDatagramToAnIpv6PeerWaitsForItsAdvertisementAndItsAnswerComesBack() {
        List<String> heard = new java.util.ArrayList<>();
        int port = net.engine.datagrams().bind(web, exchange -> heard.add(exchange.remotePort() + ":" + exchange.payloadLength()));
        int peer = net.engine.hosts().addresses6().intern(PEER6[0], PEER6[1]);
        net.engine.datagrams().send(web, port, peer, 5353, DATA, DATA.length);
        List<Decoded> ns = net.advanceMillis(0);
        assertEquals(1, ns.size(), ns.toString());
        assertEquals(Icmpv6Message.TYPE_NEIGHBOR_SOLICITATION, ns.get(0).icmp().type());
        assertEquals("fd77::10", ns.get(0).ipv6().source());

        byte[] na = ipv6(PEER_MAC, web.mac(), PEER6, WEB, 255, Ipv6Packet.NEXT_ICMPV6, icmpv6(PEER6, WEB,
                Icmpv6Message.TYPE_NEIGHBOR_ADVERTISEMENT, 0, 0x6000_0000, FrameBuilder.ndBody(PEER6, FrameBuilder.targetLinkLayer(PEER_MAC))));
        List<Decoded> out = net.send(na);
        assertEquals(1, out.size(), out.toString());
        Decoded datagram = out.get(0); // its checksum checked over the IPv6 pseudo-header
        assertEquals("fd77::10", datagram.ipv6().source());
        assertEquals("fd77::1", datagram.ipv6().destination());
        assertEquals(port, datagram.udp().sourcePort());
        assertEquals(5353, datagram.udp().destinationPort());
        assertArrayEquals(DATA, datagram.udp().payload());

        assertTrue(net.send(udp6(PEER_MAC, web.mac(), PEER6, WEB, 5353, port, new byte[3])).isEmpty());
        assertEquals(List.of("5353:3"), heard, "the answer reaches the port it was sent from");
    }

    @Test
    void packetsRefusedAddNoPeerToTheAddressTable() {
        int before = net.engine.hosts().addresses6().size();
        byte[] badEcho = echoRequest6(PEER_MAC, web.mac(), v6("fd77::55"), WEB, 1, 1, DATA);
        badEcho[badEcho.length - 1] ^= 1;
        byte[] badSyn = FrameBuilder.tcp(PEER_MAC, web.mac(), 0, 0).ports(1000, 9).flags(2).ipv6(v6("fd77::56"), WEB).build();
        badSyn[badSyn.length - 1] ^= 1;
        byte[] routerSolicitation = ipv6(PEER_MAC, web.mac(), v6("fd77::57"), WEB, 255, Ipv6Packet.NEXT_ICMPV6,
                icmpv6(v6("fd77::57"), WEB, Icmpv6Message.TYPE_ROUTER_SOLICITATION, 0, 0, new byte[0]));
        byte[] zeroUdp = udp6(PEER_MAC, web.mac(), v6("fd77::58"), WEB, 5000, 7, DATA);
        zeroUdp[14 + 40 + 6] = 0;
        zeroUdp[14 + 40 + 7] = 0;
        byte[] nothingNext = ipv6(PEER_MAC, web.mac(), v6("fd77::59"), WEB, 64, Ipv6Packet.NEXT_NONE, new byte[8]);
        for (byte[] frame : List.of(badEcho, badSyn, routerSolicitation, zeroUdp, nothingNext)) {
            assertTrue(net.send(frame).isEmpty());
        }
        assertEquals(before, net.engine.hosts().addresses6().size(), "the table gives no entry back: refused packets take none");
        assertEquals(1, dropped(DropReason.ICMPV6_BAD_CHECKSUM));
        assertEquals(1, dropped(DropReason.TCP_BAD_CHECKSUM));
        assertEquals(1, dropped(DropReason.ICMPV6_IGNORED));
        assertEquals(1, dropped(DropReason.UDP_BAD_CHECKSUM));
        assertEquals(1, dropped(DropReason.PROTOCOL_UNSUPPORTED));
    }
}
