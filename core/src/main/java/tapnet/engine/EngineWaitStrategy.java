package tapnet.engine;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * How the ring's engine thread waits for frames: it keeps looking for {@code spinNanos}, then sleeps until
 * a frame is published, a command is queued ({@link #wake()}), or the engine's next deadline comes, which
 * it reports as a timeout so that the engine fires its timers. No tick: an idle engine sleeps until it has
 * something to do. The sleep is Disruptor's lite blocking one (a lock only when the consumer may be
 * asleep), with the deadline in place of a fixed timeout.
 */
final class EngineWaitStrategy implements WaitStrategy {
    private final long spinNanos;
    /** Nanoseconds until the engine's next deadline, -1 when it has none; read on the engine thread. */
    private final LongSupplier untilDeadline;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition published = lock.newCondition();
    private final AtomicBoolean signalNeeded = new AtomicBoolean();
    /** A command waits: the engine thread should leave its sleep and run it. Guarded by {@link #lock}. */
    private boolean woken;

    EngineWaitStrategy(long spinNanos, LongSupplier untilDeadline) {
        this.spinNanos = spinNanos;
        this.untilDeadline = untilDeadline;
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException, InterruptedException, TimeoutException {
        if (cursor.get() < sequence) {
            spin(sequence, cursor, barrier);
        }
        if (cursor.get() < sequence) {
            sleep(sequence, cursor, barrier);
        }
        long available;
        while ((available = dependentSequence.get()) < sequence) {
            barrier.checkAlert();
            Thread.onSpinWait();
        }
        return available;
    }

    private void spin(long sequence, Sequence cursor, SequenceBarrier barrier) throws AlertException {
        if (spinNanos <= 0) {
            return;
        }
        long until = System.nanoTime() + spinNanos;
        while (cursor.get() < sequence && System.nanoTime() < until) {
            barrier.checkAlert();
            Thread.onSpinWait();
        }
    }

    private void sleep(long sequence, Sequence cursor, SequenceBarrier barrier)
            throws AlertException, InterruptedException, TimeoutException {
        long nanos = untilDeadline.getAsLong();
        if (nanos == 0) {
            throw TimeoutException.INSTANCE;
        }
        lock.lock();
        try {
            while (true) {
                // Ask for a signal before looking: a frame published between a look and the ask would
                // find no one to signal, and the engine would sleep with a frame waiting.
                signalNeeded.set(true);
                if (cursor.get() >= sequence) {
                    break;
                }
                barrier.checkAlert();
                if (woken) {
                    woken = false;
                    throw TimeoutException.INSTANCE; // the runner runs commands on a timeout
                }
                if (nanos < 0) {
                    published.await();
                } else {
                    nanos = published.awaitNanos(nanos);
                    if (nanos <= 0) {
                        throw TimeoutException.INSTANCE;
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void signalAllWhenBlocking() {
        if (signalNeeded.getAndSet(false)) {
            lock.lock();
            try {
                published.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Any thread: a command waits; the engine thread leaves its sleep to run it. */
    void wake() {
        lock.lock();
        try {
            woken = true;
            published.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
