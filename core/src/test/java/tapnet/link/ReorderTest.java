package tapnet.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** netem's {@code reorder PERCENT [CORRELATION] [gap DISTANCE]}, as tc-netem(8) and netem_enqueue define it. */
class ReorderTest {
    private static final long DELAY = 10_000_000;
    private final Verdict verdict = new Verdict();
    private final Impairments delayed = Impairments.NONE.withDelay(Duration.ofNanos(DELAY));

    @Test
    void gapFiveWithCertaintySendsEveryFifthFrameAtOnce() {
        LinkDirection link = new LinkDirection(delayed.withReorder(1, 0, 5), 51);
        for (int i = 1; i <= 100; i++) {
            link.decide(100, i, verdict);
            boolean fifth = i % 5 == 0;
            assertEquals(fifth, verdict.reordered(0), "frame " + i);
            assertEquals(fifth ? i : i + DELAY, verdict.releaseNanos(0), "frame " + i);
        }
        assertEquals(20, link.counters().reordered());
    }

    @Test
    void aReorderedFrameOvertakesTheFramesBeingDelayed() {
        LinkDirection link = new LinkDirection(delayed.withReorder(1, 0, 3), 52);
        long[] release = new long[3];
        for (int i = 0; i < 3; i++) {
            link.decide(100, i, verdict);
            release[i] = verdict.releaseNanos(0);
        }
        assertTrue(release[2] < release[0] && release[2] < release[1]);
    }

    @Test
    void withoutAGapEachFrameIsSentAtOnceWithTheProbability() {
        LinkDirection link = new LinkDirection(delayed.withReorder(0.25), 53);
        int reordered = 0;
        for (int i = 0; i < 100_000; i++) {
            link.decide(100, i, verdict);
            if (verdict.reordered(0)) {
                reordered++;
            }
        }
        Statistics.assertBinomial("frames reordered", reordered, 100_000, 0.25);
    }

    @Test
    void afterAReorderedFrameTheNextGapMinusOneAreDelayed() {
        int gap = 4;
        LinkDirection link = new LinkDirection(delayed.withReorder(0.5, 0, gap), 54);
        int sinceReordered = 0;
        int eligible = 0;
        int reordered = 0;
        for (int i = 0; i < 100_000; i++) {
            link.decide(100, i, verdict);
            if (sinceReordered >= gap - 1) {
                eligible++;
            }
            if (verdict.reordered(0)) {
                assertTrue(sinceReordered >= gap - 1, "frame " + i + " only " + sinceReordered + " after the last");
                reordered++;
                sinceReordered = 0;
            } else {
                sinceReordered++;
            }
        }
        Statistics.assertBinomial("eligible frames reordered", reordered, eligible, 0.5);
    }

    @Test
    void aReorderedFrameSkipsTheRateLimitersQueue() {
        LinkDirection link = new LinkDirection(delayed.withRate(10_000_000).withReorder(1, 0, 3), 55);
        link.decide(1500, 0, verdict);
        link.decide(1500, 0, verdict);
        assertEquals(2 * 1_200_000 + DELAY, verdict.releaseNanos(0));
        link.decide(1500, 0, verdict);
        assertTrue(verdict.reordered(0));
        assertEquals(0, verdict.releaseNanos(0), "sent at once, ahead of the queue");
        assertEquals(2, link.queuedFrames());
    }

    @Test
    void changingTheReorderSettingsStartsTheCountOver() {
        LinkDirection link = new LinkDirection(delayed.withReorder(1, 0, 3), 56);
        link.decide(100, 0, verdict);
        link.decide(100, 1, verdict);
        link.set(delayed.withReorder(1, 0, 2));
        link.decide(100, 2, verdict);
        assertFalse(verdict.reordered(0), "first of the new gap");
        link.decide(100, 3, verdict);
        assertTrue(verdict.reordered(0), "second of the new gap");
    }

    @Test
    void otherChangesKeepTheCount() {
        LinkDirection link = new LinkDirection(delayed.withReorder(1, 0, 3), 57);
        link.decide(100, 0, verdict);
        link.decide(100, 1, verdict);
        link.set(link.impairments().withLoss(0.0).withDelay(Duration.ofMillis(20)));
        link.decide(100, 2, verdict);
        assertTrue(verdict.reordered(0), "third frame");
    }
}
