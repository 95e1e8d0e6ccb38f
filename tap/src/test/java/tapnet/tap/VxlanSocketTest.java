package tapnet.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.wire.EthernetFrame;
import tapnet.wire.MacAddress;
import tapnet.wire.VxlanHeader;

/** Two {@link VxlanSocket}s on a test namespace's loopback: frames go whole both ways, and cost no allocation. */
@Timeout(60)
class VxlanSocketTest {
    private static final int VNI = 42;
    private static final int ROOM = 2048;
    private static final int FRAME = 60;

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
    void aFrameSentArrivesWholeWithTheSendersAddress() throws Exception {
        roundTrip("127.0.0.1");
    }

    @Test
    void anIpv6UnderlayWorksAlike() throws Exception {
        roundTrip("::1");
    }

    private void roundTrip(String loopback) throws Exception {
        try (TestNamespace namespace = TestNamespace.create()) {
            namespace.namespace().loopbackUp();
            try (VxlanSocket a = VxlanSocket.open(namespace.namespace(), VxlanUnderlay.address(loopback, 0), VNI);
                    VxlanSocket b = VxlanSocket.open(namespace.namespace(), VxlanUnderlay.address(loopback, VxlanHeader.DEFAULT_PORT), VNI)) {
                assertTrue(a.send(frame, 0, FRAME, b.localAddress()));

                int length = receive(b);

                assertEquals(FRAME, length);
                assertEquals(VxlanHeader.LENGTH, b.frameOffset());
                for (int i = 0; i < FRAME; i++) {
                    assertEquals(frame.get(i), received.get(b.frameOffset() + i), "byte " + i);
                }
                assertEquals(a.localAddress(), b.remote());
                assertEquals(1, a.sent());
                assertEquals(1, b.received());
            }
        }
    }

    @Test
    void sendingAndReceivingAllocateNothingPerDatagram() throws Exception {
        Allocations.assumeMeasurable();
        try (TestNamespace namespace = TestNamespace.create()) {
            namespace.namespace().loopbackUp();
            try (VxlanSocket a = VxlanSocket.open(namespace.namespace(), VxlanUnderlay.address("127.0.0.1", 0), VNI);
                    VxlanSocket b = VxlanSocket.open(namespace.namespace(), VxlanUnderlay.address("127.0.0.1", 0), VNI)) {
                InetSocketAddress to = b.localAddress();
                exchange(a, b, to, 20_000); // warm up: the JIT, the channel's cached sender address
                long before = Allocations.allocatedBy(Thread.currentThread());
                exchange(a, b, to, 10_000);
                long allocated = Allocations.allocatedBy(Thread.currentThread()) - before;
                assertTrue(allocated < 4_096, "10000 datagrams sent and received allocated " + allocated + " bytes");
            }
        }
    }

    private void exchange(VxlanSocket a, VxlanSocket b, InetSocketAddress to, int datagrams) throws IOException {
        for (int i = 0; i < datagrams; i++) {
            if (!a.send(frame, 0, FRAME, to)) {
                throw new AssertionError("datagram " + i + " not sent");
            }
            while (b.receive(received, 0, ROOM) == VxlanSocket.NOTHING) {
                Thread.onSpinWait();
            }
        }
    }

    @Test
    void aFrameLongerThanTheLargestIsCountedNotSent() throws Exception {
        try (TestNamespace namespace = TestNamespace.create()) {
            namespace.namespace().loopbackUp();
            try (VxlanSocket a = VxlanSocket.open(namespace.namespace(), VxlanUnderlay.address("127.0.0.1", 0), VNI, 100)) {
                assertFalse(a.send(frame, 0, 101, a.localAddress()));
                assertEquals(1, a.unsent());
                assertEquals(0, a.sent());
            }
        }
    }

    @Test
    void aVniPast24BitsIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> VxlanSocket.open(null, VxlanUnderlay.address("127.0.0.1", 0), 1 << 24));
    }

    @Test
    void aPortAlreadyTakenIsRefusedWithTheReason() throws Exception {
        try (TestNamespace namespace = TestNamespace.create()) {
            namespace.namespace().loopbackUp();
            InetSocketAddress local = VxlanUnderlay.address("127.0.0.1", VxlanHeader.DEFAULT_PORT);
            try (VxlanSocket first = VxlanSocket.open(namespace.namespace(), local, VNI)) {
                IOException e = assertThrows(IOException.class, () -> VxlanSocket.open(namespace.namespace(), local, VNI));
                assertTrue(e.getMessage().startsWith("cannot bind the VXLAN socket to 127.0.0.1 port 4789 in network namespace "
                        + namespace.name() + ": Address already in use"), e.getMessage());
            }
        }
    }

    private int receive(VxlanSocket socket) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            int length = socket.receive(received, 0, ROOM);
            if (length != VxlanSocket.NOTHING) {
                return length;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("nothing received in 5 s");
    }
}
