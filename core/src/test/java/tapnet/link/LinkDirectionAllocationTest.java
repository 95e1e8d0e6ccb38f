package tapnet.link;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * {@link LinkDirection#decide} allocates nothing: a million decisions with every impairment on, after a
 * warm-up that lets the JIT compile the path and the rate limiter's queue reach its longest, measured
 * with the JVM's per-thread allocation counter.
 */
class LinkDirectionAllocationTest {
    private static final int WARM_UP = 200_000;
    private static final int DECISIONS = 1_000_000;

    @Test
    void aMillionDecisionsAllocateNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        LinkDirection link = new LinkDirection(DeterminismTest.EVERYTHING, 77);
        Verdict verdict = new Verdict();
        long now = decide(link, verdict, 0, WARM_UP);
        long before = threads.getCurrentThreadAllocatedBytes();
        long started = System.nanoTime();
        decide(link, verdict, now, DECISIONS);
        long elapsed = System.nanoTime() - started;
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        System.out.println("allocated " + allocated + " bytes over " + DECISIONS + " decisions, "
                + elapsed / DECISIONS + " ns each");
        // One 16-byte object per decision would show 16 MB; the counter itself may report a little noise.
        assertTrue(allocated < 16 * 1024, "allocated " + allocated + " bytes over " + DECISIONS + " decisions");
    }

    private static long decide(LinkDirection link, Verdict verdict, long now, int count) {
        for (int i = 0; i < count; i++) {
            now += 100_000 + (i * 7919L) % 200_000;
            link.decide(64 + (i * 31) % 1400, now, verdict);
        }
        return now;
    }
}
