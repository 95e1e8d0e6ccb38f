package tapnet.engine;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import tapnet.time.Deadline;

/**
 * The engine's one duty cycle, in the manner of Aeron's {@code Agent}. Whoever drives the engine (the
 * ring's consumer thread, the device reader in direct mode, a simulated timeline) hands it the frames of a
 * batch ({@link #onFrame}) and then calls {@link #doWork}: the batch ends (owed ACKs, frames between hosts,
 * flush), what is due runs (timers and held frames, from the engine's one deadline), and the commands other
 * threads queued apply, each as a batch of its own. Between turns the driver waits at most
 * {@link #nanosUntilDeadline}, or until {@link #wakeWith}'s callback says a command came; how it waits
 * (blocking on the ring, polling the devices, moving a virtual clock) is the driver's. One thread runs it;
 * {@link #call} is for any thread.
 */
public final class DutyCycle implements EngineAccess {
    private final Engine engine;
    private final EngineCommands commands;
    /** Frames handed in since the last {@link #doWork}. */
    private int frames;

    public DutyCycle(Engine engine) {
        this.engine = engine;
        this.commands = new EngineCommands(engine);
    }

    public Engine engine() {
        return engine;
    }

    /** A frame of the current batch, from {@code device}, read at {@code receivedNanos} (see {@link Engine#onFrame}). */
    public void onFrame(ByteBuffer buffer, int offset, int length, long offload, int device, long receivedNanos) {
        engine.onFrame(buffer, offset, length, offload, device, receivedNanos);
        frames++;
    }

    /** Whether the driver is behind its devices: the engine sheds what it can drop first. */
    public void behind(boolean value) {
        engine.behind(value);
    }

    /** Frames the driver dropped before the engine saw them (a full ring). */
    public void countIngressDrops(int dropped) {
        engine.countIngressDrops(dropped);
    }

    /**
     * One turn: ends the batch, runs what is due, applies queued commands. Returns the work done (frames of
     * the batch and commands), for a driver whose waiting depends on it.
     */
    public int doWork() {
        int work = frames;
        frames = 0;
        engine.endOfBatch();
        engine.pollTimers();
        return work + commands.run();
    }

    /** The engine's next deadline (a timer, a held frame), or {@link Deadline#NONE}. */
    public long nextDeadline() {
        return engine.nextDeadline();
    }

    /** How long the driver may wait before the next {@link #doWork}: 0 now, -1 for as long as it takes. */
    public long nanosUntilDeadline() {
        return Deadline.nanosUntil(engine.nextDeadline(), engine.clock().nanos());
    }

    /** How to wake the driver when a command is queued while it waits. */
    public void wakeWith(Runnable wake) {
        commands.wakeWith(wake);
    }

    /** Runs {@code task} on the engine thread at the next {@link #doWork}, as a command. */
    public void submit(Runnable task) {
        commands.submit(task);
    }

    /** Runs {@code query} on the engine thread at the next {@link #doWork} and completes with its result. */
    @Override
    public <T> CompletableFuture<T> call(Function<Engine, T> query) {
        return commands.call(query);
    }
}
