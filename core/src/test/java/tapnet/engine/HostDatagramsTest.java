package tapnet.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.link.Impairments;
import tapnet.net.UdpExchange;
import tapnet.net.UdpHandler;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.wire.ArpPacket;
import tapnet.wire.EthernetFrame;

/** UDP virtual hosts send as clients: a port of their own for the answers, datagrams sent after ARP when needed. */
class HostDatagramsTest {
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);

    private final EngineHarness net = new EngineHarness();
    private final VirtualHost a = net.host("a", "10.77.0.10");
    private final VirtualHost b = net.host("b", "10.77.0.20");
    private final List<String> heard = new ArrayList<>();

    private UdpHandler recorder(String who) {
        return exchange -> {
            byte[] payload = new byte[exchange.payloadLength()];
            exchange.buffer().get(exchange.payloadOffset(), payload);
            heard.add(who + " from " + exchange.remotePort() + ": " + new String(payload, StandardCharsets.US_ASCII));
        };
    }

    @Test
    void aHostBindsDynamicPortsEachOnce() {
        int first = net.engine.datagrams().bind(a, recorder("a"));
        int second = net.engine.datagrams().bind(a, recorder("a"));
        assertTrue(first >= 49152 && first <= 65535, "RFC 6335's dynamic range: " + first);
        assertNotEquals(first, second);
    }

    @Test
    void aSendsToAnEchoServiceOfBAndHearsTheAnswerOnItsPortAcrossBothLinks() {
        Impairments fiveMs = Impairments.NONE.withDelay(Duration.ofMillis(5));
        net.engine.setLink(a, fiveMs, fiveMs);
        net.engine.listenUdp(b, 7, exchange -> exchange.reply(exchange.buffer(), exchange.payloadOffset(), exchange.payloadLength()));
        int port = net.engine.datagrams().bind(a, recorder("a"));
        assertTrue(net.engine.datagrams().send(a, port, b.address(), 7, HELLO, HELLO.length));
        List<Decoded> atTap = net.advanceMillis(100);
        assertTrue(atTap.stream().allMatch(f -> f.etherType() == EthernetFrame.TYPE_ARP), "between hosts: the TAP sees only ARP's broadcast");
        assertEquals(List.of("a from 7: hello"), heard, "after ARP, as a kernel holds a datagram for it");
        assertEquals(2, net.engine.counters().get(Counter.UDP_DATAGRAMS_OUT), "a's datagram and the echo");
    }

    @Test
    void toTheKernelTheDatagramWaitsForArpThenGoesOutWhole() {
        int port = net.engine.datagrams().bind(a, recorder("a"));
        net.engine.datagrams().send(a, port, EngineHarness.PEER_IP, 53, HELLO, HELLO.length);
        List<Decoded> arp = net.advanceMillis(0);
        assertEquals(1, arp.size());
        assertEquals(ArpPacket.OPERATION_REQUEST, arp.get(0).arp().operation());

        List<Decoded> out = net.send(arpReply(a));
        assertEquals(1, out.size(), "the datagram, once the kernel's MAC is known");
        Decoded datagram = out.get(0);
        assertEquals(EngineHarness.PEER_MAC, datagram.ethDestination());
        assertEquals(a.address(), datagram.ipSource());
        assertEquals(port, datagram.udp().sourcePort());
        assertEquals(53, datagram.udp().destinationPort());
        assertArrayEquals(HELLO, datagram.udp().payload());

        assertTrue(net.send(FrameBuilder.udp(EngineHarness.PEER_MAC, a.mac(), EngineHarness.PEER_IP, a.address(), 53, port,
                "back".getBytes(StandardCharsets.US_ASCII))).isEmpty());
        assertEquals(List.of("a from 53: back"), heard);
        net.engine.datagrams().send(a, port, EngineHarness.PEER_IP, 53, HELLO, HELLO.length);
        assertEquals(1, net.advanceMillis(0).size(), "the MAC known: at once, no ARP");
    }

    @Test
    void aStoppedHostSendsNothingAndWhatItHeldForArpIsDropped() {
        int port = net.engine.datagrams().bind(a, recorder("a"));
        net.engine.datagrams().send(a, port, EngineHarness.PEER_IP, 53, HELLO, HELLO.length);
        net.advanceMillis(0);
        net.engine.stopHost(a);
        assertFalse(net.engine.datagrams().send(a, port, EngineHarness.PEER_IP, 53, HELLO, HELLO.length));
        assertTrue(net.send(arpReply(b)).isEmpty(), "the kernel's MAC learned (from its answer to b): a's held datagram is dropped");
        net.engine.startHost(a);
        assertTrue(net.engine.datagrams().send(a, port, EngineHarness.PEER_IP, 53, HELLO, HELLO.length));
        assertEquals(1, net.advanceMillis(0).size(), "started again: it sends");
    }

    @Test
    void sixteenDatagramsWaitForArpAndASeventeenthTakesTheOldestOnesPlace() {
        int port = net.engine.datagrams().bind(a, recorder("a"));
        for (int i = 0; i <= 16; i++) {
            net.engine.datagrams().send(a, port, EngineHarness.PEER_IP, 53, new byte[] {(byte) i}, 1);
        }
        net.advanceMillis(0);
        List<Decoded> out = net.send(arpReply(a));
        assertEquals(16, out.size());
        assertEquals(1, out.get(0).udp().payload()[0], "the first, oldest, was dropped");
        assertEquals(16, out.get(15).udp().payload()[0]);
    }

    @Test
    void aDatagramLongerThanAFrameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> net.engine.datagrams().send(a, 50000, b.address(), 7, new byte[1500], 1500));
    }

    private static byte[] arpReply(VirtualHost to) {
        ByteBuffer frame = ByteBuffer.allocate(EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH);
        new EthernetFrame().wrap(frame, 0, EthernetFrame.HEADER_LENGTH).setDestination(to.mac())
                .setSource(EngineHarness.PEER_MAC).setEtherType(EthernetFrame.TYPE_ARP);
        new ArpPacket().wrap(frame, EthernetFrame.HEADER_LENGTH, ArpPacket.LENGTH)
                .write(ArpPacket.OPERATION_REPLY, EngineHarness.PEER_MAC, EngineHarness.PEER_IP, to.mac(), to.address());
        return frame.array();
    }
}
