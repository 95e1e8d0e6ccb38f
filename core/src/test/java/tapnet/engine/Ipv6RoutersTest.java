package tapnet.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.node.VirtualHost;
import tapnet.observe.DropReason;
import tapnet.service.EchoService;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.wire.Icmpv6Message;
import tapnet.wire.Ipv4Address;
import tapnet.wire.Ipv6Address;
import tapnet.wire.Ipv6FragmentHeader;
import tapnet.wire.Ipv6Packet;
import tapnet.wire.MacAddress;

/**
 * IPv6 through routers on the virtual clock (RFC 8200 §3, RFC 4443): the hop limit one less at each, time
 * exceeded where it runs out, address unreachable for an address on a router's subnet nobody has; and a
 * host's reassembly timing out with time exceeded code 1 when the first fragment came (RFC 8200 §4.5).
 */
class Ipv6RoutersTest {
    private static final long PEER = EngineHarness.PEER_MAC;
    private static final long[] PEER6 = EngineHarness.PEER6;

    private final EngineHarness net = new EngineHarness().prefix6("fd77::/64");
    private final VirtualHost r1 = router("r1", "10.77.0.254", "fd77::fe", "10.78.1.1", "fd78:1::1");
    private final VirtualHost r2 = router("r2", "10.78.1.2", "fd78:1::2", "10.78.2.1", "fd78:2::1");
    private final VirtualHost deep = host("deep", "10.78.2.10", "fd78:2::10");

    private VirtualHost router(String name, String address, String address6, String inside, String inside6) {
        int a = Ipv4Address.parse(address);
        VirtualHost router = net.engine.addRouter(name, a, MacAddress.derivedFrom(a), Ipv4Address.parse(inside), 24);
        net.engine.addRouter6(router, Ipv6Address.parse(address6), Ipv6Address.parse(inside6), 64);
        return router;
    }

    private VirtualHost host(String name, String address, String address6) {
        VirtualHost h = net.host6(name, address, address6);
        net.engine.listen(h, 7, new EchoService());
        return h;
    }

    /** An echo request from the kernel to {@code to}, sent to the first router's MAC, with this hop limit. */
    private byte[] ping(String to, int hopLimit, int seq) {
        long[] destination = FrameBuilder.v6(to);
        return FrameBuilder.ipv6(PEER, r1.mac(), PEER6, destination, hopLimit, Ipv6Packet.NEXT_ICMPV6,
                FrameBuilder.icmpv6(PEER6, destination, Icmpv6Message.TYPE_ECHO_REQUEST, 0, 9 << 16 | seq, new byte[8]));
    }

    @Test
    void eachRouterOnTheWayAnswersTimeExceededAndTheHostTheEcho() {
        Decoded hop1 = net.send(ping("fd78:2::10", 1, 1)).get(0);
        assertEquals(Icmpv6Message.TYPE_TIME_EXCEEDED, hop1.icmp().type());
        assertEquals(Icmpv6Message.CODE_HOP_LIMIT, hop1.icmp().code());
        assertEquals("fd77::fe", hop1.ipv6().source(), "r1, from its address on the TAP's segment");
        Decoded hop2 = net.send(ping("fd78:2::10", 2, 2)).get(0);
        assertEquals(Icmpv6Message.TYPE_TIME_EXCEEDED, hop2.icmp().type());
        assertEquals("fd78:1::2", hop2.ipv6().source(), "r2, from its address on r1's subnet");
        assertEquals(r1.mac(), hop2.ethSource(), "back through r1");
        Decoded there = net.send(ping("fd78:2::10", 3, 3)).get(0);
        assertEquals(Icmpv6Message.TYPE_ECHO_REPLY, there.icmp().type());
        assertEquals("fd78:2::10", there.ipv6().source());
        assertEquals(62, there.ipv6().hopLimit(), "64, less one at each router on the way back");
        assertEquals(2, net.engine.counters().dropped(DropReason.TTL_EXCEEDED));
    }

    @Test
    void theFirstAnswerFromBehindARouterGoesToTheMacTheAskerSentFromNotTheKernels() {
        net.send(ping("fd77::10", 64, 0)); // the kernel's MAC is known: it sent a frame
        tapnet.testing.CapturingSink portWire = new tapnet.testing.CapturingSink(1514);
        int port = net.engine.addPort("left", portWire);
        long portMac = MacAddress.parse("02:00:00:00:01:01");
        long[] port6 = FrameBuilder.v6("fd77::101");
        long[] destination = FrameBuilder.v6("fd78:2::10");
        byte[] request = FrameBuilder.ipv6(portMac, r1.mac(), port6, destination, 64, Ipv6Packet.NEXT_ICMPV6,
                FrameBuilder.icmpv6(port6, destination, Icmpv6Message.TYPE_ECHO_REQUEST, 0, 9 << 16 | 1, new byte[8]));
        net.engine.onFrame(ByteBuffer.wrap(request), 0, request.length, tapnet.frame.Offload.NONE, port);
        net.engine.endOfBatch();
        List<byte[]> answers = portWire.drain();
        assertEquals(1, answers.size(), "the first echo from behind r1 comes back to the port");
        assertEquals(portMac, Decoded.of(answers.get(0)).ethDestination());
        assertEquals(Icmpv6Message.TYPE_ECHO_REPLY, Decoded.of(answers.get(0)).icmp().type());
    }

    @Test
    void anAddressOnARoutersSubnetWithoutAHostGetsAddressUnreachableFromThatRouter() {
        List<Decoded> out = net.send(ping("fd78:2::99", 64, 1));
        assertEquals(1, out.size(), out.toString());
        assertEquals(Icmpv6Message.TYPE_DESTINATION_UNREACHABLE, out.get(0).icmp().type());
        assertEquals(Icmpv6Message.CODE_ADDRESS_UNREACHABLE, out.get(0).icmp().code());
        assertEquals("fd78:1::2", out.get(0).ipv6().source(), "r2, whose subnet it is");
        assertEquals(1, net.engine.counters().dropped(DropReason.NO_SUCH_HOST));
    }

    /** A router solicitation from the kernel's link-local address to all routers (RFC 4861 §4.1). */
    private byte[] routerSolicitation(int hopLimit) {
        long[] allRouters = {Ipv6Address.ALL_NODES_HIGH, Ipv6Address.ALL_ROUTERS_LOW};
        return FrameBuilder.ipv6(PEER, Ipv6Address.multicastMac(Ipv6Address.ALL_ROUTERS_LOW), EngineHarness.PEER_LINK_LOCAL,
                allRouters, hopLimit, Ipv6Packet.NEXT_ICMPV6, FrameBuilder.icmpv6(EngineHarness.PEER_LINK_LOCAL, allRouters,
                        Icmpv6Message.TYPE_ROUTER_SOLICITATION, 0, 0, new byte[0]));
    }

    @Test
    void anAdvertisingRouterAnswersAValidRouterSolicitationWithTheRoutesBehindIt() {
        long[] inside = Ipv6Address.parse("fd78:1::");
        long[] deeper = Ipv6Address.parse("fd78:2::");
        net.engine.advertise(r1, inside[0], inside[1], 64);
        net.engine.advertise(r1, deeper[0], deeper[1], 64);
        assertTrue(net.send(routerSolicitation(64)).isEmpty(), "a hop limit other than 255 crossed a router: refused");
        assertEquals(1, net.engine.counters().dropped(DropReason.NDP_MALFORMED));

        List<Decoded> out = net.send(routerSolicitation(255));
        assertEquals(1, out.size(), out.toString());
        Decoded advertisement = out.get(0);
        assertEquals(Icmpv6Message.TYPE_ROUTER_ADVERTISEMENT, advertisement.icmp().type());
        assertEquals("ff02::1", advertisement.ipv6().destination(), "to all nodes");
        assertEquals(Ipv6Address.format(Ipv6Address.LINK_LOCAL_HIGH, Ipv6Address.linkLocalLow(r1.mac())),
                advertisement.ipv6().source(), "from the router's link-local address (RFC 4861 §6.1.2)");
        assertEquals(255, advertisement.ipv6().hopLimit());
        assertEquals(0, advertisement.icmp().sequence(), "router lifetime 0: nobody's default router");
        byte[] body = advertisement.icmp().payload(); // reachable time, retrans timer, then the options
        assertEquals(8 + 8 + 2 * 24, body.length, "a source link-layer option and two Route Information options");
        assertEquals(24, body[16] & 0xff, "RFC 4191 §2.3: option type 24");
        assertEquals(64, body[18] & 0xff, "prefix length");
        assertEquals(ByteBuffer.wrap(body, 24, 8).getLong(), inside[0], "the first prefix");
        assertEquals(ByteBuffer.wrap(body, 48, 8).getLong(), deeper[0], "the second prefix");
    }

    @Test
    void aReassemblyThatTimesOutAfterItsFirstFragmentIsAnsweredWithTimeExceededCode1() {
        VirtualHost web = net.host6("web", "10.77.0.10", "fd77::10");
        long[] webAddress = FrameBuilder.v6("fd77::10");
        byte[] echo = FrameBuilder.icmpv6(PEER6, webAddress, Icmpv6Message.TYPE_ECHO_REQUEST, 0, 7 << 16 | 1, new byte[2000]);
        ByteBuffer first = ByteBuffer.allocate(Ipv6FragmentHeader.LENGTH + 1232);
        new Ipv6FragmentHeader().wrap(first, 0).writeFragmentHeader(Ipv6Packet.NEXT_ICMPV6, 0, true, 4242);
        first.put(Ipv6FragmentHeader.LENGTH, echo, 0, 1232);
        assertTrue(net.send(FrameBuilder.ipv6(PEER, web.mac(), PEER6, webAddress, 64, Ipv6Packet.NEXT_FRAGMENT,
                first.array())).isEmpty(), "kept, waiting for the rest");
        assertTrue(net.advanceMillis(29_900).isEmpty(), "30 s, as Linux's ip6frag_time");
        List<Decoded> out = net.advanceMillis(200);
        assertEquals(1, out.size(), out.toString());
        assertEquals(Icmpv6Message.TYPE_TIME_EXCEEDED, out.get(0).icmp().type());
        assertEquals(Icmpv6Message.CODE_REASSEMBLY_TIME, out.get(0).icmp().code());
        assertEquals("fd77::10", out.get(0).ipv6().source());
        assertEquals("fd77::1", out.get(0).ipv6().destination());
        assertEquals(1, net.engine.counters().dropped(DropReason.FRAGMENT_TIMEOUT));
    }
}
