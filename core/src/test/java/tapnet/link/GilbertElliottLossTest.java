package tapnet.link;

import org.junit.jupiter.api.Test;

/** netem's {@code loss gemodel p r 1-h 1-k}: bursts and long-run loss as the model says. */
class GilbertElliottLossTest {
    private static final int FRAMES = 1_000_000;

    @Test
    void simpleGilbertBurstsLastOneOverROnAverage() {
        double p = 0.01;
        double r = 0.25;
        boolean[] lost = run(LossModel.gilbertElliott(p, r), 11);

        double[] bursts = burstLengths(lost);
        // In the bad state every frame is lost and the state stays bad with 1 - r: burst lengths are
        // geometric, mean 1/r, standard deviation √(1 − r)/r, independent of one another.
        Statistics.Moments moments = Statistics.moments(bursts);
        Statistics.assertWithin("mean burst length", moments.mean(), 1 / r, moments.meanError());
        Statistics.assertWithin("burst length deviation", moments.sd(), Math.sqrt(1 - r) / r, moments.sdError());
    }

    /** The lengths of the runs of consecutive losses. */
    static double[] burstLengths(boolean[] lost) {
        int bursts = 0;
        for (int i = 0; i < lost.length; i++) {
            if (lost[i] && (i + 1 == lost.length || !lost[i + 1])) {
                bursts++;
            }
        }
        double[] lengths = new double[bursts];
        int burst = 0;
        int run = 0;
        for (int i = 0; i < lost.length; i++) {
            if (lost[i]) {
                run++;
                if (i + 1 == lost.length || !lost[i + 1]) {
                    lengths[burst++] = run;
                    run = 0;
                }
            }
        }
        return lengths;
    }

    @Test
    void simpleGilbertLosesPOverPPlusRInTheLongRun() {
        double p = 0.01;
        double r = 0.25;
        boolean[] lost = run(LossModel.gilbertElliott(p, r), 12);
        double share = RandomLossTest.count(lost) / (double) FRAMES;
        // A two-state chain's share of bad frames has variance π(1−π)/n · (1+λ)/(1−λ), λ = 1 − p − r the
        // chain's second eigenvalue: consecutive frames are correlated, so the bound is wider than binomial.
        double pi = p / (p + r);
        double lambda = 1 - p - r;
        double standardError = Math.sqrt(pi * (1 - pi) / FRAMES * (1 + lambda) / (1 - lambda));
        Statistics.assertWithin("long-run loss", share, pi, standardError);
    }

    @Test
    void fullGilbertElliottLosesInBothStatesAtTheirRates() {
        LossModel model = LossModel.gilbertElliott(0.05, 0.2, 0.7, 0.02);
        boolean[] lost = run(model, 13);
        double[] share = Statistics.shareWithBatchError(lost, 200);
        Statistics.assertWithin("long-run loss", share[0], model.expectedLoss(), share[1]);
    }

    @Test
    void pAloneIsBernoulliLoss() {
        boolean[] lost = run(LossModel.gilbertElliott(0.03), 14);
        Statistics.assertBinomial("frames lost", RandomLossTest.count(lost), FRAMES, 0.03);
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
