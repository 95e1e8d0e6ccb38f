package tapnet.link;

/**
 * netem's {@code loss gemodel p r 1-h 1-k} ({@code loss_gilb_ell} in {@code sch_netem.c}). For each frame
 * it first draws the state change (good to bad with p, bad to good with r), then whether the frame is
 * lost with the loss probability of the state the frame arrived in (1-k in good, 1-h in bad): two
 * draws per frame, in that order, as the kernel makes them. Starts in the good state.
 */
final class GilbertElliottLoss implements LossProcess {
    private final Xoshiro256StarStar random;
    private LossModel.GilbertElliott model;
    private boolean bad;

    GilbertElliottLoss(LossModel.GilbertElliott model, Xoshiro256StarStar random) {
        this.random = random;
        this.model = model;
    }

    @Override
    public boolean loses() {
        if (bad) {
            if (random.nextDouble() < model.r()) {
                bad = false;
            }
            return random.nextDouble() < model.oneMinusH();
        }
        if (random.nextDouble() < model.p()) {
            bad = true;
        }
        return random.nextDouble() < model.oneMinusK();
    }

    @Override
    public boolean update(LossModel next) {
        if (!(next instanceof LossModel.GilbertElliott m)) {
            return false;
        }
        model = m;
        return true;
    }
}
