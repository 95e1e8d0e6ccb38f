package tapnet.link;

/**
 * "Does it happen to this frame?" for netem's percentages with correlation: loss (random), duplicate,
 * corrupt and reorder. As in {@code sch_netem.c}, a probability of 0 draws nothing (so an unused fault
 * leaves its generator where it was), and otherwise the event happens when the
 * {@linkplain CorrelatedUniform correlated value} falls below the probability.
 */
final class CorrelatedChance {
    private final CorrelatedUniform uniform;
    private double probability;

    CorrelatedChance(Xoshiro256StarStar random, Impairments.Chance chance) {
        this.uniform = new CorrelatedUniform(random, chance.correlation());
        this.probability = chance.probability();
    }

    void set(Impairments.Chance chance) {
        uniform.setCorrelation(chance.correlation());
        probability = chance.probability();
    }

    boolean happens() {
        return probability > 0 && uniform.next() < probability;
    }
}
