package tapnet.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** One link direction as the engine sees it: verdicts, up/down, MTU, counters, settings changed while running. */
class LinkDirectionTest {
    private static final long MS = 1_000_000;
    private final Verdict verdict = new Verdict();

    @Test
    void aPerfectLinkDeliversEachFrameOnceAtOnce() {
        LinkDirection link = new LinkDirection(Impairments.NONE, 1);
        link.decide(1514, 42, verdict);
        assertEquals(1, verdict.copies());
        assertFalse(verdict.dropped());
        assertNull(verdict.dropReason());
        assertEquals(42, verdict.releaseNanos(0));
        assertFalse(verdict.corrupted(0));
        assertFalse(verdict.reordered(0));
    }

    @Test
    void aDownLinkDropsEverythingUntilItComesBackUp() {
        LinkDirection link = new LinkDirection(Impairments.NONE.withDown(true), 2);
        for (int i = 0; i < 10; i++) {
            link.decide(100, i, verdict);
            assertTrue(verdict.dropped());
            assertEquals(LinkDropReason.DOWN, verdict.dropReason());
        }
        link.set(link.impairments().withDown(false));
        link.decide(100, 10, verdict);
        assertFalse(verdict.dropped());
        assertEquals(10, link.counters().dropped(LinkDropReason.DOWN));
    }

    @Test
    void aFrameLargerThanTheMtuIsTooBigAndTheVerdictCarriesTheMtu() {
        LinkDirection link = new LinkDirection(Impairments.NONE.withMtu(1500), 3);
        link.decide(1514, 0, verdict);
        assertFalse(verdict.dropped(), "1500 bytes of IP behind a 14-byte Ethernet header fit");
        assertEquals(0, verdict.mtu());
        link.decide(1515, 0, verdict);
        assertTrue(verdict.tooBig());
        assertEquals(LinkDropReason.TOO_BIG, verdict.dropReason());
        assertEquals(1500, verdict.mtu(), "for ICMP fragmentation needed");
        link.decide(100, 0, verdict);
        assertEquals(0, verdict.mtu(), "cleared by the next decision");
        assertEquals(1, link.counters().dropped(LinkDropReason.TOO_BIG));
    }

    @Test
    void countersBalanceCopiesInAgainstCopiesOut() {
        Impairments everything = Impairments.NONE
                .withDelay(Duration.ofMillis(10), Duration.ofMillis(3))
                .withLoss(LossModel.gilbertElliott(0.02, 0.3, 0.9, 0.01))
                .withDuplicate(0.1).withCorrupt(0.05).withReorder(0.1, 0, 3)
                .withRate(100_000_000).withQueueLimit(20, 0).withMtu(1400);
        LinkDirection link = new LinkDirection(everything, 4);
        long now = 0;
        long bytes = 0;
        for (int i = 0; i < 50_000; i++) {
            int length = 60 + (i * 37) % 1400;
            now += 50_000;
            link.decide(length, now, verdict);
            bytes += length;
        }
        LinkCounters c = link.counters();
        assertEquals(50_000, c.framesIn());
        assertEquals(bytes, c.bytesIn());
        assertEquals(c.framesIn() + c.duplicated(), c.framesDelivered() + c.dropped(), c.toString());
        for (LinkDropReason reason : new LinkDropReason[] {LinkDropReason.LOSS, LinkDropReason.QUEUE_FULL,
                LinkDropReason.TOO_BIG}) {
            assertTrue(c.dropped(reason) > 0, reason + " in " + c);
        }
        assertTrue(c.duplicated() > 0 && c.corrupted() > 0 && c.reordered() > 0, c.toString());
    }

    @Test
    void settingsChangedWhileRunningTakeEffectAtTheNextFrame() {
        LinkDirection link = new LinkDirection(Impairments.NONE.withDelay(Duration.ofMillis(10)), 5);
        link.decide(100, 0, verdict);
        assertEquals(10 * MS, verdict.releaseNanos(0));

        link.set(link.impairments().withDelay(Duration.ofMillis(50)));
        link.decide(100, MS, verdict);
        assertEquals(51 * MS, verdict.releaseNanos(0));

        link.set(link.impairments().withLoss(1));
        link.decide(100, 2 * MS, verdict);
        assertEquals(LinkDropReason.LOSS, verdict.dropReason());

        link.set(link.impairments().withLoss(LossModel.NONE));
        link.decide(100, 3 * MS, verdict);
        assertFalse(verdict.dropped());
    }

    @Test
    void aLossModelKeepsItsStateWhenItsParametersChange() {
        // Bad state is sticky (r = 0) and always loses: once in it, the model stays there across the change.
        LinkDirection link = new LinkDirection(Impairments.NONE.withLoss(LossModel.gilbertElliott(1, 0)), 6);
        link.decide(100, 0, verdict);
        assertFalse(verdict.dropped(), "the first frame arrives in the good state, which moves to bad");
        link.set(link.impairments().withLoss(LossModel.gilbertElliott(0, 0)));
        link.decide(100, 1, verdict);
        assertTrue(verdict.dropped(), "still in the bad state");
        link.set(link.impairments().withLoss(LossModel.fourState(0)));
        link.decide(100, 2, verdict);
        assertFalse(verdict.dropped(), "a new kind of model starts afresh");
    }

    /** Each fault draws from its own generator: losing frames does not move the delays of the others. */
    @Test
    void turningLossOnLeavesTheDelaysOfDeliveredFramesAsTheyWere() {
        Impairments jittery = Impairments.NONE.withDelay(Duration.ofMillis(20), Duration.ofMillis(5))
                .withDistribution(DelayDistribution.NORMAL);
        long[] clean = delays(new LinkDirection(jittery, 7), 1000);
        long[] lossy = delays(new LinkDirection(jittery.withLoss(0.3).withCorrupt(0.2), 7), 1000);
        assertTrue(lossy.length < 800);
        assertArrayEquals(Arrays.copyOf(clean, lossy.length), lossy);
    }

    @Test
    void aVerdictRefusesCopiesItDoesNotHave() {
        LinkDirection link = new LinkDirection(Impairments.NONE.withLoss(1), 8);
        link.decide(100, 0, verdict);
        assertThrows(IndexOutOfBoundsException.class, () -> verdict.releaseNanos(0));
    }

    private long[] delays(LinkDirection link, int frames) {
        long[] delays = new long[frames];
        int delivered = 0;
        for (int i = 0; i < frames; i++) {
            link.decide(100, i * MS, verdict);
            if (!verdict.dropped()) {
                delays[delivered++] = verdict.releaseNanos(0) - i * MS;
            }
        }
        return Arrays.copyOf(delays, delivered);
    }
}
