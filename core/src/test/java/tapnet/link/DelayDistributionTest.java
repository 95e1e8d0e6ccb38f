package tapnet.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Delays and jitter: each distribution's mean and spread, netem's tables, correlation. */
class DelayDistributionTest {
    private static final int FRAMES = 200_000;
    private static final long DELAY = 100_000_000;
    private static final long JITTER = 10_000_000;
    private static final long NOW = 5_000_000_000L;

    /** pareto.c clamps the table at 4, so X = (1−u)^(−1/3) is capped at c = 1.5 + 4·3/4. */
    private static final double PARETO_CAP = 1.5 + 0.75 * DelayDistribution.TABLE_LIMIT;
    /** For Pareto(shape 3, scale 1): E[min(X, c)] = 1 + ∫₁ᶜ t⁻³ dt and E[min(X, c)²] = 1 + ∫₁ᶜ 2t·t⁻³ dt. */
    private static final double PARETO_CAPPED_MEAN = 1.5 - 1 / (2 * PARETO_CAP * PARETO_CAP);
    private static final double PARETO_CAPPED_SQUARE = 3 - 2 / PARETO_CAP;
    private static final double PARETO_MEAN = 4.0 / 3 * (PARETO_CAPPED_MEAN - 1.5);
    private static final double PARETO_SD = 4.0 / 3
            * Math.sqrt(PARETO_CAPPED_SQUARE - PARETO_CAPPED_MEAN * PARETO_CAPPED_MEAN);

    @Test
    void uniformJitterStaysWithinDelayPlusOrMinusJitter() {
        double[] delays = delays(DelayDistribution.UNIFORM, 0, 31);
        for (double d : delays) {
            assertTrue(d >= DELAY - JITTER && d <= DELAY + JITTER, "delay " + d);
        }
        assertMoments(delays, 0, 1 / Math.sqrt(3));
    }

    @Test
    void normalDelayHasTheSetMeanAndJitterAsStandardDeviation() {
        // The clamp at ±4 jitters trims the standard deviation to 0.99994 (E[min(|Z|, 4)²] = 0.99988).
        assertMoments(delays(DelayDistribution.NORMAL, 0, 32), 0, 0.99994);
    }

    @Test
    void paretoDelayHasNetemsShapeMeanAndSpread() {
        double[] delays = delays(DelayDistribution.PARETO, 0, 33);
        assertMoments(delays, PARETO_MEAN, PARETO_SD);
        for (double d : delays) {
            assertTrue(d >= DELAY - 2.0 / 3 * JITTER - 1 && d <= DELAY + 4 * JITTER + 1, "delay " + d);
        }
    }

    @Test
    void paretonormalDelayIsAQuarterNormalThreeQuartersPareto() {
        // Mean: the normal part is symmetric, so ¾ of Pareto's. Deviation: the two quantile functions are
        // added at the same u (comonotonic), 0.834941 by numerical integration over 2·10⁶ midpoints.
        assertMoments(delays(DelayDistribution.PARETONORMAL, 0, 34), 0.75 * PARETO_MEAN, 0.834941);
    }

    /**
     * Entries 256, 512, … 3840 of the tables that iproute2's netem/normal.c, pareto.c and paretonormal.c
     * print (compiled and run); entry k is the quantile at u = k/4096.
     */
    @Test
    void quantileFunctionsMatchNetemsTables() {
        int[] normal = {-12566, -9423, -7267, -5525, -4003, -2610, -1288, 0, 1289, 2611, 4005, 5526, 7268, 9424, 12569};
        int[] pareto = {-5224, -4964, -4679, -4362, -4008, -3609, -3152, -2622, -1996, -1237, -288, 955, 2700, 5461, 11139};
        int[] paretonormal = {-7059, -6078, -5326, -4652, -4006, -3359, -2686, -1966, -1174, -275, 785, 2097, 3842,
                6451, 11496};
        for (int i = 0; i < normal.length; i++) {
            double u = (i + 1) * 256 / 4096.0;
            // Table entries are rounded to 1/8192 and normal.c's inverse is found by a search in steps of 0.00005.
            assertEquals(normal[i], 8192 * DelayDistribution.NORMAL.quantile(u), 3, "normal at u = " + u);
            assertEquals(pareto[i], 8192 * DelayDistribution.PARETO.quantile(u), 1, "pareto at u = " + u);
            assertEquals(paretonormal[i], 8192 * DelayDistribution.PARETONORMAL.quantile(u), 3, "paretonormal at u = " + u);
        }
    }

    @Test
    void withoutJitterEveryFrameGetsExactlyTheDelay() {
        for (double d : delays(DelayDistribution.NORMAL, 0, 35, 0)) {
            assertEquals(DELAY, d);
        }
    }

    @Test
    void aDelayNeverGoesBelowZero() {
        LinkDirection link = new LinkDirection(Impairments.NONE.withDelay(Duration.ofMillis(1), Duration.ofMillis(10)), 36);
        Verdict verdict = new Verdict();
        int atOnce = 0;
        for (int i = 0; i < 10_000; i++) {
            link.decide(100, NOW, verdict);
            assertTrue(verdict.releaseNanos(0) >= NOW);
            if (verdict.releaseNanos(0) == NOW) {
                atOnce++;
            }
        }
        // Uniform over [−9 ms, 11 ms): 45% would be negative and go at once instead.
        Statistics.assertBinomial("frames sent at once", atOnce, 10_000, 0.45);
    }

    /**
     * netem's correlation on uniform jitter makes consecutive delays correlated by ρ (the correlated
     * value is an AR(1) process) and narrows their spread by √((1−ρ)/(1+ρ)): the skew tc-netem users know.
     */
    @Test
    void correlatedJitterIsAutocorrelatedAndNarrower() {
        double rho = 0.5;
        double[] delays = delays(DelayDistribution.UNIFORM, rho, 37);
        Statistics.Moments moments = Statistics.moments(delays);
        double lag1 = 0;
        for (int i = 1; i < delays.length; i++) {
            lag1 += (delays[i] - moments.mean()) * (delays[i - 1] - moments.mean());
        }
        lag1 /= (delays.length - 1) * moments.sd() * moments.sd();
        // The lag-1 autocorrelation of an AR(1) sample has standard error about √((1 − ρ²)/n).
        Statistics.assertWithin("lag-1 autocorrelation", lag1, rho, Math.sqrt((1 - rho * rho) / delays.length));
        assertMoments(delays, 0, Math.sqrt((1 - rho) / (1 + rho)) / Math.sqrt(3), Math.sqrt((1 + rho) / (1 - rho)));
    }

    private static void assertMoments(double[] delays, double meanJitters, double sdJitters) {
        assertMoments(delays, meanJitters, sdJitters, 1);
    }

    /**
     * {@code inflation}: how much wider the standard errors are than for independent draws. For an AR(1)
     * sequence with coefficient ρ the mean's is √((1+ρ)/(1−ρ)) times wider and the variance's
     * √((1+ρ²)/(1−ρ²)), less, so the first covers both.
     */
    private static void assertMoments(double[] delays, double meanJitters, double sdJitters, double inflation) {
        Statistics.Moments moments = Statistics.moments(delays);
        Statistics.assertWithin("mean delay", moments.mean(), DELAY + meanJitters * JITTER,
                moments.meanError() * inflation);
        Statistics.assertWithin("delay standard deviation", moments.sd(), sdJitters * JITTER,
                moments.sdError() * inflation);
    }

    private static double[] delays(DelayDistribution distribution, double correlation, long seed) {
        return delays(distribution, correlation, seed, JITTER);
    }

    private static double[] delays(DelayDistribution distribution, double correlation, long seed, long jitter) {
        LinkDirection link = new LinkDirection(Impairments.NONE
                .withDelay(Duration.ofNanos(DELAY), Duration.ofNanos(jitter), correlation)
                .withDistribution(distribution), seed);
        Verdict verdict = new Verdict();
        double[] delays = new double[FRAMES];
        for (int i = 0; i < FRAMES; i++) {
            link.decide(1000, NOW + i, verdict);
            delays[i] = verdict.releaseNanos(0) - (NOW + i);
        }
        return delays;
    }
}
