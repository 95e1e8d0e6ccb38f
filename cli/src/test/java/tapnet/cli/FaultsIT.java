package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tapnet.tap.TapTestEnvironment;

/** Topology faults as the kernel's own TCP client meets them through the TAP. */
@Timeout(120)
class FaultsIT {
    private static final String HOST = "10.77.0.10";
    private static RunningTopology run;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        run = RunningTopology.start(dir.resolve("faults.yaml"), """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  faulty:
                    address: 10.77.0.10
                    services:
                      - { port: 80, http: {} }
                      - { port: 81, http: {}, faults: [ { refuse: {} } ] }
                      - { port: 82, http: {}, faults: [ { unreachable: {} } ] }
                      - { port: 83, http: {}, faults: [ { synAckDelay: 400ms } ] }
                      - { port: 84, discard: {}, faults: [ { resetAfter: 1000 } ] }
                      - { port: 85, http: {}, faults: [ { synDrop: {}, first: 1 } ] }
                      - { port: 86, http: {}, faults: [ { synAckDrop: 1, first: 1 } ] }
                      - { port: 87, http: {}, faults: [ { synDrop: {} } ] }
                      - { port: 88, discard: {}, faults: [ { resetAfter: 1000 } ] }
                """);
    }

    @AfterAll
    static void stop() throws Exception {
        if (run != null) {
            run.close();
        }
    }

    /** Milliseconds a connect to {@code port} takes (it succeeds), from a socket inside the namespace. */
    private static long connectMillis(int port) throws Exception {
        return run.call(() -> {
            long started = System.nanoTime();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(HOST, port), 10_000);
            }
            return (System.nanoTime() - started) / 1_000_000;
        });
    }

    @Test
    void aHealthyPortConnectsAtOnce() throws Exception {
        assertTrue(connectMillis(80) < 300);
    }

    @Test
    void refuseGivesConnectionRefused() {
        ConnectException e = assertThrows(ConnectException.class, () -> connectMillis(81));
        assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
    }

    @Test
    void unreachableAlsoFailsTheConnectAtOnce() {
        long started = System.nanoTime();
        assertThrows(ConnectException.class, () -> connectMillis(82));
        assertTrue(System.nanoTime() - started < 1_000_000_000L, "an ICMP error ends the connect, not a timeout");
    }

    @Test
    void aDelayedSynAckMakesConnectTakeThatLong() throws Exception {
        long millis = connectMillis(83);
        assertTrue(millis >= 390 && millis < 1000, millis + " ms");
    }

    @Test
    void resetAfterBytesGivesTheClientAReset() throws Exception {
        SocketException e = assertThrows(SocketException.class, () -> run.call(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(HOST, 84), 5000);
                OutputStream out = socket.getOutputStream();
                for (int i = 0; i < 100; i++) {
                    out.write(new byte[1000]);
                    out.flush();
                    Thread.sleep(20);
                }
                return socket.getInputStream().read();
            }
        }));
        assertTrue(e.getMessage().contains("reset") || e.getMessage().contains("Broken pipe"), e.getMessage());
    }

    @Test
    void aDroppedFirstSynCostsTheClientItsRetransmissionTime() throws Exception {
        long millis = connectMillis(85);
        assertTrue(millis >= 900, "the kernel resends its SYN after about 1 s: " + millis + " ms");
        assertEquals(true, connectMillis(85) < 300, "only the first SYN was dropped");
    }

    @Test
    void aDroppedSynAckCostsTheClientASecond() throws Exception {
        long millis = connectMillis(86);
        assertTrue(millis >= 900 && millis < 3000, "a retransmission (the kernel's SYN or tapnet's SYN-ACK) after ~1 s: "
                + millis + " ms");
        assertTrue(connectMillis(86) < 300, "only the first connection's SYN-ACK was dropped");
    }

    @Test
    void aFilteredPortTimesOut() {
        long started = System.nanoTime();
        assertThrows(java.net.SocketTimeoutException.class, () -> run.call(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(HOST, 87), 2_000);
            }
            return null;
        }));
        assertTrue(System.nanoTime() - started >= 1_900_000_000L, "no answer at all: the connect runs into its timeout");
    }

    @Test
    void resetAfterExactlyNBytes() throws Exception {
        String outcome = run.call(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(HOST, 88), 5000);
                socket.setSoTimeout(700);
                OutputStream out = socket.getOutputStream();
                out.write(new byte[999]);
                out.flush();
                try {
                    socket.getInputStream().read();
                    return "closed after 999 bytes";
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // 999 bytes: the connection lives on
                }
                out.write(1);
                out.flush();
                try {
                    int read = socket.getInputStream().read();
                    return "after 1000 bytes: read " + read;
                } catch (SocketException e) {
                    return e.getMessage();
                }
            }
        });
        assertTrue(outcome.contains("Connection reset"), "999 bytes leave it open, the 1000th brings ECONNRESET: " + outcome);
    }
}
