package tapnet.link;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance bounds for the statistical tests, each at 99.99% confidence: a correct implementation fails
 * a given check with probability at most 1 in 10,000 for a random seed. The tests use fixed seeds, so
 * they pass or fail the same way every run; the bounds make sure passing means something.
 */
final class Statistics {
    /** Φ⁻¹(1 − 0.0001/2): a two-sided 99.99% bound is this many standard errors wide on each side. */
    static final double Z_9999 = 3.890591886413094;
    static final double ALPHA = 1e-4;

    private Statistics() {
    }

    /**
     * The exact binomial acceptance interval [low, high] for successes in {@code n} trials of probability
     * {@code p}: P(X &lt; low) ≤ α/2 and P(X &gt; high) ≤ α/2, from the probability mass function summed
     * term by term (no normal approximation).
     */
    static long[] binomialInterval(int n, double p, double alpha) {
        double[] pmf = new double[n + 1];
        double logP = Math.log(p);
        double logQ = Math.log1p(-p);
        double log = n * logQ;
        for (int k = 0; k <= n; k++) {
            pmf[k] = Math.exp(log);
            if (k < n) {
                log += Math.log(n - k) - Math.log(k + 1) + logP - logQ;
            }
        }
        long low = 0;
        double below = 0;
        while (below + pmf[(int) low] <= alpha / 2) {
            below += pmf[(int) low];
            low++;
        }
        long high = n;
        double above = 0;
        while (above + pmf[(int) high] <= alpha / 2) {
            above += pmf[(int) high];
            high--;
        }
        return new long[] {low, high};
    }

    static void assertBinomial(String what, long successes, int n, double p) {
        long[] bounds = binomialInterval(n, p, ALPHA);
        assertTrue(successes >= bounds[0] && successes <= bounds[1], what + ": " + successes + " of " + n
                + " outside the 99.99% binomial interval [" + bounds[0] + ", " + bounds[1] + "] for p = " + p);
    }

    /** |actual − expected| ≤ Z·standardError. */
    static void assertWithin(String what, double actual, double expected, double standardError) {
        double bound = Z_9999 * standardError;
        assertTrue(Math.abs(actual - expected) <= bound, what + ": " + actual + " differs from " + expected
                + " by more than " + bound + " (99.99%: " + Z_9999 + " standard errors of " + standardError + ")");
    }

    /**
     * The share of true values in a stationary, correlated 0/1 sequence (a Markov chain's losses), with
     * its standard error by batch means: the sequence cut in {@code batches} long batches whose shares are
     * nearly independent, so their spread gives the standard error of the overall share.
     */
    static double[] shareWithBatchError(boolean[] values, int batches) {
        int perBatch = values.length / batches;
        double sum = 0;
        double sumSquares = 0;
        for (int b = 0; b < batches; b++) {
            int ones = 0;
            for (int i = b * perBatch; i < (b + 1) * perBatch; i++) {
                if (values[i]) {
                    ones++;
                }
            }
            double share = (double) ones / perBatch;
            sum += share;
            sumSquares += share * share;
        }
        double mean = sum / batches;
        double variance = (sumSquares - batches * mean * mean) / (batches - 1);
        return new double[] {mean, Math.sqrt(variance / batches)};
    }

    /** Mean, standard deviation and the standard errors of both, from the sample's own moments. */
    static Moments moments(double[] xs) {
        int n = xs.length;
        double mean = 0;
        for (double x : xs) {
            mean += x;
        }
        mean /= n;
        double m2 = 0;
        double m4 = 0;
        for (double x : xs) {
            double d = (x - mean) * (x - mean);
            m2 += d;
            m4 += d * d;
        }
        m2 /= n;
        m4 /= n;
        double sd = Math.sqrt(m2);
        // Var(s²) ≈ (μ4 − σ⁴)/n; by the delta method se(s) ≈ se(s²)/(2s).
        double sdError = Math.sqrt((m4 - m2 * m2) / n) / (2 * sd);
        return new Moments(mean, sd, sd / Math.sqrt(n), sdError);
    }

    record Moments(double mean, double sd, double meanError, double sdError) {
    }
}
