package tapnet.cli.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.topology.ProbeSpec;
import tapnet.topology.ProbeSpec.Kind;
import tapnet.script.RunReport.Sample;
import tapnet.tap.NetworkNamespace;

/** Kernel probes from this JVM's own namespace (a null one), against small servers on loopback: no root needed. */
@Timeout(30)
class KernelProbesTest {
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final KernelProbes probes = new KernelProbes(current());

    @AfterEach
    void close() throws Exception {
        probes.close();
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    @Test
    void connectIsOkToAListenerAndRefusedByAClosedPort() throws Exception {
        ServerSocket server = listen();
        Sample ok = take(probe(Kind.CONNECT, "127.0.0.1:" + server.getLocalPort(), 2000, 0), 42);
        assertTrue(ok.ok(), ok.toString());
        assertEquals(42, ok.atNanos());
        assertEquals("ok", ok.outcome());
        assertTrue(ok.value() >= 0 && ok.value() < 2000, ok.toString());

        Sample refused = take(probe(Kind.CONNECT, "127.0.0.1:" + closedPort(), 2000, 0), 43);
        assertEquals(new Sample(43, false, Double.NaN, "refused"), refused);
    }

    @Test
    void httpIsOkForTwoHundredAndNamesAnyOtherStatus() throws Exception {
        ServerSocket ok = serve(s -> answer(s, "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nhello\n"));
        Sample good = take(probe(Kind.HTTP, "http://127.0.0.1:" + ok.getLocalPort() + "/", 2000, 0), 1);
        assertTrue(good.ok(), good.toString());
        assertTrue(good.value() > 0, good.toString());

        ServerSocket busy = serve(s -> answer(s, "HTTP/1.1 503 Service Unavailable\r\n\r\ntry later"));
        Sample unavailable = take(probe(Kind.HTTP, "http://127.0.0.1:" + busy.getLocalPort() + "/x", 2000, 0), 1);
        assertEquals("status 503", unavailable.outcome());
        assertTrue(Double.isNaN(unavailable.value()));
    }

    @Test
    void anAnswerThatNeverComesIsATimeoutAtTheProbesTimeout() throws Exception {
        ServerSocket silent = serve(s -> {
            // accepts and says nothing
        });
        long start = System.nanoTime();
        Sample s = take(probe(Kind.HTTP, "http://127.0.0.1:" + silent.getLocalPort() + "/", 300, 0), 1);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals("timeout", s.outcome());
        assertTrue(seconds >= 0.29 && seconds < 5, seconds + " s");
    }

    @Test
    void bulkSendsItsBytesToADiscardServerAndMeasuresTheRate() throws Exception {
        long[] received = new long[1];
        CountDownLatch counted = new CountDownLatch(1);
        ServerSocket discard = serve(s -> {
            received[0] = s.getInputStream().transferTo(OutputStream.nullOutputStream());
            counted.countDown();
        });
        Sample s = take(probe(Kind.BULK, "127.0.0.1:" + discard.getLocalPort(), 5000, 1 << 20), 1);
        assertTrue(s.ok(), s.toString());
        assertTrue(s.value() > 0, s.toString());
        assertTrue(counted.await(5, TimeUnit.SECONDS));
        assertEquals(1 << 20, received[0]);
    }

    @Test
    void aProbeFromANodeWithoutNamespaceFailsOnAnotherThread() throws Exception {
        CompletableFuture<Thread> thread = new CompletableFuture<>();
        CompletableFuture<Sample> sample = new CompletableFuture<>();
        probes.sample(new ProbeSpec("p", Kind.CONNECT, "127.0.0.1:1", "client", Duration.ofSeconds(1), Duration.ofSeconds(1), 0),
                5, s -> {
                    thread.complete(Thread.currentThread());
                    sample.complete(s);
                });
        assertTrue(sample.get(5, TimeUnit.SECONDS).outcome().startsWith("error: no namespace for 'client'"));
        assertNotEquals(Thread.currentThread(), thread.get());
    }

    @Test
    void aTargetThatDoesNotParseIsAnError() throws Exception {
        Sample s = take(probe(Kind.HTTP, "https://127.0.0.1/", 1000, 0), 1);
        assertFalse(s.ok());
        assertTrue(s.outcome().startsWith("error: not an http://"), s.outcome());
    }

    @Test
    void everySampleIsReportedExactlyOnceEvenWhenTheProbesCloseUnderThem() throws Exception {
        CountDownLatch accepted = new CountDownLatch(1);
        ServerSocket silent = serve(s -> accepted.countDown());
        KernelProbes few = new KernelProbes(current(), 1, 2);
        List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch all = new CountDownLatch(5);
        for (int i = 0; i < 5; i++) {
            few.sample(probe(Kind.HTTP, "http://127.0.0.1:" + silent.getLocalPort() + "/", 500, 0), i, s -> {
                samples.add(s);
                all.countDown();
            });
            if (i == 0) {
                assertTrue(accepted.await(5, TimeUnit.SECONDS)); // the first is running: the others queue behind it
            }
        }
        few.close();
        assertTrue(all.await(5, TimeUnit.SECONDS), samples.toString());
        Thread.sleep(700); // past the running sample's deadline: nothing more may come
        assertEquals(5, samples.size(), samples.toString());
        List<String> outcomes = samples.stream().map(Sample::outcome).sorted().toList();
        // one running (its deadline ends it), two queued (closed), two beyond the backlog (busy)
        assertEquals(List.of("busy", "busy", "closed", "closed", "timeout"), outcomes);
    }

    private static Map<String, NetworkNamespace> current() {
        Map<String, NetworkNamespace> namespaces = new HashMap<>();
        namespaces.put("tap", null);
        return namespaces;
    }

    private static ProbeSpec probe(Kind kind, String target, long timeoutMillis, long bytes) {
        return new ProbeSpec("p", kind, target, "tap", Duration.ofSeconds(1), Duration.ofMillis(timeoutMillis), bytes);
    }

    private Sample take(ProbeSpec probe, long atNanos) throws Exception {
        CompletableFuture<Sample> sample = new CompletableFuture<>();
        probes.sample(probe, atNanos, sample::complete);
        return sample.get(20, TimeUnit.SECONDS);
    }

    private ServerSocket listen() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closing.add(server);
        return server;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort(); // free again once closed: a connect there is refused
        }
    }

    interface Handler {
        void handle(Socket socket) throws IOException;
    }

    /** A server on loopback that runs {@code handler} for each connection, then closes it. */
    private ServerSocket serve(Handler handler) throws IOException {
        ServerSocket server = listen();
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    closing.add(s);
                    handler.handle(s);
                    if (!s.isClosed()) {
                        s.getInputStream().transferTo(OutputStream.nullOutputStream()); // until the client closes
                    }
                } catch (IOException e) {
                    // closed
                }
            }
        }, "test-server");
        t.setDaemon(true);
        t.start();
        return server;
    }

    private static void answer(Socket s, String response) throws IOException {
        InputStream in = s.getInputStream();
        byte[] head = new byte[4096];
        int n = in.read(head);
        assertTrue(n > 0 && new String(head, 0, n, StandardCharsets.US_ASCII).contains("Connection: close"));
        s.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
        s.close();
    }

}
