package tapnet.tap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.engine.Engine;
import tapnet.engine.EngineRunner;
import tapnet.frame.FrameSlot;
import tapnet.observe.Counter;
import tapnet.observe.DropReason;
import tapnet.tcp.TcpConfig;
import tapnet.time.LiveClock;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;
import tapnet.wire.VxlanHeader;

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
                long framesBefore = tapnet.reader().framesRead();
                sendAndAwait(socket, tapnet, 5_000);
                long allocated = Allocations.allocatedBy(reader) - before;
                long frames = tapnet.reader().framesRead() - framesBefore;
                assertTrue(frames >= 5_000, frames + " frames read; " + tapnet.counters());
                assertTrue(allocated < 4_096, "reader allocated " + allocated + " bytes for " + frames + " frames");
                assertEquals(0, tapnet.reader().readErrors());
            }
        }
    }

    @Test
    void aQueueLeftFullAfterARoundOfReadsMakesTheReaderSayItIsBehindAndLaterThatItCaughtUp() throws Exception {
        try (TestNamespace ns = TestNamespace.create();
             TapDevice tap = ns.call(() -> TapDeviceTest.openConfigured("tapnet0", "10.241.24.1/24", 1500))) {
            int target = Ipv4Address.parse("10.241.24.2");
            ns.ip("neigh", "replace", "10.241.24.2", "lladdr", MacAddress.format(MacAddress.derivedFrom(target)), "dev", "tapnet0");
            java.util.List<Boolean> said = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.concurrent.atomic.AtomicLong frames = new java.util.concurrent.atomic.AtomicLong();
            FrameSlot slot = new FrameSlot(1514, true);
            tapnet.frame.FrameIntake intake = new tapnet.frame.FrameIntake() {
                @Override
                public FrameSlot claim() {
                    return slot;
                }

                @Override
                public boolean publish(int device, int offset, int length, long offload, long receivedNanos) {
                    frames.incrementAndGet();
                    return true;
                }

                @Override
                public void abandon() {
                }

                @Override
                public void behind(boolean value) {
                    said.add(value);
                }
            };
            try (DatagramSocket socket = ns.call(DatagramSocket::new)) {
                DatagramPacket datagram = new DatagramPacket(new byte[100], 100, new InetSocketAddress("10.241.24.2", 9));
                for (int i = 0; i < 300; i++) { // queued before the reader starts: more than one round of 64 reads
                    socket.send(datagram);
                }
                try (TapReader reader = new TapReader(tap, java.util.List.of(), intake, 0)) {
                    reader.start();
                    awaitTrue(() -> frames.get() >= 300, () -> frames.get() + " of 300 frames read");
                    awaitTrue(() -> said.size() >= 2, () -> "said " + said);
                    assertEquals(java.util.List.of(true, false), said.subList(0, 2), "behind, then caught up once drained a while");
                }
            }
        }
    }

    /** What a test intake was handed for one published slot. */
    private record Published(int device, int offset, int length, byte[] bytes) {
    }

    @Test
    void aDatagramOnTheUnderlayIsPublishedWholeAsTheDeviceOfTheRemoteThatSentIt() throws Exception {
        int port = VxlanHeader.DEFAULT_PORT;
        int absent = Ipv4Address.parse("127.0.0.3");
        try (TestNamespace ns = TestNamespace.create()) {
            ns.namespace().loopbackUp();
            try (TapDevice tap = ns.call(() -> TapDeviceTest.openConfigured("tapnet0", "10.241.25.1/24", 1500));
                 TapDevice realPort = ns.call(() -> TapDeviceTest.openConfigured("tapnet1", "10.241.26.1/24", 1500));
                 VxlanSocket underlay = VxlanSocket.open(ns.namespace(), Ipv4Address.parse("127.0.0.1"), port, 42,
                         new int[] {absent, Ipv4Address.parse("127.0.0.2")});
                 DatagramChannel remote = ns.call(() -> DatagramChannel.open().bind(new InetSocketAddress("127.0.0.2", 0)));
                 DatagramChannel stranger = ns.call(() -> DatagramChannel.open().bind(new InetSocketAddress("127.0.0.4", 0)))) {
                java.util.List<TapDevice> ports = java.util.List.of(realPort);
                FrameSlot slot = new FrameSlot(2048, true); // a datagram may fill it (a batch of them, in a run)
                java.util.List<Published> published = new java.util.concurrent.CopyOnWriteArrayList<>();
                tapnet.frame.FrameIntake intake = new tapnet.frame.FrameIntake() {
                    @Override
                    public FrameSlot claim() {
                        return slot;
                    }

                    @Override
                    public boolean publish(int device, int offset, int length, long offload, long receivedNanos) {
                        assertEquals(tapnet.frame.Offload.NONE, offload);
                        if (device > ports.size()) { // the TAP's and the port's own frames (IPv6 chatter) aside
                            byte[] bytes = new byte[length];
                            slot.buffer().get(offset, bytes);
                            published.add(new Published(device, offset, length, bytes));
                        }
                        return true;
                    }

                    @Override
                    public void abandon() {
                    }
                };
                try (TapReader reader = new TapReader(tap, ports, underlay, intake, 0)) {
                    reader.start();
                    InetSocketAddress to = new InetSocketAddress("127.0.0.1", port);
                    byte[] fromRemote = java.util.HexFormat.of().parseHex("0800000000002a00" + "ab".repeat(60));
                    remote.send(java.nio.ByteBuffer.wrap(fromRemote), to);
                    awaitTrue(() -> published.size() == 1, () -> "published " + published);
                    stranger.send(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), to); // not even VXLAN: the engine judges
                    awaitTrue(() -> published.size() == 2, () -> "published " + published);
                    remote.send(java.nio.ByteBuffer.allocate(slot.capacity() - TapReader.UNDERLAY_OFFSET), to); // fills the slot: may have been cut
                    awaitTrue(() -> published.size() == 3, () -> "published " + published);

                    // 0 the TAP, 1 the port, 2 and 3 the remotes, 4 any other sender
                    Published first = published.get(0);
                    assertEquals(3, first.device(), "remote 1, after the TAP, the port and remote 0");
                    assertEquals(TapReader.UNDERLAY_OFFSET, first.offset(), "where the VXLAN header starts");
                    assertEquals(fromRemote.length, first.length(), "the whole UDP payload");
                    assertArrayEquals(fromRemote, first.bytes());
                    Published second = published.get(1);
                    assertEquals(4, second.device(), "a sender that is no remote");
                    assertEquals(TapReader.UNDERLAY_OFFSET, second.offset());
                    assertArrayEquals(new byte[] {1, 2, 3}, second.bytes());
                    assertEquals(3, published.get(2).device());
                    assertEquals(0, published.get(2).length(), "a datagram that filled the slot is published empty, as malformed");
                    assertEquals(0, reader.readErrors());
                }
            }
        }
    }

    @Test
    void readerPublishesEveryDatagramOfTheUnderlayWithoutAllocating() throws Exception {
        Allocations.assumeMeasurable();
        try (TestNamespace ns = TestNamespace.create()) {
            ns.namespace().loopbackUp();
            try (TapDevice tap = ns.call(() -> TapDeviceTest.openConfigured("tapnet0", "10.241.30.1/24", 1500));
                 VxlanSocket underlay = VxlanSocket.open(ns.namespace(), Ipv4Address.parse("127.0.0.1"), VxlanHeader.DEFAULT_PORT,
                         42, new int[] {Ipv4Address.parse("127.0.0.2")});
                 DatagramChannel remote = ns.call(() -> DatagramChannel.open().bind(new InetSocketAddress("127.0.0.2", 0)))) {
                FrameSlot slot = new FrameSlot(TapEmulator.slotCapacity(tap, java.util.List.of(), underlay, 1514), true);
                java.util.concurrent.atomic.AtomicLong fromRemote = new java.util.concurrent.atomic.AtomicLong();
                tapnet.frame.FrameIntake intake = new tapnet.frame.FrameIntake() {
                    @Override
                    public FrameSlot claim() {
                        return slot;
                    }

                    @Override
                    public boolean publish(int device, int offset, int length, long offload, long receivedNanos) {
                        if (device == 1 && length == 100) {
                            fromRemote.setRelease(fromRemote.getPlain() + 1);
                        }
                        return true;
                    }

                    @Override
                    public void abandon() {
                    }
                };
                try (TapReader reader = new TapReader(tap, java.util.List.of(), underlay, intake, 0)) {
                    reader.start();
                    java.nio.ByteBuffer datagram = java.nio.ByteBuffer.allocate(100);
                    InetSocketAddress to = new InetSocketAddress("127.0.0.1", VxlanHeader.DEFAULT_PORT);
                    sendDatagramsAndAwait(remote, datagram, to, fromRemote, 2_000); // warm up
                    Thread thread = readerThread();
                    long before = Allocations.allocatedBy(thread);
                    sendDatagramsAndAwait(remote, datagram, to, fromRemote, 5_000);
                    long allocated = Allocations.allocatedBy(thread) - before;
                    assertTrue(allocated < 4_096, "reader allocated " + allocated + " bytes for 5000 datagrams");
                    assertEquals(0, reader.readErrors());
                }
            }
        }
    }

    @Test
    void aBatchOfDatagramsGoesInOneSlotWithTheSizeOfEach() throws Exception {
        try (TestNamespace ns = TestNamespace.create()) {
            ns.namespace().loopbackUp();
            int remote = Ipv4Address.parse("127.0.0.2");
            try (TapDevice tap = ns.call(() -> TapDeviceTest.openConfigured("tapnet0", "10.241.31.1/24", 1500));
                 VxlanSocket underlay = VxlanSocket.open(ns.namespace(), Ipv4Address.parse("127.0.0.1"), VxlanHeader.DEFAULT_PORT,
                         42, new int[] {remote});
                 SegmentedSender sender = ns.call(() -> new SegmentedSender(remote, 1000))) {
                org.junit.jupiter.api.Assumptions.assumeTrue(underlay.batches(), "UDP_GRO: Linux 5.0");
                FrameSlot slot = new FrameSlot(TapEmulator.slotCapacity(tap, java.util.List.of(), underlay, 1514), true);
                java.util.List<long[]> published = new java.util.concurrent.CopyOnWriteArrayList<>();
                tapnet.frame.FrameIntake intake = new tapnet.frame.FrameIntake() {
                    @Override
                    public FrameSlot claim() {
                        return slot;
                    }

                    @Override
                    public boolean publish(int device, int offset, int length, long offload, long receivedNanos) {
                        if (device == 1) { // the TAP's own frames (IPv6 chatter) aside
                            published.add(new long[] {offset, length, offload});
                        }
                        return true;
                    }

                    @Override
                    public void abandon() {
                    }
                };
                try (TapReader reader = new TapReader(tap, java.util.List.of(), underlay, intake, 0)) {
                    reader.start();
                    sender.send(java.nio.ByteBuffer.allocateDirect(2500), Ipv4Address.parse("127.0.0.1"), VxlanHeader.DEFAULT_PORT);
                    awaitTrue(() -> published.size() == 1, () -> "published " + published.size());
                    assertArrayEquals(new long[] {TapReader.UNDERLAY_OFFSET, 2500, tapnet.segment.VxlanRemotes.batchOf(1000)},
                            published.get(0), "three datagrams in one slot, back to back, 1000 bytes each but the last");
                    assertEquals(3, underlay.received(0), "three datagrams");
                    Thread.sleep(100);
                    assertEquals(1, published.size(), "in one read (the TAP's own reads, its IPv6 chatter, aside)");
                }
            }
        }
    }

    /** Sends {@code count} datagrams in bursts the socket's queue holds, waiting for each burst to be published. */
    private static void sendDatagramsAndAwait(DatagramChannel channel, java.nio.ByteBuffer datagram, InetSocketAddress to,
                                              java.util.concurrent.atomic.AtomicLong published, int count) throws Exception {
        long target = published.get() + count;
        for (int sent = 0; sent < count; sent += 100) {
            for (int i = 0; i < 100; i++) {
                channel.send(datagram.clear(), to);
            }
            long burst = target - count + sent + 100;
            awaitTrue(() -> published.get() >= burst, () -> published.get() + " of " + burst + " datagrams published");
        }
    }

    @Test
    void aFullRingDropsAndCountsFramesInsteadOfBlockingTheReader() throws Exception {
        try (TestNamespace ns = TestNamespace.create()) {
            // No IPv6 chatter (router solicitations, MLD): exactly the frames the test sends reach the TAP.
            ExternalCommand.check("ip", "netns", "exec", ns.name(), "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1",
                    "net.ipv6.conf.default.disable_ipv6=1");
            try (TapDevice tap = ns.call(() -> TapDeviceTest.openConfigured("tapnet0", "10.241.23.1/24", 1500))) {
                int target = Ipv4Address.parse("10.241.23.2");
                ns.ip("neigh", "replace", "10.241.23.2", "lladdr", MacAddress.format(MacAddress.derivedFrom(target)), "dev", "tapnet0");
                Engine engine = new Engine(TcpConfig.defaults(), new LiveClock(), new TapSink(tap, 1514), 1);
                EngineRunner runner = new EngineRunner(engine, 4, 1514, true); // 4 slots, engine not started yet
                try (DatagramSocket socket = ns.call(DatagramSocket::new); TapReader reader = new TapReader(tap, runner.publisher())) {
                    reader.start();
                    DatagramPacket datagram = new DatagramPacket(new byte[100], 100, new InetSocketAddress("10.241.23.2", 9));
                    for (int i = 0; i < 50; i++) {
                        socket.send(datagram);
                    }
                    awaitTrue(() -> reader.framesRead() == 50, () -> "reader read " + reader.framesRead() + " of 50 frames");
                    runner.start();
                    awaitTrue(() -> engine.counters().get(Counter.FRAMES_IN) == 4, () -> "engine took the 4 frames in the ring");
                    socket.send(datagram); // the next published slot carries the count of dropped frames
                    awaitTrue(() -> engine.counters().dropped(DropReason.INGRESS_RING_FULL) == 46 && engine.counters().get(Counter.FRAMES_IN) == 5,
                            () -> "4 frames fill the ring, 46 are dropped, the 51st gets through: " + engine.counters().snapshot());
                } finally {
                    runner.close();
                }
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
                tapnet.reader().close();
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertFalse(tapnet.reader().isRunning());
                assertTrue(millis < 500, "stopped after " + millis + " ms");
                assertNull(tapnet.reader().failure(), "an orderly stop is no failure");
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
            while (tapnet.reader().isRunning() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertFalse(tapnet.reader().isRunning(), "the reader ends when the device is gone");
            assertNotNull(tapnet.reader().failure());
            assertTrue(tapnet.reader().failure().getMessage().contains("removed"), tapnet.reader().failure().getMessage());
            assertEquals(1, tapnet.reader().readErrors());
        }
    }

    /** Sends {@code count} datagrams in bursts the TAP's queue holds and waits until the engine got them all. */
    private static void sendAndAwait(DatagramSocket socket, EmulatorInNamespace tapnet, int count) throws Exception {
        DatagramPacket datagram = new DatagramPacket(new byte[100], 100, new InetSocketAddress("10.241.20.2", 9));
        long target = tapnet.engine().counters().get(Counter.FRAMES_IN) + count;
        for (int sent = 0; sent < count; sent += 100) {
            for (int i = 0; i < 100; i++) {
                socket.send(datagram);
            }
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (tapnet.engine().counters().get(Counter.FRAMES_IN) < target - count + sent + 100 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
        }
        assertTrue(tapnet.engine().counters().get(Counter.FRAMES_IN) >= target, "engine got all frames; " + tapnet.counters());
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, java.util.function.Supplier<String> message)
            throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, message);
            Thread.sleep(5);
        }
    }

    private static Thread readerThread() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("tapnet-tap-reader-tapnet0"))
                .findFirst().orElseThrow();
    }
}
