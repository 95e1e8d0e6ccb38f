package tapnet.tap;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.engine.Engine;
import tapnet.node.VirtualHost;
import tapnet.service.EchoService;
import tapnet.service.HttpService;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole path with the real kernel as the client: programs in a namespace talk to a virtual host
 * (echo on 7, http on 80) that the engine plays behind a TAP.
 */
@Timeout(90)
class EngineBehindTapTest {
    private static final String BODY = "hello from tapnet\n";

    @BeforeEach
    void needsRoot() {
        TapTestEnvironment.assumeTapTestsCanRun();
    }

    @Test
    void pingGetsThreeReplies() throws Exception {
        TapTestEnvironment.assumeCommand("ping");
        try (TestNamespace ns = TestNamespace.create(); EmulatorInNamespace tapnet = startWithWebHost(ns, 10)) {
            ExternalCommand ping = ns.exec(15, "ping", "-c", "3", "-W", "1", "10.241.10.2");
            assertEquals(0, ping.exitCode(), ping.describe() + "\n" + tapnet.counters());
            assertTrue(ping.output().contains("3 packets transmitted, 3 received"), ping.output());
        }
    }

    @Test
    void echoReturnsTenMegabytesUnchanged() throws Exception {
        byte[] sent = new byte[10 * 1024 * 1024];
        new SplittableRandom(7).nextBytes(sent);
        byte[] received = new byte[sent.length];
        try (TestNamespace ns = TestNamespace.create(); EmulatorInNamespace tapnet = startWithWebHost(ns, 11)) {
            try (Socket socket = ns.call(() -> connect("10.241.11.2", 7))) {
                socket.setSoTimeout(20_000);
                CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> writeAll(socket, sent));
                int total = readFully(socket.getInputStream(), received);
                writing.get(30, TimeUnit.SECONDS);
                assertEquals(sent.length, total, "bytes echoed; " + tapnet.counters());
                int mismatch = Arrays.mismatch(sent, received);
                assertEquals(-1, mismatch, "first differing byte at " + mismatch + "; " + tapnet.counters());
            }
        }
    }

    @Test
    void connectingToAClosedPortIsRefusedAtOnce() throws Exception {
        try (TestNamespace ns = TestNamespace.create(); EmulatorInNamespace tapnet = startWithWebHost(ns, 12)) {
            long start = System.nanoTime();
            ConnectException refused = assertThrows(ConnectException.class, () -> ns.call(() -> connect("10.241.12.2", 9)));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(refused.getMessage().contains("Connection refused"), refused.getMessage());
            assertTrue(millis < 1_000, "refused after " + millis + " ms; " + tapnet.counters());
        }
    }

    @Test
    void curlGetsTheHttpBody() throws Exception {
        TapTestEnvironment.assumeCommand("curl");
        try (TestNamespace ns = TestNamespace.create(); EmulatorInNamespace tapnet = startWithWebHost(ns, 13)) {
            ExternalCommand curl = ns.exec(15, "curl", "-s", "--max-time", "5", "http://10.241.13.2/");
            assertEquals(0, curl.exitCode(), curl.describe() + "\n" + tapnet.counters());
            assertEquals(BODY, curl.output());
        }
    }

    @Test
    void closingLeavesNoDeviceAndDeletingNoNamespace() throws Exception {
        Set<String> rootLinksBefore = rootLinks();
        TestNamespace ns = TestNamespace.create();
        try {
            EmulatorInNamespace tapnet = startWithWebHost(ns, 14);
            assertEquals(0, ExternalCommand.run("ip", "-n", ns.name(), "link", "show", "dev", "tapnet0").exitCode());
            tapnet.close();
            assertFalse(tapnet.reader().isRunning(), "reader stopped");
            assertNotEquals(0, ExternalCommand.run("ip", "-n", ns.name(), "link", "show", "dev", "tapnet0").exitCode(),
                    "the TAP is gone");
        } finally {
            ns.close();
        }
        assertFalse(ExternalCommand.check("ip", "netns", "list").contains(ns.name()));
        assertEquals(rootLinksBefore, rootLinks(), "no device left in the machine's namespace");
    }

    private static EmulatorInNamespace startWithWebHost(TestNamespace ns, int subnet) throws Exception {
        return EmulatorInNamespace.start(ns, "10.241." + subnet + ".1/24", engine -> addWebHost(engine, "10.241." + subnet + ".2"));
    }

    private static void addWebHost(Engine engine, String address) {
        int ip = Ipv4Address.parse(address);
        VirtualHost web = engine.addHost("web", ip, MacAddress.derivedFrom(ip));
        engine.listen(web, 7, new EchoService());
        engine.listen(web, 80, new HttpService(200, BODY, "text/plain"));
    }

    /** Connects from the calling thread, which must be in the namespace: that is where the socket lives. */
    private static Socket connect(String address, int port) throws Exception {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(address, port), 5_000);
            return socket;
        } catch (Exception e) {
            socket.close();
            throw e;
        }
    }

    private static void writeAll(Socket socket, byte[] data) {
        try {
            OutputStream out = socket.getOutputStream();
            for (int offset = 0; offset < data.length; offset += 64 * 1024) {
                out.write(data, offset, Math.min(64 * 1024, data.length - offset));
            }
            socket.shutdownOutput();
        } catch (Exception e) {
            throw new IllegalStateException("writing to echo failed", e);
        }
    }

    private static int readFully(InputStream in, byte[] into) throws Exception {
        int total = 0;
        while (total < into.length) {
            int n = in.read(into, total, into.length - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private static Set<String> rootLinks() {
        return ExternalCommand.check("ip", "-br", "link").lines().map(l -> l.split("\\s+")[0]).collect(Collectors.toSet());
    }
}
