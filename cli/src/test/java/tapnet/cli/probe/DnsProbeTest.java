package tapnet.cli.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.script.RunReport.Sample;
import tapnet.topology.ProbeSpec;
import tapnet.wire.Ipv4Address;

/**
 * The kernel's dns probe against a small server on loopback (this JVM's namespace, no root): the answer
 * with the query's id is taken and one with another id skipped, silence is a timeout, a closed port unreachable.
 */
@Timeout(30)
class DnsProbeTest {
    private final DatagramSocket server = newServer();

    private static DatagramSocket newServer() {
        try {
            return new DatagramSocket(0, InetAddress.getLoopbackAddress());
        } catch (java.net.SocketException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void anAnswerWithAnotherIdIsSkippedAndTheOneWithTheQuerysIdJudged() throws Exception {
        CompletableFuture<Void> answering = CompletableFuture.runAsync(() -> {
            try {
                DatagramPacket query = receive();
                byte[] wrongId = answer(query, 0x8183);
                wrongId[0] ^= 0x55;
                send(query, wrongId);
                send(query, answer(query, 0x8183)); // NXDOMAIN
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Sample s = new DnsProbe(server.getLocalPort()).measure(probe(2000), 42, null);
        answering.get();
        assertEquals(new Sample(42, false, Double.NaN, "NXDOMAIN"), s);
    }

    @Test
    void noErrorIsOkAndTimed() throws Exception {
        CompletableFuture<Void> answering = CompletableFuture.runAsync(() -> {
            try {
                DatagramPacket query = receive();
                byte[] answer = answer(query, 0x8180);
                answer[7] = 1;
                send(query, answer);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Sample s = new DnsProbe(server.getLocalPort()).measure(probe(2000), 7, null);
        answering.get();
        assertTrue(s.ok() && "ok".equals(s.outcome()) && s.value() > 0 && s.value() < 2000, s.toString());
    }

    @Test
    void silenceIsATimeoutAfterTheProbesTimeout() throws Exception {
        long start = System.nanoTime();
        Sample s = new DnsProbe(server.getLocalPort()).measure(probe(300), 1, null);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("timeout", s.outcome());
        assertTrue(millis >= 290 && millis < 2000, millis + " ms");
    }

    @Test
    void aClosedPortIsUnreachable() throws Exception {
        int port = server.getLocalPort();
        server.close();
        assertEquals("unreachable", new DnsProbe(port).measure(probe(2000), 1, null).outcome());
    }

    private static ProbeSpec probe(long timeoutMillis) {
        return new ProbeSpec("resolve", ProbeSpec.Kind.DNS, "db.shop.test", "tap", Duration.ofSeconds(1),
                Duration.ofMillis(timeoutMillis), 0, new ProbeSpec.DnsQuery("db.shop.test", "A", Ipv4Address.parse("127.0.0.1")));
    }

    private DatagramPacket receive() throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[512], 512);
        server.receive(packet);
        return packet;
    }

    private void send(DatagramPacket to, byte[] payload) throws Exception {
        server.send(new DatagramPacket(payload, payload.length, to.getSocketAddress()));
    }

    /** The query turned into an answer with {@code flags}: no records follow (the probe reads only the header and question). */
    private static byte[] answer(DatagramPacket query, int flags) {
        byte[] a = Arrays.copyOf(query.getData(), query.getLength());
        a[2] = (byte) (flags >>> 8);
        a[3] = (byte) flags;
        return a;
    }
}
