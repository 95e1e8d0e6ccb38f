package tapnet.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** netem's slots: frames leave in bursts of a bounded size, one slot a time after the other. */
class SlotTest {
    private static final long MS = 1_000_000L;

    private static List<Long> releases(Impairments.Slot slot, long[] arrivals, int frameLength) {
        LinkDirection link = new LinkDirection(Impairments.NONE.withSlot(slot), 7);
        Verdict verdict = new Verdict();
        List<Long> out = new ArrayList<>();
        for (long at : arrivals) {
            link.decide(frameLength, at, verdict);
            out.add(verdict.releaseNanos(0));
        }
        return out;
    }

    @Test
    void aBurstLeavesTwoFramesASlotTenMillisecondsApart() {
        Impairments.Slot slot = new Impairments.Slot(Duration.ofMillis(10), Duration.ofMillis(10), 2, 0);
        assertEquals(List.of(0L, 0L, 10 * MS, 10 * MS, 20 * MS), releases(slot, new long[] {0, 0, 0, 0, 0}, 100));
    }

    @Test
    void aFrameDueWhileASlotIsOpenLeavesWhenDueAndOneDueBetweenSlotsWaits() {
        Impairments.Slot slot = new Impairments.Slot(Duration.ofMillis(10), Duration.ofMillis(10), 2, 0);
        // 0: opens a slot; 3 ms: the slot is still open (one frame left); it closes, the next opens at 13 ms.
        assertEquals(List.of(0L, 3 * MS, 13 * MS), releases(slot, new long[] {0, 3 * MS, 5 * MS}, 100));
    }

    @Test
    void aByteBudgetClosesASlotToo() {
        Impairments.Slot slot = new Impairments.Slot(Duration.ofMillis(5), Duration.ofMillis(5), 0, 3000);
        assertEquals(List.of(0L, 0L, 5 * MS), releases(slot, new long[] {0, 0, 0}, 1500));
    }

    @Test
    void gapsBetweenSlotsAreDrawnBetweenMinAndMax() {
        Impairments.Slot slot = new Impairments.Slot(Duration.ofMillis(10), Duration.ofMillis(20), 1, 0);
        long[] arrivals = new long[1000];
        List<Long> out = releases(slot, arrivals, 100);
        double sum = 0;
        for (int i = 1; i < out.size(); i++) {
            long gap = out.get(i) - out.get(i - 1);
            assertTrue(gap >= 10 * MS && gap < 20 * MS, "gap " + gap);
            sum += gap;
        }
        double mean = sum / (out.size() - 1) / MS;
        assertTrue(mean > 14.5 && mean < 15.5, "uniform from 10 to 20 ms: mean " + mean);
    }

    @Test
    void aSlotWithoutABudgetOrWithMaxBelowMinIsRefused() {
        IllegalArgumentException noBudget = assertThrows(IllegalArgumentException.class,
                () -> new Impairments.Slot(Duration.ofMillis(10), Duration.ofMillis(10), 0, 0));
        assertTrue(noBudget.getMessage().contains("packets or bytes"), noBudget.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Impairments.Slot(Duration.ofMillis(10), Duration.ofMillis(5), 1, 0));
    }
}
