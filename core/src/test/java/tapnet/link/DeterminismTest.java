package tapnet.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The same seed and frames give the same verdicts; another seed gives others. */
class DeterminismTest {
    private static final int FRAMES = 100_000;
    static final Impairments EVERYTHING = Impairments.NONE
            .withDelay(Duration.ofMillis(20), Duration.ofMillis(5), 0.25)
            .withDistribution(DelayDistribution.PARETONORMAL)
            .withLoss(LossModel.fourState(0.02, 0.3, 0.1, 0.2, 0.01))
            .withDuplicate(0.05, 0.1).withCorrupt(0.05).withReorder(0.2, 0.3, 4)
            .withRate(50_000_000, 24).withQueueLimit(30, 40_000);

    @Test
    void theSameSeedGivesIdenticalVerdictsTwice() {
        long[] first = verdicts(new LinkDirection(EVERYTHING, 1234));
        long[] second = verdicts(new LinkDirection(EVERYTHING, 1234));
        assertArrayEquals(first, second);
    }

    @Test
    void anotherSeedGivesOtherVerdicts() {
        long[] first = verdicts(new LinkDirection(EVERYTHING, 1234));
        long[] other = verdicts(new LinkDirection(EVERYTHING, 1235));
        assertFalse(Arrays.equals(first, other));
        int same = 0;
        for (int i = 0; i < first.length; i++) {
            if (first[i] == other[i]) {
                same++;
            }
        }
        assertFalse(same > first.length / 2, same + " of " + first.length + " fingerprints alike");
    }

    @Test
    void theSameSettingsReachedByChangesGiveTheSameVerdictsAsSetFromTheStart() {
        LinkDirection direct = new LinkDirection(EVERYTHING, 99);
        LinkDirection changed = new LinkDirection(EVERYTHING.withDelay(Duration.ofMillis(1)), 99);
        changed.set(EVERYTHING);
        assertArrayEquals(verdicts(direct), verdicts(changed));
    }

    /** One fingerprint per frame, from every field of its verdict. */
    static long[] verdicts(LinkDirection link) {
        Verdict verdict = new Verdict();
        long[] fingerprints = new long[FRAMES];
        long now = 0;
        for (int i = 0; i < FRAMES; i++) {
            now += 100_000 + (i * 7919L) % 200_000;
            link.decide(64 + (i * 31) % 1400, now, verdict);
            long print = verdict.copies();
            print = print * 31 + (verdict.dropped() ? verdict.dropReason().ordinal() : -1);
            for (int c = 0; c < verdict.copies(); c++) {
                print = print * 31 + verdict.releaseNanos(c);
                print = print * 31 + verdict.corruptionOffset(c);
                print = print * 31 + verdict.corruptionMask(c);
                print = print * 31 + (verdict.reordered(c) ? 1 : 0);
            }
            fingerprints[i] = print;
        }
        assertEquals(FRAMES, link.counters().framesIn());
        return fingerprints;
    }
}
