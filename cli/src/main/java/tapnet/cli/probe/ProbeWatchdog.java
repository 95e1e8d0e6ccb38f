package tapnet.cli.probe;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Holds samples to their timeout: at a sample's deadline it closes the sample's socket, which ends a blocked
 * connect, write or read on another thread at once (a write has no timeout of its own). One small thread for
 * all samples; it also hands out results that must not be given on the caller's thread.
 */
final class ProbeWatchdog implements Executor, AutoCloseable {
    private final ScheduledThreadPoolExecutor timer;

    ProbeWatchdog() {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tapnet-probe-watchdog");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true); // finished samples leave no dead deadlines behind
    }

    /** A deadline {@code timeout} from now that closes {@code resource} when it passes. */
    Deadline arm(Duration timeout, Closeable resource) {
        return new Deadline(timeout, resource);
    }

    @Override
    public void execute(Runnable task) {
        timer.execute(task);
    }

    /** Lets the deadlines already armed fire (they bound the samples still running), then ends the thread. */
    @Override
    public void close() {
        timer.shutdown();
    }

    /** One sample's deadline; {@link #close()} when the sample is over. */
    final class Deadline implements AutoCloseable {
        private final long deadlineNanos;
        private final ScheduledFuture<?> alarm;
        private volatile boolean expired;

        private Deadline(Duration timeout, Closeable resource) {
            long nanos = Math.max(1, timeout.toNanos());
            deadlineNanos = System.nanoTime() + nanos;
            alarm = timer.schedule(() -> {
                expired = true;
                try {
                    resource.close();
                } catch (IOException e) {
                    // closing is all we can do
                }
            }, nanos, TimeUnit.NANOSECONDS);
        }

        /** Whether the deadline passed (and closed the resource): whatever failed then failed of the timeout. */
        boolean expired() {
            return expired || System.nanoTime() - deadlineNanos >= 0;
        }

        /** Milliseconds left, at least 1 (0 means "forever" to java.net timeouts). */
        int remainingMillis() {
            long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            return (int) Math.max(1, Math.min(Integer.MAX_VALUE, left));
        }

        @Override
        public void close() {
            alarm.cancel(false);
        }
    }
}
