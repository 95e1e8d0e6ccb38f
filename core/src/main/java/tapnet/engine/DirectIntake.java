package tapnet.engine;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import tapnet.frame.FrameIntake;
import tapnet.frame.FrameSlot;
import tapnet.time.TimerWheel;

/**
 * The engine run by the device's reader thread itself, without the ring: each frame read goes straight
 * into the engine. One thread, so one wake-up per burst of frames instead of two (reader, then engine);
 * the reader thread becomes the engine's single writer. Between frames the reader waits exactly until the
 * engine's next deadline (a timer, a frame a link holds), or for ever when there is none: an idle engine
 * costs no CPU. Control-plane calls are queued, wake the reader, and run between bursts, as with
 * {@link EngineRunner}.
 */
public final class DirectIntake implements FrameIntake, EngineAccess {

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
    public void behind(boolean value) {
        engine.behind(value);
    }

    @Override
    public void endOfBurst() {
        engine.endOfBatch();
        engine.pollTimers();
        commands.run();
    }

    @Override
    public long waitNanos() {
        long deadline = engine.nextDeadline();
        return deadline == TimerWheel.NONE ? -1 : Math.max(0, deadline - engine.clock().nanos());
    }

    @Override
    public void wakeWith(Runnable wake) {
        commands.wakeWith(wake);
    }

    @Override
    public void idle() {
        engine.pollTimers();
        commands.run();
    }

    /** Runs {@code query} on the reader thread between bursts, waking it when it waits. */
    @Override
    public <T> CompletableFuture<T> call(Function<Engine, T> query) {
        return commands.call(query);
    }
}
