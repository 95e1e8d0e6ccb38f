package tapnet.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.net.VirtualHost;
import tapnet.observe.Counter;
import tapnet.service.EchoService;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.TcpPeer;

/**
 * Unacceptable segments (RFC 9293 §3.10.7.4) are answered with an ACK, but a flood of them is not
 * reflected one for one: as Linux's tcp_invalid_ratelimit, one ACK per connection per 500 ms for
 * segments without data; segments with data always get theirs.
 */
class UnacceptableSegmentsTest {
    private final EngineHarness net = new EngineHarness();
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
        assertEquals(999, net.engine.counters().get(Counter.TCP_INVALID_ACKS_SKIPPED));
        net.advanceMillis(500);
        assertEquals(1, client.send(client.segment().seq(client.sndNxt + 10_000_000)).size(), "half a second later, one more");
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
        assertTrue(net.engine.counters().get(Counter.TCP_INVALID_ACKS_SKIPPED) == 0);
    }
}
