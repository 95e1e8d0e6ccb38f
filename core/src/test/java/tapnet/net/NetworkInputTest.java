package tapnet.net;

import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.observe.DropReason;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.wire.ArpPacket;
import tapnet.wire.IcmpMessage;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ARP, ICMP echo, UDP and the frames no host wants. */
class NetworkInputTest {
    private final EngineHarness net = new EngineHarness();
    private final VirtualHost web = net.host("web", "10.77.0.10");
    private static final long PEER = EngineHarness.PEER_MAC;
    private static final int PEER_IP = EngineHarness.PEER_IP;

    @Test
    void arpRequestForAHostGetsAReplyWithItsMac() {
        List<Decoded> out = net.send(FrameBuilder.arpRequest(PEER, PEER_IP, web.address()));
        assertEquals(1, out.size());
        Decoded reply = out.get(0);
        assertEquals(ArpPacket.OPERATION_REPLY, reply.arp().operation());
        assertEquals(web.mac(), reply.arp().senderMac());
        assertEquals(web.address(), reply.arp().senderIp());
        assertEquals(PEER, reply.arp().targetMac());
        assertEquals(PEER_IP, reply.arp().targetIp());
        assertEquals(PEER, reply.ethDestination(), "unicast to the asker");
        assertEquals(web.mac(), reply.ethSource());
        assertEquals(42, reply.raw().length);
    }

    @Test
    void arpLearnsTheSender() {
        net.send(FrameBuilder.arpRequest(PEER, PEER_IP, web.address()));
        assertEquals(PEER, net.engine.neighbors().lookup(PEER_IP));
    }

    @Test
    void arpForAnAddressNobodyHasIsNotAnswered() {
        assertTrue(net.send(FrameBuilder.arpRequest(PEER, PEER_IP, Ipv4Address.parse("10.77.0.99"))).isEmpty());
        assertEquals(1, net.engine.counters().dropped(DropReason.ARP_NOT_OURS));
    }

    @Test
    void hostMacIsDerivedStablyFromItsAddress() {
        assertEquals("02:54:0a:4d:00:0a", MacAddress.format(web.mac()));
    }

    @Test
    void pingGetsAnEchoReplyWithTheSameIdSequenceAndPayload() {
        byte[] payload = new byte[56];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        List<Decoded> out = net.send(FrameBuilder.echoRequest(PEER, web.mac(), PEER_IP, web.address(), 0x1234, 7, payload));
        assertEquals(1, out.size());
        Decoded reply = out.get(0);
        assertEquals(IcmpMessage.TYPE_ECHO_REPLY, reply.icmp().type());
        assertEquals(0x1234, reply.icmp().identifier());
        assertEquals(7, reply.icmp().sequence());
        assertArrayEquals(payload, reply.icmp().payload());
        assertEquals(web.address(), reply.ipSource());
        assertEquals(PEER_IP, reply.ipDestination());
        assertEquals(1, net.engine.counters().get(Counter.ICMP_ECHO_REPLIES));
    }

    @Test
    void largestPingFitsAndIsAnswered() {
        byte[] payload = new byte[1500 - 20 - 8];
        List<Decoded> out = net.send(FrameBuilder.echoRequest(PEER, web.mac(), PEER_IP, web.address(), 1, 1, payload));
        assertEquals(1514, out.get(0).raw().length);
    }

    @Test
    void pingWithABadChecksumIsDropped() {
        byte[] frame = FrameBuilder.echoRequest(PEER, web.mac(), PEER_IP, web.address(), 1, 1, new byte[8]);
        frame[frame.length - 1] ^= 1;
        assertTrue(net.send(frame).isEmpty());
        assertEquals(1, net.engine.counters().dropped(DropReason.ICMP_BAD_CHECKSUM));
    }

    @Test
    void udpToAPortNobodyServesGetsPortUnreachable() {
        byte[] datagram = FrameBuilder.udp(PEER, web.mac(), PEER_IP, web.address(), 5353, 53, "query".getBytes());
        List<Decoded> out = net.send(datagram);
        assertEquals(1, out.size());
        assertEquals(IcmpMessage.TYPE_DESTINATION_UNREACHABLE, out.get(0).icmp().type());
        assertEquals(IcmpMessage.CODE_PORT_UNREACHABLE, out.get(0).icmp().code());
        // RFC 792: the quote is the offending IP header and the first 8 bytes of its payload.
        assertEquals(20 + 8, out.get(0).icmp().payload().length);
    }

    @Test
    void ipv4ForNoHostIsCountedAndDropped() {
        int nobody = Ipv4Address.parse("10.77.0.200");
        assertTrue(net.send(FrameBuilder.echoRequest(PEER, web.mac(), PEER_IP, nobody, 1, 1, new byte[8])).isEmpty());
        assertEquals(1, net.engine.counters().dropped(DropReason.NO_HOST));
    }

    @Test
    void ipv4ToAHostAddressButAnotherMacIsDropped() {
        long other = MacAddress.parse("02:00:00:00:00:99");
        assertTrue(net.send(FrameBuilder.echoRequest(PEER, other, PEER_IP, web.address(), 1, 1, new byte[8])).isEmpty());
        assertEquals(1, net.engine.counters().dropped(DropReason.NOT_OUR_MAC));
    }

    @Test
    void broadcastDestinationIsDropped() {
        assertTrue(net.send(FrameBuilder.echoRequest(PEER, MacAddress.BROADCAST, PEER_IP, Ipv4Address.BROADCAST, 1, 1, new byte[8])).isEmpty());
        assertEquals(1, net.engine.counters().dropped(DropReason.IPV4_NOT_UNICAST));
    }

    @Test
    void lldpIsCountedAsUnsupported() {
        byte[] frame = new byte[60];
        frame[12] = (byte) 0x88;
        frame[13] = (byte) 0xcc;
        assertTrue(net.send(frame).isEmpty());
        assertEquals(1, net.engine.counters().dropped(DropReason.ETHERTYPE_UNSUPPORTED));
        assertEquals(1, net.engine.counters().get(Counter.FRAMES_IN));
    }

    @Test
    void synToAMulticastAddressIsSilentlyDropped() {
        int group = Ipv4Address.parse("224.0.0.9");
        byte[] syn = FrameBuilder.tcp(PEER, 0x01_00_5e_00_00_09L, PEER_IP, group).ports(40000, 80)
                .flags(tapnet.wire.TcpSegment.SYN).build();
        assertTrue(net.send(syn).isEmpty(), "RFC 9293 [MUST-57]");
        assertEquals(1, net.engine.counters().dropped(DropReason.IPV4_NOT_UNICAST));
    }
}
