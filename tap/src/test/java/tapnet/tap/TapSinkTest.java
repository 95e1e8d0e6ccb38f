package tapnet.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.wire.EthernetFrame;
import tapnet.wire.MacAddress;

@Timeout(60)
class TapSinkTest {
    /** IEEE 802 local experimental EtherType: the kernel drops it, nothing answers. */
    private static final int LOCAL_EXPERIMENTAL = 0x88b5;

    @Test
    void commitWritesEachFrameWithoutAllocating() throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        Allocations.assumeMeasurable();
        try (TestNamespace ns = TestNamespace.create()) {
            try (TapDevice tap = ns.call(() -> TapDeviceTest.openConfigured("tapnet0", "10.241.30.1/24", 1500))) {
                TapSink sink = new TapSink(tap, 1514);
                writeFrames(sink, 20_000); // warm up
                long before = Allocations.allocatedBy(Thread.currentThread());
                writeFrames(sink, 10_000);
                long allocated = Allocations.allocatedBy(Thread.currentThread()) - before;
                assertEquals(30_000, sink.framesWritten());
                assertEquals(0, sink.writeErrors());
                assertTrue(allocated < 4_096, "10000 commits allocated " + allocated + " bytes");
            }
        }
    }

    @Test
    void aFailedWriteIsCountedAndNotThrown() throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        try (TestNamespace ns = TestNamespace.create()) {
            try (TapDevice tap = ns.call(() -> TapDeviceTest.openConfigured("tapnet0", "10.241.31.1/24", 1500))) {
                TapSink sink = new TapSink(tap, 1514);
                sink.claim();
                sink.commit(2); // shorter than an Ethernet header: tun_get_user refuses it with EINVAL
                assertEquals(1, sink.writeErrors());
                assertEquals(0, sink.framesWritten());
            }
        }
    }

    private static void writeFrames(TapSink sink, int count) {
        EthernetFrame ethernet = new EthernetFrame();
        for (int i = 0; i < count; i++) {
            ByteBuffer frame = sink.claim();
            ethernet.wrap(frame, 0, EthernetFrame.HEADER_LENGTH)
                    .setDestination(MacAddress.BROADCAST).setSource(MacAddress.derivedFrom(i)).setEtherType(LOCAL_EXPERIMENTAL);
            sink.commit(EthernetFrame.MIN_FRAME_LENGTH);
        }
    }
}
