package tapnet.engine;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import tapnet.frame.FrameIntake;
import tapnet.frame.FrameSlot;

/**
 * The engine run by the device's reader thread itself, without the ring: each frame read goes straight
 * into the engine, timers fire when the reader has waited a millisecond. One thread, so one wake-up per
 * burst of frames instead of two (reader, then engine); the reader thread becomes the engine's single
 * writer. Control-plane calls are queued and run between bursts, as with {@link EngineRunner}.
 */
public final class DirectIntake implements FrameIntake, EngineAccess {
    private static final int TIMER_TICK_MILLIS = 1;

    private final Engine engine;
    private final FrameSlot slot;
    private final EngineCommands commands;

    public DirectIntake(Engine engine, int slotCapacity) {
        this.engine = engine;
        this.commands = new EngineCommands(engine);
        this.slot = new FrameSlot(slotCapacity, true);
    }

    public Engine engine() {
        return engine;
    }

    @Override
    public FrameSlot claim() {
        return slot;
    }

    @Override
    public boolean publish(int device, int offset, int length, long offload, long receivedNanos) {
        engine.onFrame(slot.buffer(), offset, length, offload, device);
        return true;
    }

    @Override
    public void abandon() {
    }

    @Override
    public void endOfBurst() {
        engine.endOfBatch();
        engine.pollTimers();
        commands.run();
    }

    @Override
    public int waitMillis() {
        return TIMER_TICK_MILLIS;
    }

    @Override
    public void idle() {
        engine.pollTimers();
        commands.run();
    }

    /** Runs {@code query} on the reader thread between bursts (within a millisecond). */
    @Override
    public <T> CompletableFuture<T> call(Function<Engine, T> query) {
        return commands.call(query);
    }
}
