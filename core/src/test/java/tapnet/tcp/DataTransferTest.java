package tapnet.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.PSH;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.observe.DropReason;
import tapnet.service.DiscardService;
import tapnet.service.EchoService;
import tapnet.testing.Decoded;
import tapnet.testing.StackHarness;
import tapnet.testing.TcpPeer;

/** Data both ways in ESTABLISHED: sequence and acknowledgment numbers, the receive window. */
class DataTransferTest {
    private final StackHarness net = new StackHarness();
    private final VirtualHost web = net.host("web", "10.77.0.10", 7, new EchoService());

    @Test
    void echoedDataCarriesOurSequenceAndAcknowledgesTheirs() {
        TcpPeer client = net.client(web, 7);
        Decoded.Tcp synAck = client.connect();
        List<Decoded.Tcp> out = client.sendData("hello".getBytes());

        assertEquals(1, out.size());
        Decoded.Tcp echo = out.get(0);
        assertTrue(echo.only(ACK | PSH), echo.toString());
        assertEquals(synAck.seq() + 1, echo.seq());
        assertEquals(TcpPeer.ISS + 1 + 5, echo.ack());
        assertArrayEquals("hello".getBytes(), echo.payload());
    }

    @Test
    void oneMegabyteEchoesBackIntact() {
        TcpPeer client = net.client(web, 7);
        client.connect();
        byte[] data = new byte[1 << 20];
        new Random(7).nextBytes(data);

        client.stream(data, 1460, data.length);

        assertArrayEquals(data, client.received());
        assertEquals(data.length, net.counters().get(Counter.TCP_DATA_BYTES_IN));
        assertEquals(0, net.counters().get(Counter.TCP_RETRANSMISSIONS));
    }

    @Test
    void windowShrinksAsTheReceiveBufferFillsAndNoMoreIsTaken() {
        VirtualHost sink = net.host("slow", "10.77.0.11", 9, new HoldingService());
        TcpPeer client = net.client(sink, 9);
        Decoded.Tcp synAck = client.connect();
        int window = synAck.window();
        int sent = 0;
        while (sent + 1460 <= window) {
            client.sendData(new byte[1460]);
            sent += 1460;
        }
        // The buffer holds everything; what is left of the window is what the buffer has left.
        int left = client.peerWindow;
        assertTrue(left < 1460, "window left " + left);
        // A segment beyond the window is not acceptable: ACKed and dropped.
        List<Decoded.Tcp> answer = client.send(client.segment().seq(client.sndNxt + 70_000).payload(new byte[100]));
        assertEquals(1, answer.size());
        assertEquals(client.sndNxt, answer.get(0).ack());
        assertEquals(1, net.counters().dropped(DropReason.TCP_UNACCEPTABLE));
    }

    @Test
    void duplicateSegmentIsAcknowledgedNotDeliveredTwice() {
        VirtualHost d = net.host("d", "10.77.0.12", 9, new DiscardService());
        TcpPeer client = net.client(d, 9);
        client.connect();
        client.sendData("abc".getBytes());
        net.endOfBatch();
        client.sndNxt -= 3;
        List<Decoded.Tcp> out = client.sendData("abc".getBytes());
        assertEquals(1, out.size(), "an old segment gets an immediate ACK");
        assertEquals(TcpPeer.ISS + 1 + 3, out.get(0).ack());
        assertEquals(3, net.counters().get(Counter.TCP_DATA_BYTES_IN));
    }

    @Test
    void outOfOrderSegmentGetsADuplicateAck() {
        VirtualHost d = net.host("d", "10.77.0.12", 9, new DiscardService());
        TcpPeer client = net.client(d, 9);
        client.connect();
        List<Decoded.Tcp> out = client.send(client.segment().seq(client.sndNxt + 1000).payload(new byte[100]));
        assertEquals(1, out.size());
        assertEquals(client.sndNxt, out.get(0).ack(), "still expecting the first missing octet");
    }

    @Test
    void partlyOldSegmentDeliversOnlyItsNewBytes() {
        TcpPeer client = net.client(web, 7);
        client.connect();
        client.sendData("abc".getBytes());
        client.sndNxt -= 3;
        List<Decoded.Tcp> out = client.sendData("abcdef".getBytes());
        assertArrayEquals("abcdef".getBytes(), client.received());
        assertEquals(TcpPeer.ISS + 1 + 6, out.get(out.size() - 1).ack());
    }

    @Test
    void segmentWithoutAckIsDropped() {
        TcpPeer client = net.client(web, 7);
        client.connect();
        List<Decoded.Tcp> out = client.send(client.segment().flags(PSH).payload("x".getBytes()));
        assertTrue(out.isEmpty());
        assertEquals(1, net.counters().dropped(DropReason.TCP_NO_ACK));
    }

    @Test
    void pureDataIsAcknowledgedAtTheEndOfTheBatchNotPerSegment() {
        VirtualHost d = net.host("d", "10.77.0.12", 9, new DiscardService());
        TcpPeer client = net.client(d, 9);
        client.connect();
        List<byte[]> frames = List.of(
                client.segment().payload(new byte[100]).build(),
                client.segment().seq(client.sndNxt + 100).payload(new byte[100]).build(),
                client.segment().seq(client.sndNxt + 200).payload(new byte[100]).build());
        List<Decoded> out = net.sendBatch(frames);
        assertEquals(1, out.size(), "one ACK for the batch: " + out);
        assertEquals(TcpPeer.ISS + 1 + 300, out.get(0).tcp().ack());
    }

    @Test
    void everySecondFullSizedSegmentIsAcknowledgedAtOnce() {
        VirtualHost d = net.host("d", "10.77.0.12", 9, new DiscardService());
        TcpPeer client = net.client(d, 9);
        client.connect();
        int s = client.sndNxt;
        List<byte[]> frames = List.of(
                client.segment().seq(s).payload(new byte[1460]).build(),
                client.segment().seq(s + 1460).payload(new byte[1460]).build(),
                client.segment().seq(s + 2920).payload(new byte[1460]).build(),
                client.segment().seq(s + 4380).payload(new byte[1460]).build());
        List<Decoded> out = net.sendBatch(frames);
        assertEquals(2, out.size(), "RFC 9293 §3.8.6.3: an ACK at least every second full-sized segment: " + out);
    }

    @Test
    void dataWithAnAckOfUnsentDataIsAcknowledgedAndDropped() {
        TcpPeer client = net.client(web, 7);
        client.connect();
        List<Decoded.Tcp> out = client.send(client.segment().ack(client.rcvNxt + 5000).payload("taken?".getBytes()));
        assertEquals(1, out.size());
        assertEquals(client.sndNxt, out.get(0).ack(), "RFC 9293 §3.10.7.4: ACK, drop the segment, return");
        assertEquals(0, client.received().length);
    }

    @Test
    void dataWithAnAckFarBehindIsDroppedWithAChallengeAck() {
        TcpPeer client = net.client(web, 7);
        client.connect();
        List<Decoded.Tcp> out = client.send(client.segment().ack(client.rcvNxt - 1_000_000).payload("old".getBytes()));
        assertEquals(1, out.size(), "RFC 5961 §5.2");
        assertEquals(client.sndNxt, out.get(0).ack());
        assertEquals(0, client.received().length);
    }

    @Test
    void receiverWindowOpensOnlyInSteps_noSillyWindow() {
        VirtualHost slow = net.host("slow", "10.77.0.13", 9, new HoldingService());
        TcpPeer client = net.client(slow, 9);
        client.connect();
        while (client.peerWindow >= 1460) {
            client.sendData(new byte[1460]);
        }
        client.sendData(new byte[client.peerWindow]);
        client.sendAck();
        assertEquals(0, client.peerWindow);
        TcpConnection c = net.connections().find(slow.address(), 9, StackHarness.PEER_IP, client.localPort);
        c.consume(100);
        assertTrue(client.sendAck().isEmpty(), "RFC 9293 [MUST-39]: 100 bytes free is not worth a window update");
        c.consume(1400);
        List<Decoded.Tcp> update = client.sendAck();
        assertEquals(1, update.size(), "at least an MSS free: the window opens");
        assertTrue(update.get(0).window() >= 1460, "window " + update.get(0).window());
    }

    @Test
    void aZeroWindowMayStayClosedIndefinitelyWhileTheProbesAreAnswered() {
        VirtualHost chargen = net.host("chargen", "10.77.0.14", 19, new tapnet.service.ChargenService());
        TcpPeer client = net.client(chargen, 19);
        client.send(client.segment().flags(tapnet.wire.TcpSegment.SYN).ack(0).mss(1460).window(0));
        client.sndNxt = TcpPeer.ISS + 1;
        client.send(client.segment().window(0));
        int probes = 0;
        for (int i = 0; i < 60; i++) { // an hour of virtual time
            for (Decoded.Tcp probe : client.advanceMillis(60_000)) {
                probes++;
                client.send(client.segment().window(0).ack(probe.seq()));
            }
        }
        assertTrue(probes >= 40, "probes kept coming: " + probes);
        assertEquals(TcpState.ESTABLISHED,
                net.connections().find(chargen.address(), 19, StackHarness.PEER_IP, client.localPort).state(),
                "RFC 9293 [MUST-37]: the connection is not dropped while the peer answers");
    }

    /** Keeps everything it receives, so the window closes. */
    static final class HoldingService implements ConnectionHandler {
    }
}
