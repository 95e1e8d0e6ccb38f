package tapnet.engine;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * How another thread reaches the engine: {@code query} runs on the engine's own thread, between batches,
 * and the future completes with its result (or its exception). The control socket, scripted runs and
 * tests all go this way; {@link #DIRECT} runs it on the caller's thread, for an engine the caller owns (a
 * simulated run, a test).
 */
public interface EngineAccess {
    <T> CompletableFuture<T> call(Function<Engine, T> query);

    /** Slots of the ingress ring holding frames not yet applied, now; 0 without a ring. Any thread. */
    default long ringOccupancy() {
        return 0;
    }

    /** Slots of the ingress ring; 0 when frames reach the engine without one (a direct engine). */
    default int ringCapacity() {
        return 0;
    }

    /** An engine the calling thread owns: the query runs at once. */
    static EngineAccess direct(Engine engine) {
        return new EngineAccess() {
            @Override
            public <T> CompletableFuture<T> call(Function<Engine, T> query) {
                try {
                    return CompletableFuture.completedFuture(query.apply(engine));
                } catch (RuntimeException e) {
                    return CompletableFuture.failedFuture(e);
                }
            }
        };
    }
}
