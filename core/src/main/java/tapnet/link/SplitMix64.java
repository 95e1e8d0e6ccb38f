package tapnet.link;

/**
 * SplitMix64's output function (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
 * 2014): a bijective 64-bit mixer. It seeds {@link Xoshiro256StarStar} and derives independent seeds
 * from one, so that neighbouring inputs (link 1, link 2; loss, delay) give unrelated outputs.
 */
public final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private SplitMix64() {
    }

    /** The mixed value of {@code z}: every input bit affects every output bit. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * A seed for stream {@code stream} of {@code seed}: {@code derive(derive(topologySeed, linkIndex), direction)}
     * gives each direction of each link its own seed, and {@link LinkDirection} derives one per fault kind.
     */
    public static long derive(long seed, long stream) {
        // The stream number is mixed on its own first, so that streams 0, 1, 2 land far apart before the seed is added.
        return mix(seed + mix(GOLDEN_GAMMA * (stream + 1)));
    }
}
