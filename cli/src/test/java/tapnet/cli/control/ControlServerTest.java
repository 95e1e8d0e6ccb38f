package tapnet.cli.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tapnet.cli.command.Main;

/**
 * The control socket's life (bind, stale and live files, removal), its bounds (clients at once, timeouts,
 * request length) and tapnet ctl's exit codes against it.
 */
@Timeout(30)
class ControlServerTest {
    /** Short timeouts, so that tests of them take a moment. */
    private static final ControlServer.Limits QUICK = new ControlServer.Limits(16, 64 * 1024, Duration.ofMillis(300));
    /** A timeout no test waits for. */
    private static final ControlServer.Limits PATIENT = new ControlServer.Limits(16, 64 * 1024, Duration.ofSeconds(60));

    @Test
    void aRequestGetsItsReplyAndClosingRemovesTheSocket(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("sub/dir/c.sock");
        try (ControlServer server = ControlServer.bind(path)) {
            server.serve(line -> ControlReply.ok(List.of("got " + line)));
            assertEquals(ControlReply.ok(List.of("got down web")),
                    ControlClient.send(path, new ControlRequest("down", "web")));
            assertEquals(ControlReply.ok(List.of("got link {between: [tap, web]}\\nx")),
                    ControlClient.send(path, new ControlRequest("link", "{between: [tap, web]}\nx")));
        }
        assertFalse(Files.exists(path));
    }

    @Test
    void aStaleSocketIsReplaced(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("c.sock");
        ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        dead.bind(UnixDomainSocketAddress.of(path));
        dead.close(); // the file stays, as after a kill -9
        assertTrue(Files.exists(path));
        assertThrows(ControlClient.NotListeningException.class, () -> ControlClient.send(path, new ControlRequest("links", null)));
        try (ControlServer server = ControlServer.bind(path)) {
            server.serve(line -> ControlReply.ok(List.of()));
            assertTrue(ControlClient.send(path, new ControlRequest("links", null)).ok());
        }
    }

    @Test
    void aLiveTapnetIsNotDisturbed(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("c.sock");
        try (ControlServer first = ControlServer.bind(path)) {
            first.serve(line -> ControlReply.ok(List.of("first")));
            ControlSocket.InUseException e = assertThrows(ControlSocket.InUseException.class, () -> ControlServer.bind(path));
            assertTrue(e.getMessage().startsWith("another tapnet is listening at " + path), e.getMessage());
            assertEquals(List.of("first"), ControlClient.send(path, new ControlRequest("links", null)).lines());
        }
    }

    @Test
    void aFileThatIsNotASocketIsLeftAlone(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("c.sock");
        Files.writeString(path, "mine");
        assertThrows(java.io.IOException.class, () -> ControlServer.bind(path));
        assertEquals("mine", Files.readString(path));
    }

    @Test
    void ctlExitsZeroOnSuccessOneOnAnErrorOrNothingListeningTwoOnBadUsage(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("c.sock");
        try (ControlServer server = ControlServer.bind(path)) {
            server.serve(line -> line.equals("links") ? ControlReply.ok(List.of("- {between: [tap, web]}"))
                    : ControlReply.error("no such node"));
            Output ok = Output.of(() -> Main.execute("ctl", "--socket", path.toString(), "links"));
            assertEquals(0, ok.code);
            assertEquals("- {between: [tap, web]}\n", ok.out);
            Output error = Output.of(() -> Main.execute("ctl", "--socket", path.toString(), "down", "mail"));
            assertEquals(1, error.code);
            assertEquals("no such node\n", error.err);
            assertEquals(2, Output.of(() -> Main.execute("ctl", "--socket", path.toString(), "lnks")).code);
            assertEquals(2, Output.of(() -> Main.execute("ctl", "--socket", path.toString())).code);
            assertEquals(2, Output.of(() -> Main.execute("ctl", "--socket", path.toString(), "--netns", "x", "links")).code);
        }
        Output none = Output.of(() -> Main.execute("ctl", "--socket", path.toString(), "links"));
        assertEquals(1, none.code);
        assertTrue(none.err.startsWith("tapnet ctl: no tapnet is listening at " + path), none.err);
    }

    @Test
    void onlyItsOwnerMayConnect(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("c.sock");
        try (ControlServer server = ControlServer.bind(path)) {
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(path));
        }
    }

    @Test
    void twoThousandHalfRequestsLeaveTheThreadsBoundedAndAreEachClosedWithinTheTimeout(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("c.sock");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<SocketChannel> clients = new ArrayList<>();
        try (ControlServer server = ControlServer.bind(path, QUICK)) {
            server.serve(line -> ControlReply.ok(List.of("got " + line)));
            int before = threads.getThreadCount();
            threads.resetPeakThreadCount();
            long start = System.nanoTime();
            for (int i = 0; i < 2000; i++) {
                SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path));
                client.write(ByteBuffer.wrap("down we".getBytes(StandardCharsets.UTF_8))); // and no line break
                clients.add(client);
            }
            long connected = System.nanoTime();
            assertTrue(threads.getPeakThreadCount() <= before + 8, // the server's own two are in before; slack for the JVM's
                    "threads: " + before + " before, " + threads.getPeakThreadCount() + " at most while 2,000 clients stalled");

            int closed = awaitAllClosed(clients, Duration.ofSeconds(3));
            long last = System.nanoTime();
            assertEquals(2000, closed, "clients closed by tapnet within 3 s");
            assertTrue(last - connected < QUICK.timeout().toNanos() + Duration.ofSeconds(1).toNanos(),
                    "the last was closed " + (last - connected) / 1_000_000 + " ms after the last connected (timeout "
                            + QUICK.timeout().toMillis() + " ms; connecting took " + (connected - start) / 1_000_000 + " ms)");
            Map<String, Long> counters = server.counters();
            assertEquals(2000L, counters.getOrDefault("control.evicted", 0L) + counters.getOrDefault("control.timed_out", 0L), counters.toString());
            assertEquals(16L, counters.get("control.timed_out"), counters.toString());

            assertEquals(List.of("got links"), ControlClient.send(path, new ControlRequest("links", null)).lines(),
                    "answered after the storm");
        } finally {
            for (SocketChannel client : clients) {
                client.close();
            }
        }
    }

    @Test
    void aClientThatSendsItsLineIsAnsweredAtOnceWhileStalledClientsTakeEveryPlace(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("c.sock");
        try (ControlServer server = ControlServer.bind(path, PATIENT)) {
            server.serve(line -> ControlReply.ok(List.of("got " + line)));
            List<SocketChannel> stalled = new ArrayList<>();
            for (int i = 0; i < PATIENT.clients(); i++) {
                SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path));
                client.write(ByteBuffer.wrap("lin".getBytes(StandardCharsets.UTF_8)));
                stalled.add(client);
            }
            long start = System.nanoTime();
            assertEquals(List.of("got links"), ControlClient.send(path, new ControlRequest("links", null)).lines());
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMillis < 1000, "answered in " + tookMillis + " ms");

            // the oldest stalled client made room, and was told why
            assertEquals("error\nclosed before a request line came, to make room for a newer client (16 at most at once)\n",
                    readToEnd(stalled.get(0)));
            assertEquals(Map.of("control.requests", 1L, "control.evicted", 1L), server.counters());
            for (SocketChannel client : stalled) {
                client.close();
            }
        }
    }

    @Test
    void aClientThatTakesNoReplyDoesNotHoldUpOthers(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("c.sock");
        try (ControlServer server = ControlServer.bind(path, PATIENT)) {
            server.serve(ControlServerTest::bigForBig);
            try (SocketChannel slow = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                slow.write(ByteBuffer.wrap("big\n".getBytes(StandardCharsets.UTF_8)));
                Thread.sleep(50); // its reply is being written, and waits
                long start = System.nanoTime();
                assertEquals(List.of("got links"), ControlClient.send(path, new ControlRequest("links", null)).lines());
                long tookMillis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(tookMillis < 1000, "answered in " + tookMillis + " ms, behind a client that reads nothing");
            }
        }
    }

    @Test
    void aClientThatTakesNoReplyIsClosedAfterTheTimeout(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("c.sock");
        try (ControlServer server = ControlServer.bind(path, QUICK)) {
            server.serve(ControlServerTest::bigForBig);
            try (SocketChannel slow = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                slow.write(ByteBuffer.wrap("big\n".getBytes(StandardCharsets.UTF_8)));
                Thread.sleep(QUICK.timeout().toMillis() + 200);
                String received = readToEnd(slow); // what the socket held when it was cut off, then the end
                assertTrue(received.startsWith("ok\n") && received.length() < 8000 * 1001, received.length() + " characters");
                assertEquals(Map.of("control.requests", 1L, "control.timed_out", 1L), server.counters());
            }
        }
    }

    /** 8 MB for "big": more than a Unix socket's buffers hold, so the server waits for the client to read. */
    private static ControlReply bigForBig(String line) {
        return ControlReply.ok(line.equals("big") ? Collections.nCopies(8000, "x".repeat(1000)) : List.of("got " + line));
    }

    @Test
    void aClientThatSendsHalfALineIsToldAndClosedAfterTheTimeout(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("c.sock");
        try (ControlServer server = ControlServer.bind(path, QUICK)) {
            server.serve(line -> ControlReply.ok(List.of("got " + line)));
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                client.write(ByteBuffer.wrap("down w".getBytes(StandardCharsets.UTF_8)));
                long start = System.nanoTime();
                assertEquals("error\nno request line within 300ms; a request is one line\n", readToEnd(client));
                long tookMillis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(tookMillis >= 250 && tookMillis < 1000, "closed after " + tookMillis + " ms");
            }
            assertEquals(Map.of("control.timed_out", 1L), server.counters());
        }
    }

    @Test
    void aLineLongerThanTheLimitIsRefusedWithOneErrorLine(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("c.sock");
        try (ControlServer server = ControlServer.bind(path, QUICK)) {
            server.serve(line -> ControlReply.ok(List.of("got " + line.length() + " characters")));
            String spec = "{between: [tap, web], delay: 5ms, name: '" + "a".repeat(1 << 20) + "'}"; // a megabyte
            Output tooLong = Output.of(() -> Main.execute("ctl", "--socket", path.toString(), "link", spec));
            assertEquals(1, tooLong.code, tooLong.err);
            assertEquals("the request is longer than 65536 bytes; expected one line\n", tooLong.err);
            assertEquals(Map.of("control.too_long", 1L), server.counters());

            String longest = "link " + "a".repeat(64 * 1024 - 5); // exactly the limit: taken
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                client.write(ByteBuffer.wrap((longest + "\n").getBytes(StandardCharsets.UTF_8)));
                assertEquals("ok\ngot 65536 characters\n", readToEnd(client));
            }
        }
    }

    @Test
    void whenEveryPlaceHoldsARequestANewClientIsAnsweredBusyAtOnce(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("c.sock");
        CountDownLatch release = new CountDownLatch(1);
        ControlServer.Limits two = new ControlServer.Limits(2, 64 * 1024, Duration.ofSeconds(60));
        try (ControlServer server = ControlServer.bind(path, two)) {
            server.serve(line -> {
                try {
                    release.await(); // an engine that does not answer
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return ControlReply.ok(List.of("got " + line));
            });
            List<SocketChannel> waiting = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path));
                client.write(ByteBuffer.wrap("links\n".getBytes(StandardCharsets.UTF_8)));
                waiting.add(client);
            }
            Thread.sleep(100); // both read and handed over
            long start = System.nanoTime();
            ControlReply busy = ControlClient.send(path, new ControlRequest("counters", null));
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(ControlReply.error("tapnet is busy: 2 control requests are in progress; try again"), busy);
            assertTrue(tookMillis < 1000, "answered in " + tookMillis + " ms");
            release.countDown();
            for (SocketChannel client : waiting) {
                assertEquals("ok\ngot links\n", readToEnd(client));
                client.close();
            }
            assertEquals(Map.of("control.requests", 2L, "control.busy", 1L), server.counters());
        }
    }

    @Test
    void closingEndsTheServersThreadsAndItsClients(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("c.sock");
        awaitNoControlThreads(); // the handler thread of an earlier test's server may still be finishing
        SocketChannel stalled;
        try (ControlServer server = ControlServer.bind(path, PATIENT)) {
            server.serve(line -> ControlReply.ok(List.of()));
            stalled = SocketChannel.open(UnixDomainSocketAddress.of(path));
            assertEquals(2, controlThreads());
        }
        assertEquals("", readToEnd(stalled));
        stalled.close();
        awaitNoControlThreads();
        assertEquals(0, controlThreads());
    }

    private static void awaitNoControlThreads() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (controlThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private static long controlThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("tapnet-control")).count();
    }

    /** Waits until tapnet has closed each client (its read ends), at most {@code within}; how many it closed. */
    private static int awaitAllClosed(List<SocketChannel> clients, Duration within) throws Exception {
        try (Selector selector = Selector.open()) {
            for (SocketChannel client : clients) {
                client.configureBlocking(false);
                client.register(selector, SelectionKey.OP_READ);
            }
            ByteBuffer sink = ByteBuffer.allocate(4096);
            int closed = 0;
            long deadline = System.nanoTime() + within.toNanos();
            while (closed < clients.size() && System.nanoTime() < deadline) {
                selector.select(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel client = (SocketChannel) key.channel();
                    int n;
                    try {
                        n = client.read(sink.clear());
                    } catch (java.io.IOException reset) {
                        n = -1;
                    }
                    if (n < 0) {
                        key.cancel();
                        closed++;
                    }
                }
                selector.selectedKeys().clear();
            }
            return closed;
        }
    }

    /** Everything the server sends until it closes (blocking). */
    private static String readToEnd(SocketChannel client) throws Exception {
        client.configureBlocking(true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        try {
            while (client.read(buffer.clear()) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
            }
        } catch (java.io.IOException reset) {
            // closed with our request unread: what came before is the answer
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What a command printed, and its exit code. */
    private record Output(int code, String out, String err) {
        static Output of(java.util.function.IntSupplier command) {
            PrintStream out = System.out;
            PrintStream err = System.err;
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            try {
                int code = command.getAsInt();
                return new Output(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
            } finally {
                System.setOut(out);
                System.setErr(err);
            }
        }
    }
}
