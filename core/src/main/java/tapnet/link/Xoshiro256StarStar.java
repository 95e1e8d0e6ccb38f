package tapnet.link;

/**
 * xoshiro256** (Blackman and Vigna, 2018): a small, fast generator of 64-bit numbers with 256 bits of
 * state, seeded by expanding one 64-bit seed through SplitMix64 as its authors recommend. tapnet writes
 * its own rather than use {@link java.util.SplittableRandom} so that a seed replays the same run on any
 * JDK: the algorithm is fixed here, not in a library that may change it.
 *
 * <p>One instance per fault kind per link direction, owned by the engine thread; nothing here allocates.
 */
public final class Xoshiro256StarStar {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final double DOUBLE_UNIT = 0x1.0p-53;
    private static final long UINT32_RANGE = 1L << 32;

    private long s0;
    private long s1;
    private long s2;
    private long s3;

    public Xoshiro256StarStar(long seed) {
        long x = seed;
        s0 = SplitMix64.mix(x += GOLDEN_GAMMA);
        s1 = SplitMix64.mix(x += GOLDEN_GAMMA);
        s2 = SplitMix64.mix(x += GOLDEN_GAMMA);
        s3 = SplitMix64.mix(x + GOLDEN_GAMMA);
    }

    /** A generator in exactly this state (tests compare it with the reference implementation). */
    static Xoshiro256StarStar ofState(long s0, long s1, long s2, long s3) {
        Xoshiro256StarStar generator = new Xoshiro256StarStar(0);
        generator.s0 = s0;
        generator.s1 = s1;
        generator.s2 = s2;
        generator.s3 = s3;
        return generator;
    }

    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1), from the 53 high bits (the low bits of ** are its weakest). */
    public double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    /** Uniform in [0, bound) without modulo bias (Lemire, "Fast random integer generation in an interval", 2019). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound " + bound + " is not positive");
        }
        long product = (nextLong() >>> 32) * bound;
        long low = product & 0xffff_ffffL;
        if (low < bound) {
            long threshold = (UINT32_RANGE - bound) % bound;
            while (low < threshold) {
                product = (nextLong() >>> 32) * bound;
                low = product & 0xffff_ffffL;
            }
        }
        return (int) (product >>> 32);
    }
}
