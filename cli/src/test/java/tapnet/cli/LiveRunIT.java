package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.tap.EchoRoundTrip;
import tapnet.tap.ExternalCommand;
import tapnet.tap.TapTestEnvironment;

/**
 * {@code tapnet run} on the bundled default topology, inside a namespace of its own, reached by the
 * kernel's own clients: ping, a Java socket, curl. One tapnet process serves all the traffic tests.
 */
@Timeout(120)
class LiveRunIT {
    private static final String WEB = "10.77.0.10";
    private static RunningTopology run;

    @BeforeAll
    static void startTapnet() throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("ping");
        TapTestEnvironment.assumeCommand("curl");
        run = RunningTopology.startDefault("--seed", "77");
    }

    @AfterAll
    static void stopTapnet() throws Exception {
        if (run != null) {
            run.close();
        }
    }

    @Test
    void startupSaysWhatItMade() {
        String out = run.tapnet().stdout();
        assertTrue(out.contains("tapnet0"), out);
        assertTrue(out.contains("10.77.0.1/24"), out);
        assertTrue(out.contains("seed 77"), "--seed replaces the file's seed, and the run says which: " + out);
        assertTrue(out.contains("web") && out.contains(WEB) && out.contains("80 http") && out.contains("7 echo"), out);
    }

    @Test
    void pingOfAVirtualHostGetsReplies() {
        ExternalCommand ping = run.exec(15, "ping", "-c", "3", "-i", "0.2", "-W", "2", WEB);
        assertEquals(0, ping.exitCode(), ping.describe());
        assertTrue(ping.output().contains("3 received"), ping.describe());
    }

    @Test
    void tenMegabytesSentToEchoComeBackIdentical() throws Exception {
        byte[] data = new byte[10 << 20];
        new Random(10).nextBytes(data);
        byte[] back = EchoRoundTrip.through(run.namespace(), WEB, 7, data, 5000, 20_000);
        assertArrayEquals(data, back);
    }

    @Test
    void curlGetsTheBodyTwiceOnOneKeptAliveConnection() {
        ExternalCommand curl = run.exec(20, "curl", "-sS", "-v", "--max-time", "10",
                "http://" + WEB + "/", "http://" + WEB + "/again");
        assertEquals(0, curl.exitCode(), curl.describe());
        assertEquals("hello from tapnet\nhello from tapnet\n", curl.output());
        assertTrue(curl.errors().contains("Re-using existing connection"), curl.describe());
    }

    @Test
    void connectingToAClosedPortIsRefusedAtOnce() throws Exception {
        long started = System.nanoTime();
        ConnectException refused = assertThrows(ConnectException.class, () -> run.call(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(WEB, 81), 5000);
            }
            return null;
        }));
        assertTrue(refused.getMessage().contains("Connection refused"), refused.getMessage());
        assertTrue(System.nanoTime() - started < 1_000_000_000L, "refused within a second, not a timeout");
    }

    @Test
    void fiveHundredConnectionsOpenedAtOnceAllCompleteAndClose() throws Exception {
        int count = 500;
        int established = run.call(() -> {
            List<SocketChannel> channels = new ArrayList<>();
            try (Selector selector = Selector.open()) {
                for (int i = 0; i < count; i++) {
                    SocketChannel channel = SocketChannel.open();
                    channel.configureBlocking(false);
                    channel.connect(new InetSocketAddress(WEB, 7));
                    channel.register(selector, SelectionKey.OP_CONNECT);
                    channels.add(channel);
                }
                int connected = 0;
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (connected < count && System.nanoTime() < deadline) {
                    selector.select(1000);
                    for (SelectionKey key : selector.selectedKeys()) {
                        if (((SocketChannel) key.channel()).finishConnect()) {
                            connected++;
                            key.cancel();
                        }
                    }
                    selector.selectedKeys().clear();
                }
                return connected;
            } finally {
                for (SocketChannel channel : channels) {
                    channel.close();
                }
            }
        });
        assertEquals(count, established);
        // Every close completed: the kernel's side sits in TIME-WAIT (it closed first), none is stuck half-way.
        long deadline = System.currentTimeMillis() + 10_000;
        String states;
        do {
            states = run.exec(5, "ss", "-Htan", "dst", WEB + ":7").output();
        } while (!(allTimeWait(states, count)) && System.currentTimeMillis() < deadline && sleep());
        assertTrue(allTimeWait(states, count), states);
    }

    private static boolean allTimeWait(String ssOutput, int count) {
        long timeWait = ssOutput.lines().filter(l -> l.startsWith("TIME-WAIT")).count();
        long other = ssOutput.lines().filter(l -> !l.isBlank() && !l.startsWith("TIME-WAIT")).count();
        return timeWait >= count && other == 0;
    }

    private static boolean sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    @Test
    void startupDoesNotTouchTheRootNamespace() {
        ExternalCommand links = ExternalCommand.run("ip", "-br", "link");
        assertFalse(links.output().contains("tapnet0"), links.describe());
    }
}
