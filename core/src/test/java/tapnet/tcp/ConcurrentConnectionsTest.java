package tapnet.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.service.EchoService;
import tapnet.testing.StackHarness;
import tapnet.testing.TcpPeer;

/** 10,000 connections open at once, each with its own data, then all closed. */
class ConcurrentConnectionsTest {
    private static final int CONNECTIONS = 10_000;

    @Test
    void tenThousandConcurrentConnectionsEachEchoTheirOwnBytesAndClose() {
        StackHarness net = new StackHarness(TcpConfig.defaults().withMaxConnections(CONNECTIONS));
        VirtualHost host = net.host("echo", "10.77.0.10", 7, new EchoService());
        List<TcpPeer> clients = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            TcpPeer client = net.client(host, 20_000 + i, 7);
            client.connect();
            clients.add(client);
        }
        assertEquals(CONNECTIONS, net.connections().size());
        assertEquals(CONNECTIONS, net.counters().get(Counter.TCP_CONNECTIONS_OPENED));

        for (int i = 0; i < CONNECTIONS; i++) {
            clients.get(i).sendData(ByteBuffer.allocate(4).putInt(i).array());
        }
        for (int i = 0; i < CONNECTIONS; i++) {
            assertArrayEquals(ByteBuffer.allocate(4).putInt(i).array(), clients.get(i).received(), "connection " + i);
        }

        for (TcpPeer client : clients) {
            client.sendFin();
            client.sendAck();
            assertTrue(client.finReceived());
        }
        assertEquals(0, net.connections().size());
        assertEquals(CONNECTIONS, net.counters().get(Counter.TCP_CONNECTIONS_CLOSED));
    }

    @Test
    void synBeyondTheTableIsAnsweredWithACookieAndNoState() {
        StackHarness net = new StackHarness(TcpConfig.defaults().withMaxConnections(2));
        VirtualHost host = net.host("echo", "10.77.0.10", 7, new EchoService());
        net.client(host, 7).connect();
        net.client(host, 7).connect();
        List<tapnet.testing.Decoded.Tcp> answer = net.client(host, 7).sendSyn();
        assertEquals(1, answer.size());
        assertTrue(answer.get(0).only(tapnet.wire.TcpSegment.SYN | tapnet.wire.TcpSegment.ACK));
        assertEquals(2, net.connections().size(), "RFC 4987: no state kept for it");
        assertEquals(1, net.counters().get(Counter.TCP_SYN_COOKIES_SENT));
    }
}
