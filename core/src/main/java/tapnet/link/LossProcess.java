package tapnet.link;

/**
 * One link direction's running loss generator: the state of a {@link LossModel} (a Markov chain's
 * current state, the last correlated value) and the generator it draws from. Called once per frame
 * (twice for a duplicated one, as netem does), on the engine thread.
 */
interface LossProcess {

    /** Decides the next frame: true if it is lost. Advances the model's state. */
    boolean loses();

    /**
     * Takes new settings of the same model kind and keeps the state; returns false (changing nothing) when
     * {@code model} is another kind, for which the caller makes a new process.
     */
    boolean update(LossModel model);

    /** A new process for {@code model}, drawing from {@code random}. */
    static LossProcess of(LossModel model, Xoshiro256StarStar random) {
        if (model instanceof LossModel.Random m) {
            return new RandomLoss(m, random);
        }
        if (model instanceof LossModel.GilbertElliott m) {
            return new GilbertElliottLoss(m, random);
        }
        return new FourStateLoss((LossModel.FourState) model, random);
    }
}
