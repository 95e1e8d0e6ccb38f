package tapnet.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** netem's {@code duplicate PERCENT}, and how it meets loss (netem_enqueue's count of copies). */
class DuplicateTest {
    private static final int FRAMES = 100_000;
    private final Verdict verdict = new Verdict();

    @Test
    void fivePercentOfFramesGoTwice() {
        LinkDirection link = new LinkDirection(Impairments.NONE.withDuplicate(0.05), 61);
        int twice = 0;
        for (int i = 0; i < FRAMES; i++) {
            link.decide(100, i, verdict);
            if (verdict.copies() == 2) {
                twice++;
            }
        }
        Statistics.assertBinomial("frames duplicated", twice, FRAMES, 0.05);
        assertEquals(twice, link.counters().duplicated());
        assertEquals(FRAMES + twice, link.counters().framesDelivered());
    }

    @Test
    void eachCopyTakesItsOwnDelay() {
        LinkDirection link = new LinkDirection(Impairments.NONE.withDuplicate(1)
                .withDelay(Duration.ofMillis(10), Duration.ofMillis(5)), 62);
        link.decide(100, 0, verdict);
        assertEquals(2, verdict.copies());
        assertNotEquals(verdict.releaseNanos(0), verdict.releaseNanos(1));
    }

    @Test
    void aLostFrameThatWasToBeDuplicatedGoesOnce() {
        // netem counts two copies, then loss takes one: with both certain, every frame goes exactly once.
        LinkDirection link = new LinkDirection(Impairments.NONE.withDuplicate(1).withLoss(1), 63);
        for (int i = 0; i < 1000; i++) {
            link.decide(100, i, verdict);
            assertEquals(1, verdict.copies());
        }
        assertEquals(0, link.counters().dropped());
        assertEquals(0, link.counters().duplicated());
    }

    @Test
    void theDuplicateMeetsLossAgain() {
        // Original lost (½): one copy. Original kept (½): the duplicate is lost with ½ again. So a quarter
        // of the frames go twice, three quarters once, none are dropped.
        LinkDirection link = new LinkDirection(Impairments.NONE.withDuplicate(1).withLoss(0.5), 64);
        int twice = 0;
        for (int i = 0; i < FRAMES; i++) {
            link.decide(100, i, verdict);
            if (verdict.copies() == 2) {
                twice++;
            }
            assertNotEquals(0, verdict.copies());
        }
        Statistics.assertBinomial("frames going twice", twice, FRAMES, 0.25);
        LinkCounters counters = link.counters();
        assertEquals(counters.framesIn() + counters.duplicated(), counters.framesDelivered() + counters.dropped());
    }
}
