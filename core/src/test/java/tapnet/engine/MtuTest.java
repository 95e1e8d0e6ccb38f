package tapnet.engine;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.link.Impairments;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.observe.DropReason;
import tapnet.service.ChargenService;
import tapnet.service.EchoService;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.testing.Fragments;
import tapnet.testing.TcpPeer;
import tapnet.wire.IcmpMessage;
import tapnet.wire.InternetChecksum;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;
import tapnet.wire.TcpSegment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A link's MTU: ICMP fragmentation needed for DF packets; without DF, fragments cut by the router before the
 * link (a link from the TAP's segment has none: dropped); the hosts' MSS and their fragmented replies.
 */
class MtuTest {
    private static final long PEER = EngineHarness.PEER_MAC;
    private static final int PEER_IP = EngineHarness.PEER_IP;
    private static final Impairments MTU_1000 = Impairments.NONE.withMtu(1000);
    private final EngineHarness net = new EngineHarness();
    private final VirtualHost r1 = router("r1", "10.77.0.254", "10.78.1.1");
    private final VirtualHost r2 = router("r2", "10.78.1.2", "10.78.2.1");
    private final VirtualHost deep = host("deep", "10.78.2.10");
    private final VirtualHost web = host("web", "10.77.0.10");

    private VirtualHost router(String name, String address, String inside) {
        int a = Ipv4Address.parse(address);
        return net.engine.addRouter(name, a, MacAddress.derivedFrom(a), Ipv4Address.parse(inside), 24);
    }

    private VirtualHost host(String name, String address) {
        int a = Ipv4Address.parse(address);
        VirtualHost h = net.engine.addHost(name, a, MacAddress.derivedFrom(a));
        net.engine.listen(h, 7, new EchoService());
        net.engine.listen(h, 19, new ChargenService());
        return h;
    }

    /** A ping with {@code size} bytes of data (as {@code ping -s}), to {@code to} through {@code via}'s MAC. */
    private static byte[] ping(VirtualHost via, int to, int size, boolean dontFragment) {
        byte[] frame = FrameBuilder.echoRequest(PEER, via.mac(), PEER_IP, to, 9, 1, new byte[size]);
        if (!dontFragment) {
            frame[14 + 6] = 0;
            frame[14 + 10] = 0;
            frame[14 + 11] = 0;
            int sum = InternetChecksum.of(ByteBuffer.wrap(frame), 14, 20);
            frame[14 + 10] = (byte) (sum >>> 8);
            frame[14 + 11] = (byte) sum;
        }
        return frame;
    }

    /** Checks a "fragmentation needed" answer to {@code probe}: type, code, next-hop MTU, the quote. */
    private static void assertFragmentationNeeded(Decoded answer, byte[] probe, int mtu, int from) {
        assertEquals(IcmpMessage.TYPE_DESTINATION_UNREACHABLE, answer.icmp().type());
        assertEquals(IcmpMessage.CODE_FRAGMENTATION_NEEDED, answer.icmp().code());
        assertEquals(0, answer.icmp().identifier(), "the unused half of the second word");
        assertEquals(mtu, answer.icmp().sequence(), "RFC 1191: the next-hop MTU in the low 16 bits");
        assertArrayEquals(Arrays.copyOfRange(probe, 14, 14 + 28), answer.icmp().payload(), "the header and 8 bytes");
        assertEquals(from, answer.ipSource());
        assertEquals(PEER_IP, answer.ipDestination());
        assertEquals(PEER, answer.ethDestination());
    }

    @Test
    void aDfPingTooBigForAHostsLinkIsAnsweredFromTheHost() {
        net.engine.setLink(web, MTU_1000, MTU_1000);
        byte[] probe = ping(web, web.address(), 1400, true);
        List<Decoded> out = net.send(probe);
        assertEquals(1, out.size());
        assertFragmentationNeeded(out.get(0), probe, 1000, web.address());
        assertEquals(web.mac(), out.get(0).ethSource());
        assertEquals(1, net.engine.counters().get(Counter.ICMP_FRAG_NEEDED_SENT));
        assertEquals(1, net.engine.counters().dropped(DropReason.LINK_TOO_BIG));
    }

    @Test
    void withoutDfTheTooBigPacketIsDroppedSilentlyAndCounted() {
        net.engine.setLink(web, MTU_1000, MTU_1000);
        assertTrue(net.send(ping(web, web.address(), 1400, false)).isEmpty());
        assertEquals(1, net.engine.counters().dropped(DropReason.LINK_TOO_BIG));
        assertEquals(0, net.engine.counters().get(Counter.ICMP_FRAG_NEEDED_SENT));
    }

    @Test
    void withoutDfARouterCutsThePacketIntoFragmentsForTheNextLink() {
        net.engine.setLink(deep, MTU_1000, MTU_1000);
        List<Decoded> out = net.send(ping(r1, deep.address(), 1400, false));
        assertEquals(2, out.size(), "deep's reply, cut for its own 1,000-byte interface");
        Decoded reply = Decoded.of(Fragments.join(Fragments.raw(out)));
        assertEquals(IcmpMessage.TYPE_ECHO_REPLY, reply.icmp().type());
        assertEquals(1400, reply.icmp().payload().length);
        assertEquals(2, net.engine.counters().get(Counter.IPV4_FRAGMENTS_IN), "r2 cut the request in two");
        assertEquals(4, net.engine.counters().get(Counter.IPV4_FRAGMENTS_OUT), "two by r2, two by deep");
        assertEquals(1, net.engine.counters().get(Counter.IPV4_REASSEMBLED));
        assertEquals(0, net.engine.counters().get(Counter.ICMP_FRAG_NEEDED_SENT));
        assertEquals(0, net.engine.counters().dropped(DropReason.LINK_TOO_BIG), "cut before the link, not dropped by it");
    }

    @Test
    void fragmentsTooBigForTheNextLinkAreCutAgain() {
        net.engine.setLink(deep, MTU_1000, MTU_1000);
        byte[] whole = ping(r1, deep.address(), 4000, false);
        List<Decoded> out = new ArrayList<>();
        for (byte[] piece : Fragments.cut(whole, 1480)) { // as the kernel sends it on a 1,500-byte TAP
            out.addAll(net.send(piece));
        }
        assertEquals(6, net.engine.counters().get(Counter.IPV4_FRAGMENTS_IN), "each of the first two in two, the last in two");
        Decoded reply = Decoded.of(Fragments.join(Fragments.raw(out)));
        assertEquals(IcmpMessage.TYPE_ECHO_REPLY, reply.icmp().type());
        assertEquals(4000, reply.icmp().payload().length);
    }

    @Test
    void aPingThatFitsGoesThrough() {
        net.engine.setLink(web, MTU_1000, MTU_1000);
        Decoded reply = net.send(ping(web, web.address(), 900, true)).get(0);
        assertEquals(IcmpMessage.TYPE_ECHO_REPLY, reply.icmp().type());
        assertEquals(0, net.engine.counters().dropped(DropReason.LINK_TOO_BIG));
    }

    @Test
    void behindRoutersTheRouterAtTheLinksNearEndAnswers() {
        net.engine.setLink(deep, MTU_1000, MTU_1000);
        byte[] probe = ping(r1, deep.address(), 1400, true);
        Decoded answer = net.send(probe).get(0);
        assertFragmentationNeeded(answer, probe, 1000, r2.address());
        assertEquals(r1.mac(), answer.ethSource(), "it leaves through the first router");
        assertEquals(63, answer.ttl(), "r2's answer crossed r1");
    }

    @Test
    void aTooSmallLinkFromTheTapToTheFirstRouterIsAnsweredByThatRouter() {
        net.engine.setLink(r1, Impairments.NONE.withMtu(1200), Impairments.NONE.withMtu(1200));
        byte[] probe = ping(r1, deep.address(), 1400, true);
        Decoded answer = net.send(probe).get(0);
        assertFragmentationNeeded(answer, probe, 1200, r1.address());
    }

    @Test
    void theSynAckOfAHostBehindANarrowLinkAnnouncesTheMssItsMtuAllows() {
        net.engine.setLink(web, MTU_1000, MTU_1000);
        assertEquals(960, net.client(web, 7).connect().mss());
        net.engine.setLink(web, Impairments.NONE, Impairments.NONE);
        assertEquals(1460, net.client(web, 7).connect().mss(), "a change applies to new connections");
    }

    @Test
    void theSmallestMtuOnTheWayCountsAndFollowsChangesUpstream() {
        net.engine.setLink(deep, MTU_1000, MTU_1000);
        assertEquals(960, net.client(deep, 7).connect().mss());
        net.engine.setLink(r1, Impairments.NONE.withMtu(800), Impairments.NONE.withMtu(800));
        assertEquals(760, net.client(deep, 7).connect().mss(), "r1's link is now the narrowest");
    }

    @Test
    void aHostNeverSendsSegmentsLargerThanItsLinkCarries() {
        net.engine.setLink(web, MTU_1000, MTU_1000);
        TcpPeer client = net.client(web, 19);
        client.connect();
        List<Decoded.Tcp> segments = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            segments.addAll(client.sendAck());
            segments.addAll(client.advanceMillis(1));
        }
        assertTrue(client.received().length > 10_000, "chargen kept sending: " + client.received().length);
        int largest = segments.stream().mapToInt(s -> s.payload().length).max().orElse(0);
        assertEquals(960, largest, "full-sized segments are 960 bytes: 1000 with the headers");
        assertEquals(0, net.engine.counters().dropped(DropReason.LINK_TOO_BIG));
        assertTrue(segments.stream().noneMatch(s -> s.has(TcpSegment.RST)));
    }
}
