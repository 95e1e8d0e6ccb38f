package tapnet.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.observe.DropReason;
import tapnet.service.UdpEchoService;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.testing.Fragments;
import tapnet.wire.IcmpMessage;
import tapnet.wire.Ipv4Packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A virtual host puts IPv4 fragments together (RFC 791 §3.2, RFC 815) as Linux does, and sends what is
 * longer than its MTU as fragments: order, copies, overlaps, lengths, tiny fragments, the 30 s timeout, the
 * bound on memory. Fragments are made and joined by the test ({@link Fragments}), on the virtual clock.
 */
class Ipv4ReassemblyTest {
    private static final long PEER = EngineHarness.PEER_MAC;
    private static final int PEER_IP = EngineHarness.PEER_IP;
    private final EngineHarness net = new EngineHarness();
    private final VirtualHost web = net.host("web", "10.77.0.10");

    private static byte[] payload(int size) {
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) (i * 7 + i / 256);
        }
        return payload;
    }

    /** A ping with {@code size} bytes of data and identification {@code id}, whole: as {@code ping -s size}. */
    private byte[] ping(int size, int id) {
        byte[] frame = FrameBuilder.echoRequest(PEER, web.mac(), PEER_IP, web.address(), 9, 1, payload(size));
        frame[14 + 4] = (byte) (id >>> 8);
        frame[14 + 5] = (byte) id;
        return frame;
    }

    private List<Decoded> sendAll(List<byte[]> frames) {
        List<Decoded> out = new ArrayList<>();
        for (byte[] f : frames) {
            out.addAll(net.send(f));
        }
        return out;
    }

    /** The echo reply in {@code out}: fragments joined, checked against the request's payload. */
    private void assertEchoReply(List<Decoded> out, int size) {
        assertFalse(out.isEmpty(), "no reply");
        Decoded reply = Decoded.of(out.size() == 1 ? out.get(0).raw() : Fragments.join(Fragments.raw(out)));
        assertEquals(IcmpMessage.TYPE_ECHO_REPLY, reply.icmp().type());
        assertArrayEquals(payload(size), reply.icmp().payload());
    }

    @Test
    void aPingInFragmentsInOrderIsAnsweredInFragments() {
        List<Decoded> out = sendAll(Fragments.cut(ping(4000, 1), 1480));
        assertEquals(3, out.size(), "4,008 bytes of ICMP in 1,500-byte packets");
        for (Decoded fragment : out) {
            assertTrue(fragment.raw().length <= 1514);
            assertFalse(Fragments.dontFragment(fragment.raw()), "RFC 791: DF clear on fragments");
        }
        assertEchoReply(out, 4000);
        assertEquals(3, net.engine.counters().get(Counter.IPV4_FRAGMENTS_IN));
        assertEquals(1, net.engine.counters().get(Counter.IPV4_REASSEMBLED));
        assertEquals(3, net.engine.counters().get(Counter.IPV4_FRAGMENTS_OUT));
        assertEquals(1, net.engine.counters().get(Counter.ICMP_ECHO_REPLIES));
    }

    @Test
    void fragmentsInReverseOrderMakeTheSameDatagram() {
        List<byte[]> pieces = Fragments.cut(ping(4000, 2), 1480);
        Collections.reverse(pieces);
        assertEchoReply(sendAll(pieces), 4000);
    }

    @Test
    void fragmentsInRandomOrderMakeTheSameDatagram() {
        List<byte[]> pieces = Fragments.cut(ping(9000, 3), 512);
        Collections.shuffle(pieces, new Random(7));
        assertEchoReply(sendAll(pieces), 9000);
    }

    @Test
    void theLargestPingIsAnswered() {
        List<Decoded> out = sendAll(Fragments.cut(ping(65_507, 4), 1480));
        assertEquals(45, out.size());
        assertEchoReply(out, 65_507);
        assertEquals(65_535 + 14, Fragments.join(Fragments.raw(out)).length);
    }

    @Test
    void anExactDuplicateIsDroppedAloneAndTheDatagramCompletes() {
        List<byte[]> pieces = Fragments.cut(ping(4000, 5), 1480);
        List<byte[]> withCopy = new ArrayList<>(pieces);
        withCopy.add(1, pieces.get(0));
        assertEchoReply(sendAll(withCopy), 4000);
        assertEquals(1, net.engine.counters().dropped(DropReason.FRAGMENT_DUPLICATE));
    }

    @Test
    void anOverlapDropsTheWholeDatagram() {
        byte[] whole = ping(4000, 6);
        assertTrue(net.send(Fragments.piece(whole, 0, 1480, true)).isEmpty());
        assertTrue(net.send(Fragments.piece(whole, 1472, 1480, true)).isEmpty(), "overlaps the first by 8 bytes");
        assertEquals(1, net.engine.counters().dropped(DropReason.FRAGMENT_OVERLAP));
        assertTrue(net.send(Fragments.piece(whole, 1480, 2528, false)).isEmpty(), "what is left makes no datagram");
        assertTrue(net.advanceMillis(31_000).isEmpty(), "no time exceeded: its first fragment was dropped with it");
        assertEquals(0, net.engine.counters().get(Counter.ICMP_ECHO_REPLIES));
    }

    @Test
    void aFragmentCoveringTwoOthersIsAnOverlapNotACopy() {
        byte[] whole = ping(4000, 7);
        net.send(Fragments.piece(whole, 0, 1480, true));
        net.send(Fragments.piece(whole, 1480, 1480, true));
        net.send(Fragments.piece(whole, 0, 2960, true));
        assertEquals(1, net.engine.counters().dropped(DropReason.FRAGMENT_OVERLAP));
        assertEquals(0, net.engine.counters().dropped(DropReason.FRAGMENT_DUPLICATE));
    }

    @Test
    void aTimeoutWithTheFirstFragmentIsAnsweredWithReassemblyTimeExceeded() {
        byte[] whole = ping(4000, 8);
        net.send(Fragments.piece(whole, 0, 1480, true));
        assertTrue(net.advanceMillis(29_900).isEmpty(), "30 s, as Linux's ipfrag_time");
        List<Decoded> out = net.advanceMillis(200);
        assertEquals(1, out.size());
        Decoded error = out.get(0);
        assertEquals(IcmpMessage.TYPE_TIME_EXCEEDED, error.icmp().type());
        assertEquals(IcmpMessage.CODE_REASSEMBLY_TIME_EXCEEDED, error.icmp().code());
        byte[] first = Fragments.piece(whole, 0, 1480, true);
        assertArrayEquals(Arrays.copyOfRange(first, 14, 14 + 28), error.icmp().payload(), "RFC 792: the first fragment's header and 8 bytes");
        assertEquals(web.address(), error.ipSource());
        assertEquals(PEER_IP, error.ipDestination());
        assertEquals(PEER, error.ethDestination());
        assertEquals(1, net.engine.counters().dropped(DropReason.FRAGMENT_TIMEOUT));
    }

    @Test
    void aTimeoutWithoutTheFirstFragmentIsSilent() {
        byte[] whole = ping(4000, 9);
        net.send(Fragments.piece(whole, 1480, 1480, true));
        assertTrue(net.advanceMillis(31_000).isEmpty());
        assertEquals(1, net.engine.counters().dropped(DropReason.FRAGMENT_TIMEOUT));
    }

    @Test
    void aFloodOfIncompleteDatagramsStaysBoundedAndAPingIsAnsweredAfterIt() {
        for (int id = 100; id < 100 + FragmentReassembly.SLOTS + 50; id++) {
            net.send(Fragments.piece(ping(4000, id), 1480, 1480, true));
        }
        assertEquals(50, net.engine.counters().dropped(DropReason.FRAGMENT_MEMORY_FULL), "64 datagrams at once, 4 MiB");
        assertTrue(sendAll(Fragments.cut(ping(4000, 1), 1480)).isEmpty(), "no room while the flood's datagrams wait");
        net.advanceMillis(30_000);
        assertEquals(FragmentReassembly.SLOTS, net.engine.counters().dropped(DropReason.FRAGMENT_TIMEOUT));
        assertEchoReply(sendAll(Fragments.cut(ping(4000, 2), 1480)), 4000);
    }

    @Test
    void aDatagramInProgressGoesOnWhenTheTableFills() {
        byte[] whole = ping(4000, 1);
        net.send(Fragments.piece(whole, 0, 1480, true));
        for (int id = 100; id < 100 + FragmentReassembly.SLOTS; id++) {
            net.send(Fragments.piece(ping(4000, id), 1480, 1480, true));
        }
        assertEquals(1, net.engine.counters().dropped(DropReason.FRAGMENT_MEMORY_FULL));
        List<Decoded> out = new ArrayList<>(net.send(Fragments.piece(whole, 1480, 1480, true)));
        out.addAll(net.send(Fragments.piece(whole, 2960, 1048, false)));
        assertEchoReply(out, 4000);
    }

    @Test
    void aTcpFragmentAtOffsetEightIsATinyFragmentAttack() {
        byte[] segment = FrameBuilder.tcp(PEER, web.mac(), PEER_IP, web.address()).payload(new byte[40]).build();
        assertTrue(net.send(Fragments.piece(segment, 8, 16, true)).isEmpty());
        assertEquals(1, net.engine.counters().dropped(DropReason.FRAGMENT_TINY));
    }

    @Test
    void aFirstFragmentShorterThanItsTransportHeaderIsATinyFragment() {
        byte[] segment = FrameBuilder.tcp(PEER, web.mac(), PEER_IP, web.address()).payload(new byte[40]).build();
        assertTrue(net.send(Fragments.piece(segment, 0, 16, true)).isEmpty(), "16 bytes of a 20-byte TCP header");
        byte[] datagram = FrameBuilder.udp(PEER, web.mac(), PEER_IP, web.address(), 5000, 7, new byte[40]);
        net.send(Fragments.piece(datagram, 0, 8, true)); // UDP's header is 8 bytes: not tiny
        assertEquals(1, net.engine.counters().dropped(DropReason.FRAGMENT_TINY));
    }

    @Test
    void aDatagramPastSixtyFiveThousandFiveHundredThirtyFiveBytesIsDropped() {
        byte[] whole = ping(65_507, 10);
        net.send(Fragments.piece(whole, 0, 1480, true));
        byte[] past = Fragments.piece(whole, 0, 8, false);
        past[14 + 6] = (byte) (8189 >>> 8); // at 65,512: its end, 65,520, is past what an IPv4 datagram holds
        past[14 + 7] = (byte) 8189;
        fixChecksum(past);
        assertTrue(net.send(past).isEmpty());
        assertEquals(1, net.engine.counters().dropped(DropReason.FRAGMENT_INCONSISTENT));
    }

    @Test
    void aMiddleFragmentNotAMultipleOfEightBytesDropsTheDatagram() {
        byte[] whole = ping(4000, 11);
        net.send(Fragments.piece(whole, 0, 1480, true));
        net.send(Fragments.piece(whole, 1480, 1001, true));
        assertEquals(1, net.engine.counters().dropped(DropReason.FRAGMENT_INCONSISTENT));
    }

    @Test
    void aSecondLastFragmentWithAnotherEndDropsTheDatagram() {
        byte[] whole = ping(4000, 12);
        net.send(Fragments.piece(whole, 2960, 1048, false));
        net.send(Fragments.piece(whole, 1480, 1000, false));
        assertEquals(1, net.engine.counters().dropped(DropReason.FRAGMENT_INCONSISTENT));
    }

    @Test
    void aLongUdpDatagramIsEchoedInFragments() {
        net.engine.listenUdp(web, 7, new UdpEchoService());
        byte[] datagram = FrameBuilder.udp(PEER, web.mac(), PEER_IP, web.address(), 5000, 7, payload(4000));
        List<Decoded> out = sendAll(Fragments.cut(datagram, 1480));
        assertEquals(3, out.size());
        Decoded reply = Decoded.of(Fragments.join(Fragments.raw(out)));
        assertArrayEquals(payload(4000), reply.udp().payload());
        assertEquals(7, reply.udp().sourcePort());
        assertEquals(5000, reply.udp().destinationPort());
    }

    @Test
    void aTcpSynInFragmentsIsAnsweredWithASynAck() {
        net.engine.listen(web, 80, new tapnet.service.EchoService());
        byte[] syn = FrameBuilder.tcp(PEER, web.mac(), PEER_IP, web.address()).ports(40000, 80).seq(1000)
                .flags(tapnet.wire.TcpSegment.SYN).mss(1460).windowScale(7).sackPermitted().build();
        int segment = syn.length - 14 - 20;
        assertTrue(segment > 24, "options past the first 24 bytes: " + segment);
        List<Decoded> out = sendAll(List.of(Fragments.piece(syn, 24, segment - 24, false), Fragments.piece(syn, 0, 24, true)));
        assertEquals(1, out.size());
        assertTrue(out.get(0).tcp().has(tapnet.wire.TcpSegment.SYN | tapnet.wire.TcpSegment.ACK));
        assertEquals(1, net.engine.counters().get(Counter.IPV4_REASSEMBLED));
    }

    @Test
    void theUdpChecksumIsCheckedOverTheReassembledDatagram() {
        net.engine.listenUdp(web, 7, new UdpEchoService());
        byte[] datagram = FrameBuilder.udp(PEER, web.mac(), PEER_IP, web.address(), 5000, 7, payload(4000));
        datagram[datagram.length - 1] ^= 1; // in the last fragment, far from the header
        assertTrue(sendAll(Fragments.cut(datagram, 1480)).isEmpty());
        assertEquals(1, net.engine.counters().dropped(DropReason.UDP_BAD_CHECKSUM));
    }

    private static void fixChecksum(byte[] frame) {
        frame[14 + 10] = 0;
        frame[14 + 11] = 0;
        int sum = tapnet.wire.InternetChecksum.of(java.nio.ByteBuffer.wrap(frame), 14, Ipv4Packet.MIN_HEADER_LENGTH);
        frame[14 + 10] = (byte) (sum >>> 8);
        frame[14 + 11] = (byte) sum;
    }
}
