package tapnet.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.engine.Engine;
import tapnet.frame.FrameSink;
import tapnet.tcp.TcpConfig;
import tapnet.time.LiveClock;
import tapnet.wire.Ipv4Address;
import tapnet.wire.VxlanHeader;

/**
 * A {@link TapEmulator} with a VXLAN underlay: the engine gets a sink per remote, in the underlay's order, that
 * sends on the engine thread; closing the emulator closes the underlay's socket.
 */
@Timeout(60)
class TapEmulatorUnderlayTest {
    private static final int MTU = 1500;
    /** The longest frame of that MTU, the underlay's by default too. */
    private static final int FRAME = 14 + MTU;
    private static final int VNI = 42;
    private static final int PORT = VxlanHeader.DEFAULT_PORT;
    private static final int LOCAL = Ipv4Address.parse("127.0.0.1");
    private static final int PEER = Ipv4Address.parse("127.0.0.2");

    @BeforeEach
    void needsRoot() {
        TapTestEnvironment.assumeTapTestsCanRun();
    }

    @Test
    void behindTheRingTheEngineGetsASinkPerRemoteAndClosingReleasesTheSocket() throws Exception {
        sinkPerRemoteAndSocketReleased(false, 27);
    }

    @Test
    void onTheReadersThreadTheEngineGetsASinkPerRemoteAndClosingReleasesTheSocket() throws Exception {
        sinkPerRemoteAndSocketReleased(true, 29);
    }

    private static void sinkPerRemoteAndSocketReleased(boolean direct, int subnet) throws Exception {
        try (TestNamespace ns = TestNamespace.create()) {
            ns.namespace().loopbackUp();
            TapDevice tap = ns.call(() -> TapDeviceTest.openConfigured("tapnet0", "10.241." + subnet + ".1/24", MTU));
            VxlanSocket underlay = VxlanSocket.open(ns.namespace(), LOCAL, PORT, VNI, new int[] {Ipv4Address.parse("127.0.0.3"), PEER});
            AtomicReference<FrameSink> given = new AtomicReference<>();
            TapEmulator.EngineFactory engine = (sink, ports, remotes) -> {
                given.set(remotes.sink(1, VNI));
                return new Engine(TcpConfig.defaults(), new LiveClock(), sink, 7);
            };
            try (VxlanSocket peer = VxlanSocket.open(ns.namespace(), PEER, PORT, VNI, new int[] {LOCAL})) {
                try (TapEmulator tapnet = direct ? TapEmulator.startDirect(tap, List.of(), underlay, MTU, 0, engine)
                        : TapEmulator.start(tap, List.of(), underlay, MTU, 0, engine)) {
                    assertEquals(1, ((VxlanRemoteSink) given.get()).remote());
                    assertEquals(FRAME, given.get().maxFrameLength());
                    tapnet.call(e -> { // as the engine sends: on its thread
                        FrameSink toPeer = given.get();
                        ByteBuffer frame = toPeer.claim();
                        for (int i = 0; i < 60; i++) {
                            frame.put(i, (byte) i);
                        }
                        toPeer.commit(60);
                        return null;
                    }).get(5, TimeUnit.SECONDS);

                    ByteBuffer received = ByteBuffer.allocateDirect(2048);
                    long deadline = System.nanoTime() + 5_000_000_000L;
                    int length;
                    while ((length = peer.receive(received, 0, 2048)) == VxlanSocket.WOULD_BLOCK && System.nanoTime() < deadline) {
                        Thread.sleep(1);
                    }
                    assertEquals(VxlanHeader.LENGTH + 60, length);
                    assertEquals(59, received.get(VxlanHeader.LENGTH + 59));
                    assertEquals(1, underlay.sent(1));
                    assertEquals(underlay, tapnet.underlay());
                    assertTrue(tapnet.describeCounters().endsWith("vxlan: received 0, sent 1, unsent 0"), tapnet.describeCounters());
                }
            }
            // the address and port are free again: the emulator closed its socket
            VxlanSocket.open(ns.namespace(), LOCAL, PORT, VNI, new int[] {PEER}).close();
        }
    }

    @Test
    void aSlotHoldsTheVxlanHeaderTheLargestFrameAndOneByteMore() throws Exception {
        try (TestNamespace ns = TestNamespace.create();
             TapDevice tap = ns.call(() -> TapDeviceTest.openConfigured("tapnet0", "10.241.28.1/24", MTU));
             VxlanSocket underlay = VxlanSocket.open(ns.namespace(), Ipv4Address.parse("10.241.28.1"), 0, VNI, new int[] {PEER}, 9014)) {
            int datagram = underlay.batches() ? VxlanSocket.MAX_BATCH : VxlanHeader.LENGTH + 9014;
            assertEquals(TapReader.UNDERLAY_OFFSET + datagram + 1, TapEmulator.slotCapacity(tap, List.of(), underlay, FRAME),
                    "with UDP_GRO a read may take 64 KB of datagrams");
            assertEquals(FRAME, TapEmulator.slotCapacity(tap, List.of(), null, FRAME));
        }
    }
}
