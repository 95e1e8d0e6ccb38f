package tapnet.link;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** netem's {@code loss state p13 p31 p32 p23 p14}: the 4-state Markov model's stationary loss and shapes. */
class FourStateLossTest {
    private static final int FRAMES = 1_000_000;

    @Test
    void fourStateModelLosesItsStationaryShare() {
        LossModel model = LossModel.fourState(0.05, 0.3, 0.2, 0.4, 0.02);
        boolean[] lost = run(model, 21);
        double[] share = Statistics.shareWithBatchError(lost, 200);
        Statistics.assertWithin("long-run loss", share[0], model.expectedLoss(), share[1]);
    }

    @Test
    void twoStateFormBurstsLastOneOverP31OnAverage() {
        double p31 = 0.4;
        boolean[] lost = run(LossModel.fourState(0.02, p31), 22);
        Statistics.Moments bursts = Statistics.moments(GilbertElliottLossTest.burstLengths(lost));
        // State 3 (lost in a burst) stays with 1 − p31 and p32 = 0: geometric bursts of mean 1/p31.
        Statistics.assertWithin("mean burst length", bursts.mean(), 1 / p31, bursts.meanError());
    }

    @Test
    void p13AloneIsBernoulliLoss() {
        boolean[] lost = run(LossModel.fourState(0.05), 23);
        Statistics.assertBinomial("frames lost", RandomLossTest.count(lost), FRAMES, 0.05);
    }

    @Test
    void isolatedLossesNeverComeTwoInARow() {
        LossModel model = LossModel.fourState(0, 1, 0, 1, 0.1);
        boolean[] lost = run(model, 24);
        for (int i = 1; i < lost.length; i++) {
            assertFalse(lost[i - 1] && lost[i], "state 4 always returns to state 1");
        }
        // Losses in state 4 alternate with at least one frame received: a renewal process, its share
        // p14/(1 + p14), each cycle independent; the batch-means error covers the dependence.
        double[] share = Statistics.shareWithBatchError(lost, 200);
        Statistics.assertWithin("long-run loss", share[0], model.expectedLoss(), share[1]);
    }

    private static boolean[] run(LossModel model, long seed) {
        LinkDirection link = new LinkDirection(Impairments.NONE.withLoss(model), seed);
        Verdict verdict = new Verdict();
        boolean[] lost = new boolean[FRAMES];
        for (int i = 0; i < FRAMES; i++) {
            link.decide(100, i, verdict);
            lost[i] = verdict.dropped();
        }
        return lost;
    }
}
