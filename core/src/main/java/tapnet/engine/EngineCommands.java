package tapnet.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * The queue of calls other threads make on the engine ({@link EngineAccess}): any thread adds, the engine
 * thread runs them between batches ({@link #run}), the ring's runner and the direct intake alike.
 */
final class EngineCommands implements EngineAccess {
    private final Engine engine;
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    /** Wakes the engine thread when it may be waiting for a frame that does not come; null when it polls anyway. */
    private volatile Runnable wake;

    EngineCommands(Engine engine) {
        this.engine = engine;
    }

    @Override
    public <T> CompletableFuture<T> call(Function<Engine, T> query) {
        CompletableFuture<T> result = new CompletableFuture<>();
        commands.add(() -> {
            try {
                result.complete(query.apply(engine));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        Runnable waking = wake;
        if (waking != null) {
            waking.run();
        }
        return result;
    }

    /** How to wake the engine thread after a call is queued, when it waits for frames without a tick. */
    void wakeWith(Runnable waking) {
        this.wake = waking;
    }

    /** Engine thread: runs what was asked; when that left frames between hosts to deliver, they go now, not a tick later. */
    void run() {
        Runnable command;
        boolean ran = false;
        while ((command = commands.poll()) != null) {
            command.run();
            ran = true;
        }
        if (ran && engine.owesDelivery()) {
            engine.pollTimers();
        }
    }
}
