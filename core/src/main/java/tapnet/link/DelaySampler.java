package tapnet.link;

/**
 * Draws each frame's delay: {@code delay + jitter · distribution.quantile(u)} for a correlated uniform
 * {@code u}, rounded to the nanosecond and never below zero. This is {@code tabledist} in
 * {@code sch_netem.c} with the table replaced by its formula ({@link DelayDistribution}); like it, a
 * link without jitter draws nothing.
 *
 * <p>One difference: the kernel reduces the correlated value modulo the table size (or 2·jitter) before
 * using it, which keeps only its low-order bits and so loses most of the correlation. tapnet feeds the
 * whole correlated value to the quantile function, which gives the correlated delays netem's
 * documentation describes (and the narrower spread that {@link CorrelatedUniform} explains).
 */
final class DelaySampler {
    private final CorrelatedUniform uniform;
    private long delayNanos;
    private long jitterNanos;
    private DelayDistribution distribution;

    DelaySampler(Xoshiro256StarStar random, Impairments.Delay settings) {
        uniform = new CorrelatedUniform(random, settings.correlation());
        set(settings);
    }

    void set(Impairments.Delay settings) {
        delayNanos = settings.delay().toNanos();
        jitterNanos = settings.jitter().toNanos();
        distribution = settings.distribution();
        uniform.setCorrelation(settings.correlation());
    }

    /** The next frame's delay in nanoseconds. */
    long next() {
        if (jitterNanos == 0) {
            return delayNanos;
        }
        double offset = distribution.quantile(uniform.next()) * jitterNanos;
        return Math.max(0, delayNanos + Math.round(offset));
    }
}
