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

    @Test
    void walkingAnIpv6HeaderChainAllocatesNothing() {
        // Hop-by-Hop, Routing (Segments Left 0), first Fragment, Destination Options, UDP: every kind of step.
        ByteBuffer packet = ByteBuffer.allocate(40 + 40);
        packet.put(40, Hex.bytes("2b 00 01 04 00000000 2c 00 04 00 00000000 3c 00 0001 00000007 11 00 1e 02 abcd 01 00"
                + "0035 0035 0008 0000"));
        Ipv6HeaderChain chain = new Ipv6HeaderChain();
        com.sun.management.ThreadMXBean threads = threads();
        for (int i = 0; i < FRAMES; i++) { // warm-up
            chain.walk(packet, 40, Ipv6HeaderChain.HOP_BY_HOP_OPTIONS, 80, false);
        }
        threads.getCurrentThreadAllocatedBytes();

        long before = threads.getCurrentThreadAllocatedBytes();
        int fragments = 0;
        for (int i = 0; i < FRAMES; i++) {
            fragments += chain.walk(packet, 40, Ipv6HeaderChain.HOP_BY_HOP_OPTIONS, 80, false) == Ipv6HeaderChain.Outcome.FRAGMENT ? 1 : 0;
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(FRAMES, fragments, "every walk reached the UDP header of the first fragment");
        assertTrue(allocated < ALLOWED_BYTES, FRAMES + " walks allocated " + allocated + " bytes");
    }
}
