package tapnet.link;

/**
 * netem's {@code reorder PERCENT [CORRELATION] gap DISTANCE}, as {@code netem_enqueue} decides it: a
 * frame is delayed while fewer than {@code gap - 1} frames have been delayed since the last one sent at
 * once; after that it is sent at once with the reorder probability, and the count starts over. The
 * probability is drawn only once the gap is reached, as in the kernel.
 */
final class Reordering {
    private final CorrelatedChance chance;
    private Impairments.Reorder settings;
    /** Frames delayed since the last one sent at once; stops counting at the gap, past which only the draw matters. */
    private int delayedSinceLast;

    Reordering(Xoshiro256StarStar random, Impairments.Reorder settings) {
        this.chance = new CorrelatedChance(random, chanceOf(settings));
        this.settings = settings;
    }

    /** New settings; as netem does on a change, the count starts over (only when the reorder settings change). */
    void set(Impairments.Reorder next) {
        if (!next.equals(settings)) {
            chance.set(chanceOf(next));
            delayedSinceLast = 0;
            settings = next;
        }
    }

    /** Decides the next frame: true if it is sent at once, ahead of the frames being delayed. */
    boolean sendsAtOnce() {
        int gap = settings.gap();
        if (gap == 0 || delayedSinceLast < gap - 1 || !chance.happens()) {
            if (delayedSinceLast < gap) {
                delayedSinceLast++;
            }
            return false;
        }
        delayedSinceLast = 0;
        return true;
    }

    private static Impairments.Chance chanceOf(Impairments.Reorder settings) {
        return new Impairments.Chance(settings.probability(), settings.correlation());
    }
}
