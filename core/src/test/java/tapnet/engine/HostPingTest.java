package tapnet.engine;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.link.Impairments;
import tapnet.net.PingListener;
import tapnet.node.VirtualHost;
import tapnet.observe.DropReason;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.wire.ArpPacket;
import tapnet.wire.EthernetFrame;
import tapnet.wire.IcmpMessage;
import tapnet.wire.Ipv4Address;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.MacAddress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pings from virtual hosts: to another host, to the kernel (the test plays it), through routers, unanswered. */
class HostPingTest {
    private static final Impairments FIVE_MS = Impairments.NONE.withDelay(Duration.ofMillis(5));

    private final EngineHarness net = new EngineHarness();
    private final VirtualHost a = net.host("a", "10.77.0.10");
    private final VirtualHost b = net.host("b", "10.77.0.20");
    private final List<String> heard = new ArrayList<>();
    private final PingListener listener = new PingListener() {
        @Override
        public void onReply(int sequence, long nanos) {
            heard.add("reply " + sequence + " " + nanos / 1_000_000 + " ms");
        }

        @Override
        public void onUnreachable(int sequence, int type, int code) {
            heard.add("unreachable " + sequence + " " + type + "/" + code);
        }
    };

    @Test
    void aPingsBAcrossBothLinks() {
        net.engine.setLink(a, FIVE_MS, FIVE_MS);
        net.engine.setLink(b, FIVE_MS, FIVE_MS);
        assertTrue(net.engine.ping(a, b.address(), 7, 1, 56, listener));
        net.advanceMillis(100);
        assertTrue(net.engine.ping(a, b.address(), 7, 2, 56, listener));
        net.advanceMillis(100);
        assertEquals(List.of("reply 1 40 ms", "reply 2 20 ms"), heard, "the first one waited for ARP, as with ping(8)");
    }

    @Test
    void aLargePingBetweenHostsGoesAndComesBackInFragments() {
        net.engine.setLink(b, FIVE_MS, FIVE_MS);
        assertTrue(net.engine.ping(a, b.address(), 7, 1, 65_507, listener));
        net.advanceMillis(100);
        assertEquals(1, heard.size(), heard.toString());
        assertTrue(heard.get(0).startsWith("reply 1"), heard.toString());
        assertEquals(2, net.engine.counters().get(tapnet.observe.Counter.IPV4_REASSEMBLED), "the request at b, the reply at a");
    }

    @Test
    void aPingsTheKernelWhichTheTestPlays() {
        net.engine.ping(a, EngineHarness.PEER_IP, 0x1234, 9, 16, listener);
        List<Decoded> arp = net.advanceMillis(0);
        assertEquals(1, arp.size());
        assertEquals(ArpPacket.OPERATION_REQUEST, arp.get(0).arp().operation());
        assertEquals(EngineHarness.PEER_IP, arp.get(0).arp().targetIp());

        List<Decoded> out = net.send(arpReply(a));
        assertEquals(1, out.size(), "the echo request, once the kernel's MAC is known");
        Decoded request = out.get(0);
        assertEquals(EngineHarness.PEER_MAC, request.ethDestination());
        assertEquals(a.mac(), request.ethSource());
        assertEquals(a.address(), request.ipSource());
        assertEquals(EngineHarness.PEER_IP, request.ipDestination());
        assertEquals(IcmpMessage.TYPE_ECHO_REQUEST, request.icmp().type());
        assertEquals(0x1234, request.icmp().identifier());
        assertEquals(9, request.icmp().sequence());
        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, request.icmp().payload());

        net.clock.advance(3, java.util.concurrent.TimeUnit.MILLISECONDS);
        assertTrue(net.send(echoReply(a, 0x1234, 9)).isEmpty());
        assertEquals(List.of("reply 9 3 ms"), heard);

        assertTrue(net.send(echoReply(a, 0x1234, 9)).isEmpty());
        assertEquals(1, heard.size(), "a second reply matches nothing");
        assertEquals(1, net.engine.counters().dropped(DropReason.ICMP_IGNORED));
    }

    @Test
    void anUnreachableQuotingThePingReachesItsListener() {
        net.send(arpReply(a));
        net.engine.ping(a, EngineHarness.PEER_IP, 5, 1, 8, listener);
        Decoded request = net.advanceMillis(0).get(0);
        net.send(unreachable(a, request.raw()));
        assertEquals(List.of("unreachable 1 3/1"), heard);
    }

    @Test
    void aRouterAnswersHostUnreachableForAnAddressBehindItWhereNobodyIs() {
        int outside = Ipv4Address.parse("10.77.0.254");
        net.engine.addRouter("r1", outside, MacAddress.derivedFrom(outside), Ipv4Address.parse("10.78.1.1"), 24);
        net.engine.ping(a, Ipv4Address.parse("10.78.1.99"), 5, 1, 8, listener);
        assertTrue(net.advanceMillis(0).isEmpty(), "to the router, without ARP and without the TAP");
        assertEquals(List.of("unreachable 1 3/1"), heard);
    }

    @Test
    void pingsCrossRoutersBothWays() {
        int outside = Ipv4Address.parse("10.77.0.254");
        VirtualHost r1 = net.engine.addRouter("r1", outside, MacAddress.derivedFrom(outside), Ipv4Address.parse("10.78.1.1"), 24);
        int inside = Ipv4Address.parse("10.78.1.10");
        VirtualHost deep = net.engine.addHost("deep", inside, MacAddress.derivedFrom(inside));
        net.engine.setLink(r1, FIVE_MS, FIVE_MS);
        net.engine.ping(deep, a.address(), 1, 1, 8, listener);
        net.engine.ping(a, deep.address(), 2, 2, 8, listener);
        assertTrue(net.advanceMillis(100).isEmpty(), "none of it reaches the TAP");
        assertEquals(List.of("reply 1 10 ms", "reply 2 10 ms"), heard);
    }

    @Test
    void aStoppedHostPingsNothingAndItsWaitingPingsAreForgotten() {
        net.engine.ping(a, b.address(), 1, 1, 8, listener); // waits for ARP, queued until the next poll
        net.engine.stopHost(a);
        net.advanceMillis(10);
        assertTrue(heard.isEmpty());
        assertFalse(net.engine.ping(a, b.address(), 1, 2, 8, listener));
    }

    @Test
    void outOfRangePingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> net.engine.ping(a, b.address(), 65536, 1, 8, listener));
        assertThrows(IllegalArgumentException.class, () -> net.engine.ping(a, b.address(), 1, -1, 8, listener));
        assertThrows(IllegalArgumentException.class, () -> net.engine.ping(a, b.address(), 1, 1, 65_508, listener));
    }

    @Test
    void theOldestWaitingPingMakesRoomWhenTheTableIsFull() {
        net.send(arpReply(a));
        for (int seq = 0; seq <= 1024; seq++) { // one more than the table holds
            net.engine.ping(a, EngineHarness.PEER_IP, 3, seq, 16, listener);
        }
        net.drain();
        net.send(echoReply(a, 3, 0));
        assertTrue(heard.isEmpty(), "the oldest was forgotten");
        assertEquals(1, net.engine.counters().dropped(DropReason.ICMP_IGNORED));
        net.send(echoReply(a, 3, 1024));
        net.send(echoReply(a, 3, 1));
        assertEquals(List.of("reply 1024 0 ms", "reply 1 0 ms"), heard);
    }

    private static byte[] arpReply(VirtualHost to) {
        ByteBuffer frame = ByteBuffer.allocate(EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH);
        new EthernetFrame().wrap(frame, 0, EthernetFrame.HEADER_LENGTH).setDestination(to.mac())
                .setSource(EngineHarness.PEER_MAC).setEtherType(EthernetFrame.TYPE_ARP);
        new ArpPacket().wrap(frame, EthernetFrame.HEADER_LENGTH, ArpPacket.LENGTH)
                .write(ArpPacket.OPERATION_REPLY, EngineHarness.PEER_MAC, EngineHarness.PEER_IP, to.mac(), to.address());
        return frame.array();
    }

    private static byte[] echoReply(VirtualHost to, int identifier, int sequence) {
        byte[] payload = new byte[16];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        byte[] frame = FrameBuilder.echoRequest(EngineHarness.PEER_MAC, to.mac(), EngineHarness.PEER_IP, to.address(),
                identifier, sequence, payload);
        new IcmpMessage().wrap(ByteBuffer.wrap(frame), EthernetFrame.HEADER_LENGTH + Ipv4Packet.MIN_HEADER_LENGTH,
                IcmpMessage.HEADER_LENGTH + payload.length).writeHeader(IcmpMessage.TYPE_ECHO_REPLY, 0, identifier << 16 | sequence);
        return frame;
    }

    /** Host unreachable from the kernel, quoting the request's IP header and first 8 bytes. */
    private static byte[] unreachable(VirtualHost to, byte[] request) {
        int quoted = Ipv4Packet.MIN_HEADER_LENGTH + 8;
        int length = IcmpMessage.HEADER_LENGTH + quoted;
        ByteBuffer frame = FrameBuilder.ipv4Frame(EngineHarness.PEER_MAC, to.mac(), EngineHarness.PEER_IP, to.address(),
                Ipv4Packet.PROTOCOL_ICMP, length);
        int at = EthernetFrame.HEADER_LENGTH + Ipv4Packet.MIN_HEADER_LENGTH;
        frame.put(at + IcmpMessage.HEADER_LENGTH, request, EthernetFrame.HEADER_LENGTH, quoted);
        new IcmpMessage().wrap(frame, at, length).writeHeader(IcmpMessage.TYPE_DESTINATION_UNREACHABLE,
                IcmpMessage.CODE_HOST_UNREACHABLE, 0);
        return frame.array();
    }
}
