package tapnet.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.service.EchoService;
import tapnet.testing.Decoded;
import tapnet.testing.StackHarness;
import tapnet.testing.TcpPeer;

/**
 * Unacceptable segments (RFC 9293 §3.10.7.4) are answered with an ACK, but a flood of them is not
 * reflected one for one: as Linux's tcp_invalid_ratelimit, one ACK per connection per 500 ms for
 * segments without data; segments with data always get theirs.
 */
class UnacceptableSegmentsTest {
    private final StackHarness net = new StackHarness();
    private final VirtualHost echo = net.host("echo", "10.77.0.10", 7, new EchoService());

    @Test
    void aFloodOfOutOfWindowAcksGetsOneAckPerHalfSecond() {
        TcpPeer client = net.client(echo, 7);
        client.connect();
        int answered = 0;
        for (int i = 0; i < 1000; i++) {
            answered += client.send(client.segment().seq(client.sndNxt + 10_000_000)).size();
        }
        assertEquals(1, answered, "one ACK for a thousand forged ACKs within the same moment");
        assertEquals(999, net.counters().get(Counter.TCP_INVALID_ACKS_SKIPPED));
        net.advanceMillis(500);
        assertEquals(1, client.send(client.segment().seq(client.sndNxt + 10_000_000)).size(), "half a second later, one more");
    }

    @Test
    void aFloodOfOutOfWindowSynsIsRateLimitedToo() {
        TcpPeer client = net.client(echo, 7);
        client.connect();
        int answered = 0;
        for (int i = 0; i < 1000; i++) {
            answered += client.send(client.segment().flags(tapnet.wire.TcpSegment.SYN).ack(0).seq(client.sndNxt + 10_000_000)).size();
        }
        assertEquals(1, answered, "as Linux, a SYN counts as carrying nothing here");
    }

    @Test
    void anOldDuplicateWithDataIsAlwaysAcknowledged() {
        TcpPeer client = net.client(echo, 7);
        client.connect();
        client.sendData("hello".getBytes());
        int old = client.sndNxt - 5;
        for (int i = 0; i < 3; i++) {
            List<Decoded.Tcp> out = client.send(client.segment().seq(old).payload("hello".getBytes()));
            assertEquals(1, out.size(), "retransmission " + i + " of data already received is acknowledged");
            assertEquals(client.sndNxt, out.get(0).ack());
        }
        assertTrue(net.counters().get(Counter.TCP_INVALID_ACKS_SKIPPED) == 0);
    }

    @Test
    void aRetransmissionOfDataAlreadyReceivedGetsADuplicateSackAndItsOwnDropReason() {
        TcpPeer client = net.client(echo, 7);
        Decoded.Tcp synAck = client.send(client.segment().flags(tapnet.wire.TcpSegment.SYN).ack(0).mss(1460).sackPermitted()).get(0);
        assertTrue(synAck.sackPermitted());
        client.sndNxt = TcpPeer.ISS + 1;
        client.sendAck();
        client.sendData("hello".getBytes());
        int first = client.sndNxt - 5;
        List<Decoded.Tcp> out = client.send(client.segment().seq(first).payload("hello".getBytes()));
        assertEquals(1, out.size(), out.toString());
        int[] blocks = out.get(0).sackBlocks();
        assertTrue(blocks.length >= 2, "a SACK block: " + out);
        assertEquals(first, blocks[0], "RFC 2883: the first block is the duplicate, below the ACK");
        assertEquals(first + 5, blocks[1]);
        assertEquals(1, net.counters().dropped(tapnet.observe.DropReason.TCP_DUPLICATE));
        assertEquals(0, net.counters().dropped(tapnet.observe.DropReason.TCP_UNACCEPTABLE));
        List<Decoded.Tcp> next = client.sendAck();
        assertTrue(next.isEmpty() || next.get(0).sackBlocks().length == 0, "reported once");
    }
}
