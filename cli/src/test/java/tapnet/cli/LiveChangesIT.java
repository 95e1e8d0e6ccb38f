package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tapnet.tap.EchoRoundTrip;
import tapnet.tap.ExternalCommand;
import tapnet.tap.NetworkNamespace;
import tapnet.tap.TapTestEnvironment;
import tapnet.tap.TestNamespace;

/**
 * Links changed while real TCP flows, on files without {@code links:} (where the TAP's offloads hand over
 * 64 KB segments with partial checksums): a flap or any change of a link must never leave a host
 * unreachable or a transfer corrupted. The kernel's own clients through the TAP, and two ports' kernels.
 */
@Timeout(240)
class LiveChangesIT {
    private static final String WEB = "10.77.0.10";

    @Test
    void tcpThroughTheDefaultTopologyRecoversAtOnceAfterEveryLiveChange(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("curl");
        Path socket = dir.resolve("control.sock");
        try (TestNamespace namespace = TestNamespace.create();
             TapnetProcess tapnet = TapnetProcess.start("run", "--netns", namespace.name(), "--control", socket.toString())) {
            tapnet.awaitLine("Stop with Ctrl-C", 30);
            assertCurl(namespace, "before any change", tapnet);

            ctl(socket, "down", "web");
            ctl(socket, "up", "web");
            assertCurl(namespace, "at once after down and up", tapnet);
            assertEcho(namespace, 2 << 20, "after the flap", tapnet);

            ctl(socket, "link", "{between: [tap, web], delay: 10ms}");
            assertCurl(namespace, "across a 10 ms link set live", tapnet);
            assertEcho(namespace, 2 << 20, "across a 10 ms link", tapnet);

            ctl(socket, "link", "{between: [tap, web], delay: 2ms, jitter: 1ms, loss: 1%, corrupt: 0.5%}");
            assertEcho(namespace, 2 << 20, "across loss, jitter and corruption", tapnet);
            String links = ctl(socket, "links").stdout();
            Matcher toWeb = Pattern.compile("# tap -> web: in (\\d+) \\((\\d+) bytes\\)").matcher(links);
            assertTrue(toWeb.find(), links);
            long frames = Long.parseLong(toWeb.group(1));
            long bytes = Long.parseLong(toWeb.group(2));
            assertTrue(bytes / frames <= 1514, "the lossy link acts on wire frames, not 64 KB segments: " + links);
            assertTrue(frames > (2 << 20) / 1514, "every wire frame is decided: " + links);
            Matcher corrupted = Pattern.compile("# tap -> web: .* corrupted (\\d+)").matcher(links);
            assertTrue(corrupted.find(), links);

            ctl(socket, "link", "{between: [tap, web]}");
            assertCurl(namespace, "after the link is perfect again", tapnet);
            assertEcho(namespace, 10 << 20, "across the perfect link", tapnet);

            ctl(socket, "partition", "[[tap], [web]]");
            ctl(socket, "heal");
            assertCurl(namespace, "after a partition healed", tapnet);

            String counters = ctl(socket, "counters").stdout();
            long badChecksums = counterOrZero(counters, "drop.tcp_bad_checksum") + counterOrZero(counters, "drop.ipv4_bad_checksum");
            assertTrue(badChecksums <= Long.parseLong(corrupted.group(1)),
                    "only frames the link corrupted fail their checksums (partial ones are completed first):\n" + counters + links);
            assertFalse(counters.contains("drop.offload_malformed"), counters);
            int code = tapnet.signalAndWait("TERM");
            assertTrue(code == 0 || code == 143, tapnet.output());
        }
    }

    @Test
    void fiftyMegabytesBetweenTwoPortsStayByteExactWhileTheirLinkTurnsLossyAndBack(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        String left = TestNamespace.uniqueName();
        String right = TestNamespace.uniqueName();
        Path topology = dir.resolve("ports.yaml");
        Files.writeString(topology, """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web: { address: 10.77.0.10 }
                ports:
                  left: { netns: %s, address: 10.77.0.101 }
                  right: { netns: %s, address: 10.77.0.102 }
                """.formatted(left, right));
        Path socket = dir.resolve("control.sock");
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try (TestNamespace namespace = TestNamespace.create();
             TapnetProcess tapnet = TapnetProcess.start("run", "--netns", namespace.name(), "--control", socket.toString(),
                     topology.toString())) {
            tapnet.awaitLine("Stop with Ctrl-C", 30);
            byte[] data = new byte[50 << 20];
            new Random(50).nextBytes(data);
            byte[] expected = MessageDigest.getInstance("SHA-256").digest(data);

            NetworkNamespace server = NetworkNamespace.existing(right);
            NetworkNamespace client = NetworkNamespace.existing(left);
            ServerSocket listener = server.call(() -> {
                ServerSocket s = new ServerSocket();
                s.bind(new InetSocketAddress("10.77.0.102", 5001));
                return s;
            });
            try (listener) {
                Future<byte[]> received = threads.submit(() -> server.call(() -> digestOfWhatArrives(listener)));
                // Perfect (GSO frames cross whole), then lossy (wire frames), then perfect again. The sender
                // waits at each mark until the link has changed, its socket buffer still draining across it.
                Semaphore atMark = new Semaphore(0);
                Semaphore changed = new Semaphore(0);
                Future<?> sending = threads.submit(() -> client.call(
                        () -> send("10.77.0.102", 5001, data, List.of(10 << 20, 25 << 20), atMark, changed)));
                await(atMark, sending);
                ctl(socket, "link", "{between: [tap, right], loss: 1%, delay: 1ms}");
                changed.release();
                await(atMark, sending);
                ctl(socket, "link", "{between: [tap, right]}");
                changed.release();
                sending.get(120, TimeUnit.SECONDS);
                assertArrayEquals(expected, received.get(120, TimeUnit.SECONDS), "50 MB arrive byte-exact");
            }
            String links = ctl(socket, "links").stdout();
            assertTrue(Pattern.compile("# tap -> right: in \\d+ .* lost [1-9]").matcher(links).find(),
                    "the lossy phase lost wire frames: " + links);
            String counters = ctl(socket, "counters").stdout();
            long framesIn = counter(counters, "frames_in");
            long bytesIn = counter(counters, "bytes_in");
            assertTrue(bytesIn / framesIn > 3000, "the ports' kernels hand over GSO frames (bytes per frame read): " + counters);
            assertFalse(counters.contains("drop.tcp_bad_checksum") || counters.contains("drop.offload_malformed"), counters);
            int code = tapnet.signalAndWait("TERM");
            assertTrue(code == 0 || code == 143, tapnet.output());
        } finally {
            threads.shutdownNow();
            for (String name : List.of(left, right)) {
                if (NetworkNamespace.exists(name)) {
                    ExternalCommand.run(10, "ip", "netns", "del", name);
                }
            }
        }
    }

    private static void await(Semaphore mark, Future<?> sending) throws Exception {
        if (!mark.tryAcquire(60, TimeUnit.SECONDS)) {
            sending.get(1, TimeUnit.SECONDS); // says why the sender stopped, if it did
            throw new AssertionError("the sender did not reach its next mark in 60 s");
        }
    }

    /**
     * Sends {@code data} in 64 KB writes; at each of {@code marks} (bytes written) it releases
     * {@code atMark} and waits for {@code changed} before going on.
     */
    private static Void send(String address, int port, byte[] data, List<Integer> marks, Semaphore atMark,
                             Semaphore changed) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 5000);
            OutputStream out = s.getOutputStream();
            int next = 0;
            for (int at = 0; at < data.length; at += 65536) {
                if (next < marks.size() && at >= marks.get(next)) {
                    atMark.release();
                    if (!changed.tryAcquire(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the link was not changed at " + at + " bytes");
                    }
                    next++;
                }
                out.write(data, at, Math.min(65536, data.length - at));
            }
            s.shutdownOutput();
            s.getInputStream().read(); // until the server closes: everything arrived
        }
        return null;
    }

    private static byte[] digestOfWhatArrives(ServerSocket listener) throws Exception {
        listener.setSoTimeout(30_000);
        try (Socket s = listener.accept()) {
            s.setSoTimeout(60_000);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            InputStream in = s.getInputStream();
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return digest.digest();
        }
    }

    private static long counterOrZero(String counters, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\d+)$").matcher(counters);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static long counter(String counters, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\d+)$").matcher(counters);
        assertTrue(m.find(), name + " in " + counters);
        return Long.parseLong(m.group(1));
    }

    /** One curl with a 2 s limit: a connection must work at once, not after retries. */
    private static void assertCurl(TestNamespace namespace, String when, TapnetProcess tapnet) {
        ExternalCommand curl = namespace.exec(10, "curl", "-sS", "--max-time", "2", "http://" + WEB + "/");
        assertEquals(0, curl.exitCode(), when + ": " + curl.describe() + "\n" + tapnet.output());
        assertEquals("hello from tapnet\n", curl.output(), when);
    }

    /** {@code size} random bytes to web's echo service and back, byte-exact, within 60 s. */
    private static void assertEcho(TestNamespace namespace, int size, String when, TapnetProcess tapnet) throws Exception {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        byte[] back = EchoRoundTrip.through(namespace, WEB, 7, data, 2000, 60_000);
        assertArrayEquals(data, back, when + ": " + tapnet.output());
    }

    private static TapnetProcess ctl(Path socket, String... request) throws Exception {
        List<String> args = new ArrayList<>(List.of("ctl", "--socket", socket.toString()));
        args.addAll(List.of(request));
        TapnetProcess ctl = TapnetProcess.run(args.toArray(String[]::new));
        assertEquals(0, ctl.exitCode(), String.join(" ", args) + ":\n" + ctl.output());
        return ctl;
    }
}
