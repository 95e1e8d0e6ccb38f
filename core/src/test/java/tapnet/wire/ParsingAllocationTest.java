package tapnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Parsing allocates nothing (DESIGN.md: "No objects per frame"). Measured with the JVM's per-thread
 * allocation counter around 100,000 dissections of the captured SYN: Ethernet, IPv4 with its header
 * checksum, TCP with its pseudo-header checksum, and the options.
 */
class ParsingAllocationTest {
    private static final int FRAMES = 100_000;
    /**
     * Measured: 0 bytes. The bound is not 0 because the counter is read through a management bean whose
     * calls may account a few bytes to this thread on some JVMs; one allocation per frame would be 1.6 MB.
     */
    private static final long ALLOWED_BYTES = 1024;

    private static com.sun.management.ThreadMXBean threads() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "this JVM has no per-thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "this JVM has no per-thread allocation counter");
        threads.setThreadAllocatedMemoryEnabled(true);
        return threads;
    }

    private static long allocatedWhileDissecting(ByteBuffer frame, int length) {
        com.sun.management.ThreadMXBean threads = threads();
        FrameDissector dissector = new FrameDissector();
        for (int i = 0; i < FRAMES; i++) { // warm-up: class loading, interpreter, JIT
            dissector.dissect(frame, 0, length);
        }
        threads.getCurrentThreadAllocatedBytes();

        long before = threads.getCurrentThreadAllocatedBytes();
        int accepted = 0;
        for (int i = 0; i < FRAMES; i++) {
            accepted += dissector.dissect(frame, 0, length) == FrameDissector.ACCEPTED_TCP ? 1 : 0;
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(FRAMES, accepted, "every frame went through every layer");
        assertEquals(FRAMES * 2, dissector.tcpOptionsParsed);
        return allocated;
    }

    @Test
    void dissectingACapturedSynAllocatesNothing() {
        long allocated = allocatedWhileDissecting(Hex.buffer(CapturedFrames.TCP_SYN), 74);

        assertTrue(allocated < ALLOWED_BYTES, FRAMES + " SYNs allocated " + allocated + " bytes");
    }

    @Test
    void dissectingACapturedSynInADirectBufferAllocatesNothing() {
        // Ring slots filled from the TAP are direct buffers.
        ByteBuffer direct = ByteBuffer.allocateDirect(74);
        direct.put(0, Hex.bytes(CapturedFrames.TCP_SYN));

        long allocated = allocatedWhileDissecting(direct, 74);

        assertTrue(allocated < ALLOWED_BYTES, FRAMES + " SYNs allocated " + allocated + " bytes");
    }
}
