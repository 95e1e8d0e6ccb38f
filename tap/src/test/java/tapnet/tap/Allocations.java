package tapnet.tap;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;

/** Bytes a thread allocated on the heap so far (HotSpot's per-thread allocation counter). */
final class Allocations {
    private static final com.sun.management.ThreadMXBean THREADS = threads();

    private Allocations() {
    }

    static long allocatedBy(Thread thread) {
        return THREADS.getThreadAllocatedBytes(thread.getId());
    }

    private static com.sun.management.ThreadMXBean threads() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean hotSpot
                && hotSpot.isThreadAllocatedMemorySupported()) {
            hotSpot.setThreadAllocatedMemoryEnabled(true);
            return hotSpot;
        }
        return null;
    }

    static void assumeMeasurable() {
        Assumptions.assumeTrue(THREADS != null, "this JVM does not count allocations per thread");
    }
}
