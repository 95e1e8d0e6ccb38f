package tapnet.script;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Run time on the wall clock ({@link System#nanoTime()}): tasks run on one thread of their own, at their
 * time. What they do to the engine goes through the engine thread (they are handed that way), and
 * samples finish on other threads: what they share is synchronized by the run.
 */
public final class LiveTimeline implements Timeline, AutoCloseable {
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tapnet-script");
        t.setDaemon(true);
        return t;
    });

    @Override
    public long now() {
        return System.nanoTime() - startNanos;
    }

    @Override
    public void at(long atNanos, Runnable task) {
        thread.schedule(task, Math.max(0, atNanos - now()), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
