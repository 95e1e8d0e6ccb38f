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
