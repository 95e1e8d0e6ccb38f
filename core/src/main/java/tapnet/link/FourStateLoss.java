package tapnet.link;

/**
 * netem's {@code loss state p13 p31 p32 p23 p14} ({@code loss_4state} in {@code sch_netem.c}): one draw
 * per frame picks the next state among those the current one may move to; the frame is lost when that
 * state is 3 (burst loss) or 4 (isolated loss). Starts in state 1.
 */
final class FourStateLoss implements LossProcess {
    private static final int RECEIVED_IN_GAP = 1;
    private static final int RECEIVED_IN_BURST = 2;
    private static final int LOST_IN_BURST = 3;
    private static final int LOST_IN_GAP = 4;

    private final Xoshiro256StarStar random;
    private LossModel.FourState model;
    private int state = RECEIVED_IN_GAP;

    FourStateLoss(LossModel.FourState model, Xoshiro256StarStar random) {
        this.random = random;
        this.model = model;
    }

    @Override
    public boolean loses() {
        double u = random.nextDouble();
        switch (state) {
            case RECEIVED_IN_GAP -> {
                // The kernel tests p14 first, then p13 above it, on the same draw.
                if (u < model.p14()) {
                    state = LOST_IN_GAP;
                } else if (u < model.p14() + model.p13()) {
                    state = LOST_IN_BURST;
                }
            }
            case RECEIVED_IN_BURST -> {
                if (u < model.p23()) {
                    state = LOST_IN_BURST;
                }
            }
            case LOST_IN_BURST -> {
                if (u < model.p32()) {
                    state = RECEIVED_IN_BURST;
                } else if (u < model.p32() + model.p31()) {
                    state = RECEIVED_IN_GAP;
                }
            }
            default -> state = RECEIVED_IN_GAP; // LOST_IN_GAP always returns to the gap
        }
        return state == LOST_IN_BURST || state == LOST_IN_GAP;
    }

    @Override
    public boolean update(LossModel next) {
        if (!(next instanceof LossModel.FourState m)) {
            return false;
        }
        model = m;
        return true;
    }
}
