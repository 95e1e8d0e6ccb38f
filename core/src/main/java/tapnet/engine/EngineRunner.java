package tapnet.engine;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import tapnet.frame.FrameSlot;

/**
 * Runs an {@link Engine} on its own thread behind an LMAX Disruptor ring of preallocated frame slots. The
 * engine thread applies frames in batches, sends owed ACKs at the end of each batch, and fires timers
 * both then and when its next deadline comes while the ring is empty ({@link EngineWaitStrategy}: no
 * tick). Control-plane requests (reading state, changing configuration) are queued, wake the engine
 * thread, and are applied between batches: the engine's state keeps a single writer.
 */
public final class EngineRunner implements AutoCloseable, EngineAccess {

    private final Engine engine;
    private final RingBuffer<FrameSlot> ring;
    private final BatchEventProcessor<FrameSlot> processor;
    private final DutyCycle duty;
    private final int slotCapacity;
    private final boolean direct;
    private Thread thread;
    private volatile Consumer<Throwable> onFailure = failed -> { };
    private volatile Throwable failure;
    private static final System.Logger LOG = System.getLogger(EngineRunner.class.getName());

    /**
     * @param ringSize     slots in the ring, a power of two
     * @param slotCapacity bytes per slot: the largest frame (MTU + 14)
     * @param direct       off-heap slot buffers, which a TAP reads into without a copy
     */
    public EngineRunner(Engine engine, int ringSize, int slotCapacity, boolean direct) {
        this(engine, ringSize, slotCapacity, direct, 0);
    }

    /**
     * As above; when the ring runs empty the engine thread keeps looking for {@code spinNanos} before it
     * blocks: a thread wake-up saved per burst while traffic flows, a busy core meanwhile.
     */
    public EngineRunner(Engine engine, int ringSize, int slotCapacity, boolean direct, long spinNanos) {
        this.engine = engine;
        this.duty = new DutyCycle(engine);
        this.slotCapacity = slotCapacity;
        this.direct = direct;
        EngineWaitStrategy wait = new EngineWaitStrategy(spinNanos, duty::nanosUntilDeadline);
        duty.wakeWith(wait::wake);
        this.ring = RingBuffer.createSingleProducer(() -> new FrameSlot(slotCapacity, direct), ringSize, wait);
        this.processor = new BatchEventProcessorBuilder().build(ring, ring.newBarrier(), new Handler());
        processor.setExceptionHandler(new Stopping());
        ring.addGatingSequences(processor.getSequence());
    }

    /**
     * Tells {@code listener} (on the engine thread) when the engine stops on an error: the thread is not
     * left to die while the reader fills a ring nobody empties.
     */
    public void onFailure(Consumer<Throwable> listener) {
        this.onFailure = listener;
    }

    /** Why the engine thread stopped on its own, or null. */
    public Throwable failure() {
        return failure;
    }

    /** An error from the engine stops it, said once, and tells the listener; nothing goes on half-done. */
    private final class Stopping implements ExceptionHandler<FrameSlot> {
        @Override
        public void handleEventException(Throwable error, long sequence, FrameSlot slot) {
            stop(error);
        }

        @Override
        public void handleOnStartException(Throwable error) {
            stop(error);
        }

        @Override
        public void handleOnShutdownException(Throwable error) {
            stop(error);
        }

        private void stop(Throwable error) {
            if (failure == null) {
                failure = error;
                LOG.log(System.Logger.Level.ERROR, "the engine stopped: " + error, error);
                processor.halt();
                onFailure.accept(error);
            }
        }
    }

    /** The producer side, for the one thread that reads frames. */
    public IngressPublisher publisher() {
        return new IngressPublisher(ring, slotCapacity, direct);
    }

    public Engine engine() {
        return engine;
    }

    public void start() {
        thread = new Thread(processor, "tapnet-engine");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Runs {@code query} on the engine thread between batches and completes with its result. The only
     * way for another thread to look at engine state beyond counters.
     */
    @Override
    public <T> CompletableFuture<T> call(Function<Engine, T> query) {
        return duty.call(query);
    }

    /**
     * The Disruptor's {@code remainingCapacity()} reads the producer's cursor and the engine's sequence,
     * both published (volatile) by their one writer: safe from any thread, and no call to the engine.
     */
    @Override
    public long ringOccupancy() {
        return ring.getBufferSize() - ring.remainingCapacity();
    }

    @Override
    public int ringCapacity() {
        return ring.getBufferSize();
    }

    /** Stops the engine thread after the frames already published. */
    @Override
    public void close() {
        processor.halt();
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final class Handler implements EventHandler<FrameSlot> {
        @Override
        public void onEvent(FrameSlot slot, long sequence, boolean endOfBatch) {
            // Behind when a quarter of the ring waits: off-subnet frames are then shed, so it drains.
            duty.behind(ring.getCursor() - sequence > ring.getBufferSize() / 4);
            if (slot.droppedBefore() > 0) {
                duty.countIngressDrops(slot.droppedBefore());
            }
            if (slot.length() > 0) {
                duty.onFrame(slot.buffer(), slot.offset(), slot.length(), slot.offload(), slot.port(), slot.receivedNanos());
            }
            if (endOfBatch) {
                duty.doWork();
            }
        }

        @Override
        public void onTimeout(long sequence) {
            duty.doWork();
        }
    }
}
