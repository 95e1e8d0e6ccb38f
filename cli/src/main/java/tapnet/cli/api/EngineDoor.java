package tapnet.cli.api;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import tapnet.build.EngineActions;
import tapnet.engine.Engine;
import tapnet.engine.EngineAccess;
import tapnet.topology.Action;

/**
 * The API's way to the engine: a query or a change runs on the engine thread, between batches, and is
 * waited for at most {@link #TIMEOUT_SECONDS} (then 503). Changes go through {@link EngineActions}, the
 * path of every change, all of a request's in one engine call, and are recorded in {@link RunChanges}.
 */
final class EngineDoor {
    /** How long a request waits for the engine thread before it gives up. */
    static final long TIMEOUT_SECONDS = 5;

    private final EngineAccess engine;
    private final RunChanges changes;

    EngineDoor(EngineAccess engine, RunChanges changes) {
        this.engine = engine;
        this.changes = changes;
    }

    RunChanges changes() {
        return changes;
    }

    EngineAccess access() {
        return engine;
    }

    /** {@code query}'s answer, from the engine thread. */
    <T> T call(Function<Engine, T> query) {
        try {
            return engine.call(query).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new ApiException(503, "the engine did not answer within " + TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while waiting for the engine");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException api) {
                throw api;
            }
            if (e.getCause() instanceof IllegalArgumentException | e.getCause() instanceof IllegalStateException) {
                throw new ApiException(409, e.getCause().getMessage());
            }
            throw new ApiException(500, "tapnet could not do it: " + e.getCause());
        }
    }

    /** Applies {@code actions}, in order, in one engine call, as {@code source} asked; then {@code answer}'s answer. */
    <T> T apply(List<Action> actions, String source, Function<Engine, T> answer) {
        return call(e -> {
            applyHere(e, actions, source);
            return answer.apply(e);
        });
    }

    /** Applies {@code actions} from within an engine call (a change that reads the engine first). Engine thread. */
    void applyHere(Engine e, List<Action> actions, String source) {
        for (Action action : actions) {
            EngineActions.apply(e, action);
            changes.applied(source, action);
        }
    }
}
