package tapnet.link;

/** netem's {@code loss random PERCENT [CORRELATION]} ({@code CLG_RANDOM} in {@code sch_netem.c}). */
final class RandomLoss implements LossProcess {
    private final CorrelatedChance chance;

    RandomLoss(LossModel.Random model, Xoshiro256StarStar random) {
        chance = new CorrelatedChance(random, new Impairments.Chance(model.probability(), model.correlation()));
    }

    @Override
    public boolean loses() {
        return chance.happens();
    }

    @Override
    public boolean update(LossModel model) {
        if (!(model instanceof LossModel.Random m)) {
            return false;
        }
        chance.set(new Impairments.Chance(m.probability(), m.correlation()));
        return true;
    }
}
