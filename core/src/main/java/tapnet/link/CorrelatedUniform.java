package tapnet.link;

/**
 * netem's correlated random numbers ({@code get_crandom} in the kernel's {@code net/sched/sch_netem.c}):
 * each value is {@code (1 - ρ)·u + ρ·last}, where {@code u} is a fresh uniform draw and {@code last} the
 * previous value. tapnet keeps this method, not a better one, so that a netem user's "loss 10% 25%" means
 * the same thing here.
 *
 * <p>It is known to skew what it feeds (tc-netem(8) calls correlated random loss "deprecated due to the
 * noticed bad behavior"): the values are no longer uniform but pile up around 0.5, with variance
 * {@code (1 - ρ)/(1 + ρ)/12} instead of 1/12. A probability compared with them is therefore not the
 * rate you get: "loss 10%" with 50% correlation loses well under 10% of frames, and correlated delay
 * has less spread than its jitter says. For bursts of loss with a set rate, use a
 * {@link LossModel.GilbertElliott} or {@link LossModel.FourState} model instead.
 *
 * <p>With ρ = 0 each value is a fresh draw. The first {@code last} is a draw too, as the kernel's
 * {@code init_crandom} does. Changing ρ keeps {@code last}.
 */
public final class CorrelatedUniform {
    private final Xoshiro256StarStar random;
    private double correlation;
    private double last;

    public CorrelatedUniform(Xoshiro256StarStar random, double correlation) {
        this.random = random;
        this.last = random.nextDouble();
        setCorrelation(correlation);
    }

    public void setCorrelation(double correlation) {
        if (!(correlation >= 0 && correlation <= 1)) {
            throw new IllegalArgumentException("correlation " + correlation + " is out of range; expected 0 to 1");
        }
        this.correlation = correlation;
    }

    /** The next value in [0, 1). */
    public double next() {
        double fresh = random.nextDouble();
        if (correlation == 0) {
            return fresh;
        }
        last = (1 - correlation) * fresh + correlation * last;
        return last;
    }
}
