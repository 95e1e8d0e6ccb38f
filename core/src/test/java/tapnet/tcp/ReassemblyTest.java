package tapnet.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.FIN;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.service.EchoService;
import tapnet.testing.Decoded;
import tapnet.testing.StackHarness;
import tapnet.testing.TcpPeer;

/** Out-of-order segments are kept and reassembled (RFC 9293 §3.10.7.4, RFC 5681 §4.2). */
class ReassemblyTest {
    private final StackHarness net = new StackHarness();
    private final VirtualHost echo = net.host("echo", "10.77.0.10", 7, new EchoService());

    @Test
    void segmentsArrivingInReverseAreDeliveredInOrder() {
        TcpPeer client = net.client(echo, 7);
        client.connect();
        int base = client.sndNxt;
        byte[] data = "0123456789abcdefghij".getBytes();
        client.send(client.segment().seq(base + 15).payload(Arrays.copyOfRange(data, 15, 20)));
        client.send(client.segment().seq(base + 10).payload(Arrays.copyOfRange(data, 10, 15)));
        client.send(client.segment().seq(base + 5).payload(Arrays.copyOfRange(data, 5, 10)));
        assertEquals(0, client.received().length, "nothing readable before the gap fills");
        List<Decoded.Tcp> out = client.send(client.segment().seq(base).payload(Arrays.copyOfRange(data, 0, 5)));
        client.sndNxt = base + 20;
        assertArrayEquals(data, client.received());
        assertEquals(base + 20, out.get(out.size() - 1).ack(), "one ACK covers all the reassembled data");
        assertEquals(3, net.counters().get(Counter.TCP_OUT_OF_ORDER));
    }

    @Test
    void eachOutOfOrderSegmentIsAcknowledgedAtOnceWithTheFirstMissingOctet() {
        TcpPeer client = net.client(echo, 7);
        client.connect();
        int base = client.sndNxt;
        List<Decoded.Tcp> out = client.send(client.segment().seq(base + 10).payload(new byte[10]));
        assertEquals(1, out.size());
        assertTrue(out.get(0).only(ACK));
        assertEquals(base, out.get(0).ack());
    }

    @Test
    void overlappingAndDuplicatedSegmentsReassembleToTheSameBytes() {
        TcpPeer client = net.client(echo, 7);
        client.connect();
        int base = client.sndNxt;
        byte[] data = new byte[3000];
        new Random(4).nextBytes(data);
        int[][] pieces = {{1000, 1600}, {1500, 2200}, {2900, 3000}, {1000, 1200}, {2100, 2950}, {0, 1100}};
        for (int[] p : pieces) {
            client.send(client.segment().seq(base + p[0]).payload(Arrays.copyOfRange(data, p[0], p[1])));
        }
        client.sndNxt = base + 3000;
        for (int i = 0; i < 10 && client.received().length < 3000; i++) {
            client.sendAck();
        }
        assertArrayEquals(data, client.received());
    }

    @Test
    void finPastAGapIsTakenWhenTheGapFills() {
        TcpPeer client = net.client(echo, 7);
        client.connect();
        int base = client.sndNxt;
        client.send(client.segment().seq(base + 3).flags(ACK | FIN).payload("def".getBytes()));
        client.send(client.segment().seq(base).payload("abc".getBytes()));
        client.sndNxt = base + 7;
        assertArrayEquals("abcdef".getBytes(), client.received());
        assertTrue(client.finReceived(), "echo closed in turn: their FIN was taken");
    }

    @Test
    void manyLossesInAMegabyteStreamStillDeliverEverything() {
        TcpPeer client = net.client(echo, 7);
        client.connect();
        byte[] data = new byte[256 * 1024];
        new Random(9).nextBytes(data);
        Random loss = new Random(10);
        int base = client.sndNxt;
        int acked = 0;
        int rounds = 0;
        // Send every segment of the window, dropping 10%; then go back to the first unacknowledged octet.
        while (acked < data.length && rounds++ < 10_000) {
            int window = Math.max(client.peerWindow, 1460);
            int from = acked;
            int to = Math.min(data.length, acked + window);
            for (int at = from; at < to; at += 1460) {
                int end = Math.min(to, at + 1460);
                if (loss.nextInt(10) != 0) {
                    client.send(client.segment().seq(base + at).payload(Arrays.copyOfRange(data, at, end)));
                }
            }
            List<Decoded.Tcp> ack = client.sendAck();
            TcpConnection c = net.connections().find(echo.address(), 7, StackHarness.PEER_IP, client.localPort);
            acked = c.rcvNxt - base;
            client.sndNxt = base + acked;
            if (!ack.isEmpty()) {
                client.peerWindow = ack.get(ack.size() - 1).window() << 0;
            }
        }
        for (int i = 0; i < 100 && client.received().length < data.length; i++) {
            client.sendAck();
        }
        assertArrayEquals(data, client.received());
    }
}
