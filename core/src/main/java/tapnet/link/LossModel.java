package tapnet.link;

/**
 * How a link direction decides which frames it loses: netem's three loss generators (tc-netem(8),
 * {@code loss_event} in {@code sch_netem.c}). Probabilities are fractions from 0 to 1 (netem's percent
 * divided by 100). The factory methods with fewer arguments take iproute2's defaults for the rest, as
 * {@code tc qdisc ... netem loss gemodel 1%} does.
 */
public sealed interface LossModel permits LossModel.Random, LossModel.GilbertElliott, LossModel.FourState {

    /** No loss. */
    LossModel NONE = new Random(0, 0);

    /** netem's {@code loss random PERCENT}: each frame lost with this probability, independently. */
    static LossModel random(double probability) {
        return new Random(probability, 0);
    }

    /**
     * netem's {@code loss random PERCENT CORRELATION}; {@link CorrelatedUniform} says what correlation does
     * to the rate.
     */
    static LossModel random(double probability, double correlation) {
        return new Random(probability, correlation);
    }

    /** netem's {@code loss gemodel p}: r = 1 - p, 1-h = 1, 1-k = 0 (every frame in the bad state lost). */
    static LossModel gilbertElliott(double p) {
        return new GilbertElliott(p, 1 - p, 1, 0);
    }

    /** netem's {@code loss gemodel p r}: the simple Gilbert model (1-h = 1, 1-k = 0). */
    static LossModel gilbertElliott(double p, double r) {
        return new GilbertElliott(p, r, 1, 0);
    }

    /** netem's {@code loss gemodel p r 1-h}: the Gilbert model (1-k = 0). */
    static LossModel gilbertElliott(double p, double r, double oneMinusH) {
        return new GilbertElliott(p, r, oneMinusH, 0);
    }

    /** netem's {@code loss gemodel p r 1-h 1-k}: the full Gilbert-Elliott model. */
    static LossModel gilbertElliott(double p, double r, double oneMinusH, double oneMinusK) {
        return new GilbertElliott(p, r, oneMinusH, oneMinusK);
    }

    /** netem's {@code loss state p13}: p31 = 1 - p13, p32 = 0, p23 = 1, p14 = 0 (Bernoulli loss at p13). */
    static LossModel fourState(double p13) {
        return new FourState(p13, 1 - p13, 0, 1, 0);
    }

    /** netem's {@code loss state p13 p31}: the two-state model. */
    static LossModel fourState(double p13, double p31) {
        return new FourState(p13, p31, 0, 1, 0);
    }

    /** netem's {@code loss state p13 p31 p32 p23}: the three-state model. */
    static LossModel fourState(double p13, double p31, double p32, double p23) {
        return new FourState(p13, p31, p32, p23, 0);
    }

    /** netem's {@code loss state p13 p31 p32 p23 p14}: the four-state model. */
    static LossModel fourState(double p13, double p31, double p32, double p23, double p14) {
        return new FourState(p13, p31, p32, p23, p14);
    }

    /** The fraction of frames lost in the long run. */
    double expectedLoss();

    /**
     * Independent (or correlated) loss: a frame is lost when netem's correlated random value falls below
     * {@code probability}. With correlation above 0 the actual rate is lower than {@code probability}
     * ({@link CorrelatedUniform} says why); {@link #expectedLoss} is exact only without it.
     */
    record Random(double probability, double correlation) implements LossModel {
        public Random {
            Impairments.requireProbability("loss", probability);
            Impairments.requireProbability("loss correlation", correlation);
        }

        @Override
        public double expectedLoss() {
            return probability;
        }
    }

    /**
     * The Gilbert-Elliott model: a good and a bad state; each frame is lost with probability 1-k in the
     * good state and 1-h in the bad one, then the state changes, good to bad with probability p and bad
     * to good with r. With 1-h = 1 and 1-k = 0 (the simple Gilbert model) losses come in bursts of mean
     * length 1/r, and the long-run loss is p/(p+r).
     */
    record GilbertElliott(double p, double r, double oneMinusH, double oneMinusK) implements LossModel {
        public GilbertElliott {
            Impairments.requireProbability("gemodel p", p);
            Impairments.requireProbability("gemodel r", r);
            Impairments.requireProbability("gemodel 1-h", oneMinusH);
            Impairments.requireProbability("gemodel 1-k", oneMinusK);
        }

        /** The long-run fraction of time in the bad state, p/(p+r); 0 when neither state can be left. */
        public double badStateShare() {
            return p + r == 0 ? 0 : p / (p + r);
        }

        @Override
        public double expectedLoss() {
            double bad = badStateShare();
            return bad * oneMinusH + (1 - bad) * oneMinusK;
        }
    }

    /**
     * The 4-state Markov model of Salsano, Ludovici and Ordine ("Definition of a general and intuitive loss
     * model for packet networks and its implementation in the Netem module in the Linux kernel", 2010).
     * State 1: frames received in a gap period; 2: received within a burst; 3: lost within a burst;
     * 4: isolated losses within a gap. {@code pij} is the probability of moving from state i to j with the
     * next frame, and the frame is lost when the state it moves to is 3 or 4. State 4 always returns to 1.
     */
    record FourState(double p13, double p31, double p32, double p23, double p14) implements LossModel {
        public FourState {
            Impairments.requireProbability("state p13", p13);
            Impairments.requireProbability("state p31", p31);
            Impairments.requireProbability("state p32", p32);
            Impairments.requireProbability("state p23", p23);
            Impairments.requireProbability("state p14", p14);
            if (p13 + p14 > 1) {
                throw new IllegalArgumentException("state p13 " + p13 + " + p14 " + p14
                        + " is more than 1; expected the probabilities of leaving state 1 to sum to at most 1");
            }
            if (p31 + p32 > 1) {
                throw new IllegalArgumentException("state p31 " + p31 + " + p32 " + p32
                        + " is more than 1; expected the probabilities of leaving state 3 to sum to at most 1");
            }
        }

        /**
         * The long-run loss, starting in state 1: π3 + π4 of the stationary distribution, from the balance
         * equations π4 = p14·π1, π3 = p13·π1/p31 and π2 = p32·π3/p23, with π1 from their sum being 1.
         * When a probability of 0 splits the chain, it ends up in one part and the loss is that part's:
         * nothing when state 2 cannot be left (p23 = 0, p32 &gt; 0), everything when state 3 can lead
         * nowhere else.
         */
        @Override
        public double expectedLoss() {
            if (p13 == 0) {
                return p14 / (1 + p14);
            }
            if (p32 > 0 && p23 == 0) {
                return 0;
            }
            if (p31 == 0) {
                return p32 == 0 ? 1 : p23 / (p23 + p32);
            }
            double pi3OverPi1 = p13 / p31;
            double pi2OverPi1 = p32 == 0 ? 0 : p32 * pi3OverPi1 / p23;
            double pi1 = 1 / (1 + p14 + pi3OverPi1 + pi2OverPi1);
            return pi1 * (pi3OverPi1 + p14);
        }
    }
}
