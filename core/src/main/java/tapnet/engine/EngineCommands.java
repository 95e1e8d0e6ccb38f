package tapnet.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * The queue of calls other threads make on the engine ({@link EngineAccess}): any thread adds, the engine
 * thread runs them in its duty cycle ({@link DutyCycle#doWork}), whoever drives it.
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
        submit(() -> {
            try {
                result.complete(query.apply(engine));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Queues {@code task} for the engine thread and wakes it. */
    void submit(Runnable task) {
        commands.add(task);
        Runnable waking = wake;
        if (waking != null) {
            waking.run();
        }
    }

    /** How to wake the engine thread after a call is queued, when it waits for frames without a tick. */
    void wakeWith(Runnable waking) {
        this.wake = waking;
    }

    /**
     * Engine thread: runs what was asked, each command as a batch of its own (what it made the hosts send
     * leaves at once, frames between hosts included). Returns how many ran.
     */
    int run() {
        Runnable command;
        int ran = 0;
        while ((command = commands.poll()) != null) {
            command.run();
            engine.endOfBatch();
            ran++;
        }
        return ran;
    }
}
