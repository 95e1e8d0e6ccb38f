package tapnet.select;

import java.util.SplittableRandom;

/**
 * The state of a list of rules' {@link Selector}s: how many events each {@link Selector.First} has hit,
 * and for each {@link Selector.Probability} a generator of its own, split from one seed, so that the same
 * seed and the same events give the same choices, and adding a rule does not change the others' draws.
 * Asking allocates nothing. One thread only.
 */
public final class Selections {
    private final Selector[] selectors;
    private final int[] hits;
    private final SplittableRandom[] random;

    public Selections(Selector[] selectors, long seed) {
        this.selectors = selectors.clone();
        this.hits = new int[selectors.length];
        this.random = new SplittableRandom[selectors.length];
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int i = 0; i < selectors.length; i++) {
            random[i] = seeds.split(); // one generator per rule: adding a rule does not change the others' draws
        }
    }

    /** Whether rule {@code i} hits this event: it counts it, or draws once for it. */
    public boolean selects(int i) {
        Selector s = selectors[i];
        if (s instanceof Selector.First first) {
            return hits[i]++ < first.count();
        }
        if (s instanceof Selector.Probability p) {
            return random[i].nextDouble() < p.probability();
        }
        return true;
    }
}
