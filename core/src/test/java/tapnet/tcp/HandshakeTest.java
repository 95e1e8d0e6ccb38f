package tapnet.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.RST;
import static tapnet.wire.TcpSegment.SYN;

import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.service.EchoService;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.StackHarness;
import tapnet.testing.TcpPeer;

/** The passive 3-way handshake, RFC 9293 §3.5 and §3.10.7.2. */
class HandshakeTest {
    private final StackHarness net = new StackHarness();
    private final VirtualHost web = net.host("web", "10.77.0.10", 7, new EchoService());

    @Test
    void synGetsSynAckAcknowledgingTheirIsnPlusOne() {
        TcpPeer client = net.client(web, 7);
        List<Decoded.Tcp> out = client.sendSyn();

        assertEquals(1, out.size());
        Decoded.Tcp synAck = out.get(0);
        assertTrue(synAck.only(SYN | ACK), synAck.toString());
        assertEquals(TcpPeer.ISS + 1, synAck.ack());
        assertEquals(client.localPort, synAck.destinationPort());
        assertEquals(7, synAck.sourcePort());
        assertEquals(24, synAck.headerLength());
        assertEquals(TcpConfig.DEFAULT_MSS, synAck.mss(), "our MSS is announced");
        assertTrue(synAck.window() > 0);
    }

    @Test
    void synAckComesFromTheHostsMacToTheSendersMac() {
        TcpPeer client = net.client(web, 7);
        client.sendSyn();
        net.sink.clear();
        // Same handshake again through the raw frames to see the Ethernet header.
        List<Decoded> frames = net.send(net.client(web, 7).segment().flags(SYN).ack(0).build());
        assertEquals(web.mac(), frames.get(0).ethSource());
        assertEquals(StackHarness.PEER_MAC, frames.get(0).ethDestination());
        assertEquals(web.address(), frames.get(0).ipSource());
        assertEquals(StackHarness.PEER_IP, frames.get(0).ipDestination());
    }

    @Test
    void finalAckEstablishesTheConnection() {
        TcpPeer client = net.client(web, 7);
        client.connect();

        TcpConnection c = net.connections().find(web.address(), 7, StackHarness.PEER_IP, client.localPort);
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertEquals(1, net.counters().get(Counter.TCP_CONNECTIONS_OPENED));
    }

    @Test
    void isnsDifferPerFourTuple() {
        int a = net.client(web, 7).sendSyn().get(0).seq();
        int b = net.client(web, 7).sendSyn().get(0).seq();
        assertNotEquals(a, b, "RFC 6528: F() of a different 4-tuple");
    }

    @Test
    void isnAdvancesWithTheClockForTheSameFourTuple() {
        TcpPeer first = net.client(web, 50000, 7);
        int isn1 = first.sendSyn().get(0).seq();
        first.send(first.segment().flags(RST).ack(0).seq(TcpPeer.ISS + 1)); // abandon it
        net.advanceMillis(1000);
        int isn2 = net.client(web, 50000, 7).sendSyn().get(0).seq();
        assertEquals(250_000, isn2 - isn1, "RFC 6528 M: one tick per 4 microseconds");
    }

    @Test
    void sendMssHonoursThePeersMssOption() {
        TcpPeer client = net.client(web, 7);
        client.send(client.segment().flags(SYN).ack(0).mss(500));
        client.sndNxt = TcpPeer.ISS + 1;
        client.sendAck();
        List<Decoded.Tcp> echoed = new java.util.ArrayList<>(client.sendData(new byte[1200]));
        echoed.addAll(client.sendAck()); // Nagle holds the short tail until the rest is acknowledged
        assertTrue(echoed.stream().allMatch(s -> s.payload().length <= 500), echoed.toString());
        assertEquals(1200, echoed.stream().mapToInt(s -> s.payload().length).sum());
    }

    @Test
    void withoutMssOptionThePeerGets536ByteSegments() {
        TcpPeer client = net.client(web, 7);
        client.send(client.segment().flags(SYN).ack(0));
        client.sndNxt = TcpPeer.ISS + 1;
        client.sendAck();
        List<Decoded.Tcp> echoed = client.sendData(new byte[1000]);
        assertEquals(536, echoed.get(0).payload().length, "RFC 9293 §3.7.1 [MUST-15] default send MSS");
    }

    @Test
    void ackWithWrongNumberInSynReceivedGetsReset() {
        TcpPeer client = net.client(web, 7);
        Decoded.Tcp synAck = client.sendSyn().get(0);
        List<Decoded.Tcp> out = client.send(client.segment().ack(synAck.seq() + 5));
        assertEquals(1, out.size());
        assertTrue(out.get(0).only(RST), out.toString());
        assertEquals(synAck.seq() + 5, out.get(0).seq(), "RFC 9293: <SEQ=SEG.ACK><CTL=RST>");
    }

    @Test
    void retransmittedSynIsAnsweredWithTheSameSynAck() {
        TcpPeer client = net.client(web, 7);
        Decoded.Tcp first = client.sendSyn().get(0);
        client.sndNxt = TcpPeer.ISS;
        Decoded.Tcp second = client.sendSyn().get(0);
        assertTrue(second.only(SYN | ACK));
        assertEquals(first.seq(), second.seq());
        assertEquals(first.ack(), second.ack());
    }

    @Test
    void resetInSynReceivedFreesTheConnection() {
        TcpPeer client = net.client(web, 7);
        client.sendSyn();
        assertEquals(1, net.connections().size());
        List<Decoded.Tcp> out = client.send(client.segment().flags(RST).ack(0));
        assertTrue(out.isEmpty());
        assertEquals(0, net.connections().size());
    }

    /** The device's virtio header (frame.Offload) read on the engine's frame path: a whole engine. */
    @Test
    void aSegmentWhoseDeviceVouchesForItsChecksumIsTakenEvenWithAPartialOne() {
        EngineHarness net = new EngineHarness();
        VirtualHost web = net.host("web", "10.77.0.10", 7, new EchoService());
        byte[] syn = net.client(web, 7).segment().flags(SYN).ack(0).mss(1460).build();
        syn[14 + 20 + 16] ^= 0x5a; // as NEEDS_CSUM leaves it: not the final checksum
        net.engine.onFrame(java.nio.ByteBuffer.wrap(syn), 0, syn.length, tapnet.frame.Offload.NONE, 0);
        net.engine.endOfBatch();
        assertEquals(0, net.drain().size(), "checked, and dropped");
        net.engine.onFrame(java.nio.ByteBuffer.wrap(syn), 0, syn.length,
                tapnet.frame.Offload.of(tapnet.frame.Offload.FLAG_DATA_VALID, 0, 0, 0, 0), 0);
        net.engine.endOfBatch();
        assertEquals(1, net.drain().size(), "vouched for by the TAP's virtio header: taken");
    }
}
