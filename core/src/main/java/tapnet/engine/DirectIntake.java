package tapnet.engine;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import tapnet.frame.FrameIntake;
import tapnet.frame.FrameSlot;

/**
 * The engine run by the device's reader thread itself, without the ring: each frame read goes straight
 * into the engine. One thread, so one wake-up per burst of frames instead of two (reader, then engine);
 * the reader thread becomes the engine's single writer. Between frames the reader waits exactly until the
 * engine's next deadline (a timer, a frame a link holds), or for ever when there is none: an idle engine
 * costs no CPU. Control-plane calls are queued, wake the reader, and run between bursts, as with
 * {@link EngineRunner}.
 */
public final class DirectIntake implements FrameIntake, EngineAccess {

    private final DutyCycle duty;
    private final FrameSlot slot;

    public DirectIntake(Engine engine, int slotCapacity) {
        this.duty = new DutyCycle(engine);
        this.slot = new FrameSlot(slotCapacity, true);
    }

    public Engine engine() {
        return duty.engine();
    }

    @Override
    public FrameSlot claim() {
        return slot;
    }

    @Override
    public boolean publish(int device, int offset, int length, long offload, long receivedNanos) {
        duty.onFrame(slot.buffer(), offset, length, offload, device, receivedNanos);
        return true;
    }

    @Override
    public void abandon() {
    }

    @Override
    public void behind(boolean value) {
        duty.behind(value);
    }

    @Override
    public void endOfBurst() {
        duty.doWork();
    }

    @Override
    public long waitNanos() {
        return duty.nanosUntilDeadline();
    }

    @Override
    public void wakeWith(Runnable wake) {
        duty.wakeWith(wake);
    }

    @Override
    public void idle() {
        duty.doWork();
    }

    /** Runs {@code query} on the reader thread between bursts, waking it when it waits. */
    @Override
    public <T> CompletableFuture<T> call(Function<Engine, T> query) {
        return duty.call(query);
    }
}
