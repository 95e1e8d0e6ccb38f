package tapnet.link;

/**
 * netem's {@code corrupt PERCENT [CORRELATION]}: a corrupted frame has one bit flipped, at a byte
 * offset drawn uniformly over the whole frame (Ethernet header included, as the kernel flips
 * {@code skb->data[get_random_u32_below(skb_headlen(skb))]}) and a bit drawn uniformly from its 8.
 * The decision and the position come from the same generator, in that order.
 */
final class Corruption {
    private final Xoshiro256StarStar random;
    private final CorrelatedChance chance;
    private int offset;
    private int mask;

    Corruption(Xoshiro256StarStar random, Impairments.Chance settings) {
        this.random = random;
        this.chance = new CorrelatedChance(random, settings);
    }

    void set(Impairments.Chance settings) {
        chance.set(settings);
    }

    /** Decides the next frame: true if it is corrupted, and then {@link #offset} and {@link #mask} say where. */
    boolean strikes(int frameLength) {
        if (!chance.happens() || frameLength <= 0) {
            return false;
        }
        offset = random.nextInt(frameLength);
        mask = 1 << random.nextInt(Byte.SIZE);
        return true;
    }

    /** The byte to flip, counted from the frame's first byte; valid after {@link #strikes} returned true. */
    int offset() {
        return offset;
    }

    /** The bit to flip in that byte, 1 to 128; valid after {@link #strikes} returned true. */
    int mask() {
        return mask;
    }
}
