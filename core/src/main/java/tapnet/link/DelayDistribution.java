package tapnet.link;

/**
 * The shape of the delay's variation around its mean, with netem's names ({@code distribution} in
 * tc-netem(8)). The kernel draws from tables ({@code normal.dist}, {@code pareto.dist},
 * {@code paretonormal.dist}, made by iproute2's {@code netem/*.c}): each holds a quantile function
 * scaled by {@code NETEM_DIST_SCALE} = 8192 in 16-bit entries, and a delay is
 * {@code delay + jitter · table[u] / 8192} for a (correlated) uniform {@code u}. tapnet evaluates the
 * same quantile functions by formula instead of by table, with the same clamp to [-4, 4] that the
 * tables' 16-bit entries impose. Each constant's {@link #quantile} gives the offset from the delay, in
 * units of jitter, at cumulative probability {@code u}:
 *
 * <ul>
 *   <li>{@link #UNIFORM}: {@code 2u - 1}, so delays fall in [delay - jitter, delay + jitter); mean 0,
 *       standard deviation 1/√3 ≈ 0.577 jitter. netem's behaviour when no table is loaded
 *       ({@code tabledist} with {@code dist == NULL}), and tapnet's default: tc-netem(8) says the
 *       default is normal, but tc sends a table only when {@code distribution} is given.
 *   <li>{@link #NORMAL}: Φ⁻¹(u) ({@link NormalQuantile}), clamped to ±4: mean 0, standard deviation
 *       1 jitter (0.99994 after the clamp).
 *   <li>{@link #PARETO}: {@code pareto.c}'s formula: a Pareto variable X with shape 3 and scale 1
 *       ({@code X = (1 - u)^(-1/3)}), shifted by its mean 1.5 and scaled by 4/3, clamped at 4 as the
 *       table's entries are. So delays are never below delay − 2/3·jitter and never above
 *       delay + 4·jitter; mean −0.033 and standard deviation 0.821 jitter (from the clamp, not 1).
 *   <li>{@link #PARETONORMAL}: {@code paretonormal.c}'s {@code (normal + 3·pareto)/4} taken at the same
 *       {@code u}: a weighted sum of the two quantile functions, 25% normal and 75% Pareto, not a
 *       mixture that picks one or the other; mean −0.025 and standard deviation 0.835 jitter.
 * </ul>
 * Delays below zero are sent at once (the link never delivers a frame before it was sent).
 */
public enum DelayDistribution {
    UNIFORM {
        @Override
        public double quantile(double u) {
            return 2 * u - 1;
        }
    },
    NORMAL {
        @Override
        public double quantile(double u) {
            return clamp(NormalQuantile.of(u));
        }
    },
    PARETO {
        @Override
        public double quantile(double u) {
            return pareto(u);
        }
    },
    PARETONORMAL {
        @Override
        public double quantile(double u) {
            return 0.25 * clamp(NormalQuantile.of(u)) + 0.75 * pareto(u);
        }
    };

    /** netem's tables hold 16-bit values over NETEM_DIST_SCALE = 8192: nothing beyond ±4 jitters. */
    static final double TABLE_LIMIT = 4.0;
    /** pareto.c's shape parameter {@code a}. */
    static final double PARETO_SHAPE = 3.0;

    /** The delay's offset from its mean, in units of jitter, at cumulative probability u in [0, 1). */
    public abstract double quantile(double u);

    private static double clamp(double value) {
        return Math.max(-TABLE_LIMIT, Math.min(TABLE_LIMIT, value));
    }

    /** pareto.c: {@code (1/pow(1 - u, 1/a) - 1.5) · 4/3}, with a = 3 (1.5 is the Pareto's mean a/(a-1)). */
    private static double pareto(double u) {
        double x = 1 / Math.cbrt(1 - u);
        return Math.min(TABLE_LIMIT, (x - 1.5) * (4.0 / 3.0));
    }
}
