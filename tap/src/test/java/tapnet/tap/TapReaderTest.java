package tapnet.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.observe.Counter;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

@Timeout(60)
class TapReaderTest {
    @BeforeEach
    void needsRoot() {
        TapTestEnvironment.assumeTapTestsCanRun();
    }

    @Test
    void readerPublishesEveryFrameTheKernelSendsWithoutAllocating() throws Exception {
        Allocations.assumeMeasurable();
        try (TestNamespace ns = TestNamespace.create(); EmulatorInNamespace tapnet = EmulatorInNamespace.start(ns, "10.241.20.1/24", engine -> { })) {
            // A static neighbour: the kernel sends the datagrams straight out, no ARP first.
            int target = Ipv4Address.parse("10.241.20.2");
            ns.ip("neigh", "replace", "10.241.20.2", "lladdr", MacAddress.format(MacAddress.derivedFrom(target)), "dev", "tapnet0");
            try (DatagramSocket socket = ns.call(DatagramSocket::new)) {
                Thread reader = readerThread();
                sendAndAwait(socket, tapnet, 2_000); // warm up: classes loaded, code compiled
                long before = Allocations.allocatedBy(reader);
                long framesBefore = tapnet.reader.framesRead();
                sendAndAwait(socket, tapnet, 5_000);
                long allocated = Allocations.allocatedBy(reader) - before;
                long frames = tapnet.reader.framesRead() - framesBefore;
                assertTrue(frames >= 5_000, frames + " frames read; " + tapnet.counters());
                assertTrue(allocated < 4_096, "reader allocated " + allocated + " bytes for " + frames + " frames");
                assertEquals(0, tapnet.reader.readErrors());
            }
        }
    }

    @Test
    void closeStopsAnIdleReaderPromptly() throws Exception {
        try (TestNamespace ns = TestNamespace.create()) {
            EmulatorInNamespace tapnet = EmulatorInNamespace.start(ns, "10.241.21.1/24", engine -> { });
            try {
                Thread.sleep(200); // asleep in poll
                long start = System.nanoTime();
                tapnet.reader.close();
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertFalse(tapnet.reader.isRunning());
                assertTrue(millis < 500, "stopped after " + millis + " ms");
                assertNull(tapnet.reader.failure(), "an orderly stop is no failure");
            } finally {
                tapnet.close();
            }
        }
    }

    @Test
    void readerStopsAndSaysWhyWhenItsDeviceIsDeleted() throws Exception {
        try (TestNamespace ns = TestNamespace.create(); EmulatorInNamespace tapnet = EmulatorInNamespace.start(ns, "10.241.22.1/24", engine -> { })) {
            ns.ip("link", "del", "dev", "tapnet0");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (tapnet.reader.isRunning() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertFalse(tapnet.reader.isRunning(), "the reader ends when the device is gone");
            assertNotNull(tapnet.reader.failure());
            assertTrue(tapnet.reader.failure().getMessage().contains("removed"), tapnet.reader.failure().getMessage());
            assertEquals(1, tapnet.reader.readErrors());
        }
    }

    /** Sends {@code count} datagrams in bursts the TAP's queue holds and waits until the engine got them all. */
    private static void sendAndAwait(DatagramSocket socket, EmulatorInNamespace tapnet, int count) throws Exception {
        DatagramPacket datagram = new DatagramPacket(new byte[100], 100, new InetSocketAddress("10.241.20.2", 9));
        long target = tapnet.engine.counters().get(Counter.FRAMES_IN) + count;
        for (int sent = 0; sent < count; sent += 100) {
            for (int i = 0; i < 100; i++) {
                socket.send(datagram);
            }
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (tapnet.engine.counters().get(Counter.FRAMES_IN) < target - count + sent + 100 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
        }
        assertTrue(tapnet.engine.counters().get(Counter.FRAMES_IN) >= target, "engine got all frames; " + tapnet.counters());
    }

    private static Thread readerThread() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("tapnet-tap-reader-tapnet0"))
                .findFirst().orElseThrow();
    }
}
