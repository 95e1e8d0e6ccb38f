package tapnet.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.node.VirtualHost;
import tapnet.testing.EngineHarness;
import tapnet.testing.TcpPeer;

/** A service's own timer: {@link TcpConnection#wakeAfter} and {@link ConnectionHandler#onWake}, on the virtual clock. */
class ServiceWakeTest {
    private final EngineHarness net = new EngineHarness();

    /** Asks for a wake 100 ms after it opens and after every wake, three times, writing a byte each time. */
    private static final class Ticker implements ConnectionHandler {
        final List<Long> wakes = new ArrayList<>();
        final EngineHarness net;

        Ticker(EngineHarness net) {
            this.net = net;
        }

        @Override
        public void onOpen(TcpConnection c) {
            c.wakeAfter(100_000_000L);
        }

        @Override
        public void onWake(TcpConnection c) {
            wakes.add(net.clock.nanos());
            c.send(new byte[] {'t'}, 0, 1);
            if (wakes.size() < 3) {
                c.wakeAfter(100_000_000L);
            }
        }
    }

    @Test
    void aWakeComesWhenAskedAndWhatItSendsGoesOut() {
        Ticker ticker = new Ticker(net);
        VirtualHost h = net.host("h", "10.77.0.10", 5, ticker);
        TcpPeer c = net.client(h, 5);
        c.connect();
        long opened = net.clock.nanos();
        c.advanceMillis(99);
        assertEquals(List.of(), ticker.wakes);
        for (int i = 0; i < 5; i++) {
            c.advanceMillis(100);
            c.sendAck();
        }
        assertEquals(List.of(opened + 100_000_000L, opened + 200_000_000L, opened + 300_000_000L), ticker.wakes);
        assertEquals("ttt", new String(c.received()));
    }

    @Test
    void aWakeDoesNotOutliveItsConnection() {
        Ticker ticker = new Ticker(net);
        VirtualHost h = net.host("h", "10.77.0.10", 5, ticker);
        TcpPeer c = net.client(h, 5);
        c.connect();
        c.send(c.segment().flags(tapnet.wire.TcpSegment.RST));
        c.advanceMillis(1000);
        assertEquals(List.of(), ticker.wakes);
    }
}
