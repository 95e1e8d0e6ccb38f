package tapnet.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The engine thread's sleep never misses a frame: a frame published in the window between its last look at
 * the ring and its sleep still wakes it. An engine with no deadline that missed it would sleep with the
 * frame waiting until the next frame came, which on an idle network may be never.
 */
class EngineWaitStrategyTest {
    private static final long NO_DEADLINE = -1;

    /**
     * The interleaving that loses a wakeup, made to happen: the publisher runs exactly while the engine
     * thread takes its last look before sleeping, and that look still sees the ring empty.
     */
    @Test
    void aFramePublishedBetweenTheLastLookAndTheSleepWakesTheEngine() {
        EngineWaitStrategy strategy = new EngineWaitStrategy(0, () -> NO_DEADLINE);
        AtomicReference<Thread> publisher = new AtomicReference<>();
        Sequence cursor = new Sequence() {
            @Override
            public long get() {
                long seen = super.get();
                if (seen < 0 && publisher.get() == null && lookingBeforeSleep()) {
                    Thread thread = new Thread(() -> {
                        set(0);
                        strategy.signalAllWhenBlocking();
                    }, "publisher");
                    publisher.set(thread);
                    thread.start();
                    awaitBlockedOrDone(thread); // the publisher has done all it can before the engine sleeps
                }
                return seen; // what the look saw: nothing yet
            }
        };
        long available = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> strategy.waitFor(0, cursor, cursor, new NeverAlerted()),
                "the engine slept through a frame published before its sleep");
        assertEquals(0, available);
    }

    /** Many hand-offs, each frame published while the engine may be anywhere in its wait: none is missed. */
    @Test
    void everyPublishedFrameEndsTheWait() throws Exception {
        EngineWaitStrategy strategy = new EngineWaitStrategy(0, () -> NO_DEADLINE);
        Sequence cursor = new Sequence();
        Sequence consumed = new Sequence();
        int frames = 20_000;
        Thread publisher = new Thread(() -> {
            for (int i = 0; i < frames; i++) {
                while (consumed.get() < i - 1) {
                    Thread.onSpinWait();
                }
                cursor.set(i);
                strategy.signalAllWhenBlocking();
            }
        }, "publisher");
        publisher.start();
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (long i = 0; i < frames; i++) {
                strategy.waitFor(i, cursor, cursor, new NeverAlerted());
                consumed.set(i);
            }
        }, "a wakeup was lost");
        publisher.join();
    }

    /** A command queued while the engine sleeps with no deadline ends its sleep as a timeout. */
    @Test
    void aQueuedCommandWakesASleepingEngine() throws Exception {
        EngineWaitStrategy strategy = new EngineWaitStrategy(0, () -> NO_DEADLINE);
        Thread waker = new Thread(() -> {
            sleepQuietly(50);
            strategy.wake();
        }, "waker");
        waker.start();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try {
                strategy.waitFor(0, new Sequence(), new Sequence(), new NeverAlerted());
                throw new AssertionError("waitFor returned without a frame");
            } catch (TimeoutException expected) {
                // the runner runs its commands on a timeout
            }
        });
        waker.join();
    }

    /** Whether the engine thread is looking from inside its sleep, where it has asked to be signalled. */
    private static boolean lookingBeforeSleep() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(
                f -> f.getClassName().equals(EngineWaitStrategy.class.getName()) && f.getMethodName().equals("sleep")));
    }

    private static void awaitBlockedOrDone(Thread thread) {
        long until = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < until) {
            Thread.State state = thread.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TERMINATED) {
                return;
            }
            Thread.onSpinWait();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class NeverAlerted implements SequenceBarrier {
        @Override
        public long waitFor(long sequence) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long getCursor() {
            return -1;
        }

        @Override
        public boolean isAlerted() {
            return false;
        }

        @Override
        public void alert() {
        }

        @Override
        public void clearAlert() {
        }

        @Override
        public void checkAlert() throws AlertException {
        }
    }
}
