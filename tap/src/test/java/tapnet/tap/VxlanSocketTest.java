package tapnet.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.wire.EthernetFrame;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;
import tapnet.wire.VxlanHeader;

/**
 * {@link VxlanSocket}s on a test namespace's loopback, each end bound to its own 127.0.0.x at the VXLAN port:
 * frames go whole both ways behind a header of the VNI, the sender is told by its address, and nothing is
 * allocated per datagram.
 */
@Timeout(60)
class VxlanSocketTest {
    private static final int VNI = 42;
    private static final int ROOM = 2048;
    private static final int FRAME = 60;
    private static final int PORT = VxlanHeader.DEFAULT_PORT;
    private static final int A = Ipv4Address.parse("127.0.0.1");
    private static final int B = Ipv4Address.parse("127.0.0.2");
    /** An address no socket is bound to. */
    private static final int ABSENT = Ipv4Address.parse("127.0.0.3");

    private final ByteBuffer frame = ByteBuffer.allocateDirect(ROOM);
    private final ByteBuffer received = ByteBuffer.allocateDirect(ROOM);

    @BeforeEach
    void needsRoot() {
        TapTestEnvironment.assumeTapTestsCanRun();
        new EthernetFrame().wrap(frame, 0, FRAME)
                .setDestination(MacAddress.BROADCAST).setSource(0x02_00_00_00_00_01L).setEtherType(EthernetFrame.TYPE_ARP);
        for (int i = EthernetFrame.HEADER_LENGTH; i < FRAME; i++) {
            frame.put(i, (byte) i);
        }
    }

    @Test
    void aFrameSentArrivesWholeBehindAVxlanHeaderOfItsVniFromItsRemote() throws Exception {
        try (TestNamespace ns = loopback();
             VxlanSocket a = VxlanSocket.open(ns.namespace(), A, PORT, VNI, new int[] {B});
             VxlanSocket b = VxlanSocket.open(ns.namespace(), B, PORT, VNI, new int[] {ABSENT, A})) {
            assertTrue(a.send(frame, 0, FRAME, 0));

            int length = receive(b);

            assertEquals(VxlanHeader.LENGTH + FRAME, length, "the whole UDP payload, header first");
            VxlanHeader header = new VxlanHeader().wrap(received, 0, length);
            assertTrue(header.isValid());
            assertEquals(VxlanHeader.FLAG_I, header.flags());
            assertEquals(VNI, header.vni());
            for (int i = 0; i < FRAME; i++) {
                assertEquals(frame.get(i), received.get(VxlanHeader.LENGTH + i), "byte " + i);
            }
            assertEquals(1, b.sender(), "remote 1 is " + Ipv4Address.format(A));
            assertEquals(1, a.sent(0));
            assertEquals(1, b.received(1));
            assertEquals(0, b.receivedFromUnknown());
        }
    }

    @Test
    void itsBuffersAreAsLargeAsAskedWithinTheKernelsCap() throws Exception {
        try (TestNamespace ns = loopback();
             VxlanSocket a = VxlanSocket.open(ns.namespace(), A, PORT, VNI, new int[] {B})) {
            // The kernel grants twice what is asked, up to twice its cap; the default is far smaller.
            assertEquals(2 * Math.min(VxlanSocket.BUFFER_BYTES, sysctl("rmem_max")), a.receiveBufferBytes());
            assertEquals(2 * Math.min(VxlanSocket.BUFFER_BYTES, sysctl("wmem_max")), a.sendBufferBytes());
        }
    }

    /** A line read, not Files.readString: a /proc/sys file tells a size it does not have, and that reads one byte. */
    private static int sysctl(String name) throws IOException {
        return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/core", name)).get(0).strip());
    }

    @Test
    void aDatagramFromAnAddressThatIsNoRemoteIsReportedAsFromAnUnknownSender() throws Exception {
        try (TestNamespace ns = loopback();
             VxlanSocket a = VxlanSocket.open(ns.namespace(), A, PORT, VNI, new int[] {B});
             VxlanSocket b = VxlanSocket.open(ns.namespace(), B, PORT, VNI, new int[] {ABSENT})) {
            assertTrue(a.send(frame, 0, FRAME, 0));

            assertEquals(VxlanHeader.LENGTH + FRAME, receive(b), "reported whole: dropping it is the engine's job");
            assertEquals(VxlanSocket.UNKNOWN_SENDER, b.sender());
            assertEquals(1, b.receivedFromUnknown());
            assertEquals(0, b.received(0));
        }
    }

    @Test
    void aDatagramLongerThanTheRoomFillsItToTheLastByte() throws Exception {
        try (TestNamespace ns = loopback();
             VxlanSocket a = VxlanSocket.open(ns.namespace(), A, PORT, VNI, new int[] {B});
             VxlanSocket b = VxlanSocket.open(ns.namespace(), B, PORT, VNI, new int[] {A})) {
            assertTrue(a.send(frame, 0, FRAME, 0));
            long deadline = System.nanoTime() + 5_000_000_000L;
            int length;
            while ((length = b.receive(received, 100, 50)) == VxlanSocket.WOULD_BLOCK && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(50, length, "cut to the room: the caller takes a full room as too long");
            assertEquals(VNI, new VxlanHeader().wrap(received, 100, 50).vni(), "read at the offset given");
        }
    }

    @Test
    void datagramsSentAsOneAreReadAtOnceWithTheSizeOfEach() throws Exception {
        try (TestNamespace ns = loopback();
             VxlanSocket b = VxlanSocket.open(ns.namespace(), B, PORT, VNI, new int[] {ABSENT, A});
             SegmentedSender a = ns.call(() -> new SegmentedSender(A, 1000))) {
            org.junit.jupiter.api.Assumptions.assumeTrue(b.batches(), "UDP_GRO: Linux 5.0");
            ByteBuffer batch = ByteBuffer.allocateDirect(3500);
            for (int i = 0; i < 3500; i++) {
                batch.put(i, (byte) (i / 1000 + i));
            }
            a.send(batch, B, PORT); // four datagrams, the last of 500 bytes
            ByteBuffer into = ByteBuffer.allocateDirect(VxlanSocket.MAX_BATCH + 1);
            long deadline = System.nanoTime() + 5_000_000_000L;
            int length;
            while ((length = b.receive(into, 0, into.capacity())) == VxlanSocket.WOULD_BLOCK && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(3500, length, "the four datagrams in one read, back to back");
            assertEquals(1000, b.datagramSize(), "each but the last");
            assertEquals(1, b.sender());
            assertEquals(4, b.received(1), "counted as datagrams");
            for (int i = 0; i < 3500; i++) {
                assertEquals(batch.get(i), into.get(i), "byte " + i);
            }
        }
    }

    @Test
    void theRemoteSinkSendsTheFrameWrittenIntoItsClaimedBuffer() throws Exception {
        try (TestNamespace ns = loopback();
             VxlanSocket a = VxlanSocket.open(ns.namespace(), A, PORT, VNI, new int[] {ABSENT, B});
             VxlanSocket b = VxlanSocket.open(ns.namespace(), B, PORT, VNI, new int[] {A})) {
            VxlanRemoteSink sink = new VxlanRemoteSink(a, 1);
            assertEquals(VxlanSocket.DEFAULT_MAX_FRAME, sink.maxFrameLength());
            ByteBuffer out = sink.claim();
            out.put(0, frame, 0, FRAME);
            sink.commit(FRAME);

            assertEquals(VxlanHeader.LENGTH + FRAME, receive(b));
            assertEquals(VNI, new VxlanHeader().wrap(received, 0, VxlanHeader.LENGTH).vni());
            for (int i = 0; i < FRAME; i++) {
                assertEquals(frame.get(i), received.get(VxlanHeader.LENGTH + i), "byte " + i);
            }
            assertEquals(1, a.sent(1));
            assertEquals(0, a.sent(0));
        }
    }

    @Test
    void sendingAndReceivingAllocateNothingPerDatagram() throws Exception {
        Allocations.assumeMeasurable();
        try (TestNamespace ns = loopback();
             VxlanSocket a = VxlanSocket.open(ns.namespace(), A, PORT, VNI, new int[] {B});
             VxlanSocket b = VxlanSocket.open(ns.namespace(), B, PORT, VNI, new int[] {ABSENT, A})) {
            exchange(a, b, 20_000); // warm up: the JIT
            long before = Allocations.allocatedBy(Thread.currentThread());
            exchange(a, b, 10_000);
            long allocated = Allocations.allocatedBy(Thread.currentThread()) - before;
            assertTrue(allocated < 4_096, "10000 datagrams sent and received allocated " + allocated + " bytes");
        }
    }

    private void exchange(VxlanSocket a, VxlanSocket b, int datagrams) {
        for (int i = 0; i < datagrams; i++) {
            if (!a.send(frame, 0, FRAME, 0)) {
                throw new AssertionError("datagram " + i + " not sent");
            }
            while (b.receive(received, 0, ROOM) == VxlanSocket.WOULD_BLOCK) {
                Thread.onSpinWait();
            }
            if (b.sender() != 1) {
                throw new AssertionError("datagram " + i + " from " + b.sender());
            }
        }
    }

    @Test
    void aFrameLongerThanTheLargestIsCountedNotSent() throws Exception {
        try (TestNamespace ns = loopback(); VxlanSocket a = VxlanSocket.open(ns.namespace(), A, PORT, VNI, new int[] {B}, 100)) {
            assertFalse(a.send(frame, 0, 101, 0));
            assertEquals(1, a.unsent(0));
            assertEquals(0, a.sent());
        }
    }

    @Test
    void aFrameToARemoteWithoutARouteIsCountedNotSent() throws Exception {
        int unrouted = Ipv4Address.parse("10.241.93.1"); // the namespace has its loopback only
        try (TestNamespace ns = loopback(); VxlanSocket a = VxlanSocket.open(ns.namespace(), A, PORT, VNI, new int[] {unrouted})) {
            assertFalse(a.send(frame, 0, FRAME, 0));
            assertEquals(1, a.unsent(0));
            assertEquals(1, a.unsent());
        }
    }

    @Test
    void aVniPast24BitsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> VxlanSocket.open(null, A, 0, 1 << 24, new int[0]));
    }

    @Test
    void aRemoteGivenTwiceIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VxlanSocket.open(null, A, 0, VNI, new int[] {B, ABSENT, B}));
        assertEquals("VXLAN remote 127.0.0.2 is given twice", e.getMessage());
    }

    @Test
    void aPortAlreadyTakenIsRefusedWithTheReason() throws Exception {
        try (TestNamespace ns = loopback(); VxlanSocket first = VxlanSocket.open(ns.namespace(), A, PORT, VNI, new int[] {B})) {
            IOException e = assertThrows(IOException.class, () -> VxlanSocket.open(ns.namespace(), A, PORT, VNI, new int[] {B}));
            assertTrue(e.getMessage().startsWith("cannot bind the VXLAN socket to 127.0.0.1 port 4789 in network namespace "
                    + ns.name() + ": Address already in use"), e.getMessage());
            assertTrue(e.getMessage().contains("a port nothing else there holds"), e.getMessage());
        }
    }

    @Test
    void theKernelPicksThePortWhenAskedForZero() throws Exception {
        try (TestNamespace ns = loopback(); VxlanSocket a = VxlanSocket.open(ns.namespace(), A, 0, VNI, new int[] {B})) {
            assertTrue(a.port() > 0, "bound to port " + a.port());
            assertEquals(A, a.localAddress());
        }
    }

    private static TestNamespace loopback() throws Exception {
        TestNamespace ns = TestNamespace.create();
        try {
            ns.namespace().loopbackUp();
            return ns;
        } catch (Exception | Error e) {
            ns.close();
            throw e;
        }
    }

    private int receive(VxlanSocket socket) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            int length = socket.receive(received, 0, ROOM);
            if (length != VxlanSocket.WOULD_BLOCK) {
                return length;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("nothing received in 5 s");
    }
}
