package tapnet.script;

import java.util.PriorityQueue;

/**
 * Run time on the wall clock ({@link System#nanoTime()}): tasks run on one thread of their own, at their
 * time, and tasks due at the same time in the order they were given, as on the {@link SimulatedTimeline}
 * (an event due with a sample runs first when it was scheduled first). What tasks do to the engine goes
 * through the engine thread, and samples finish on other threads: what they share is synchronized by the run.
 */
public final class LiveTimeline implements Timeline, AutoCloseable {
    private record Task(long atNanos, long order, Runnable task) {
    }

    private final long startNanos = System.nanoTime();
    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.atNanos != b.atNanos
            ? Long.compare(a.atNanos, b.atNanos) : Long.compare(a.order, b.order));
    private final Thread thread = new Thread(this::runTasks, "tapnet-script");
    private long order;
    private boolean closed;

    public LiveTimeline() {
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public long now() {
        return System.nanoTime() - startNanos;
    }

    @Override
    public synchronized void at(long atNanos, Runnable task) {
        tasks.add(new Task(atNanos, order++, task));
        notifyAll();
    }

    private void runTasks() {
        while (true) {
            Runnable due;
            synchronized (this) {
                while (!closed && (tasks.isEmpty() || tasks.peek().atNanos > now())) {
                    long waitNanos = tasks.isEmpty() ? 1_000_000_000L : tasks.peek().atNanos - now();
                    try {
                        wait(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000)); // > 0: the task is not due yet
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                due = tasks.poll().task;
            }
            try {
                due.run();
            } catch (RuntimeException e) {
                System.getLogger(LiveTimeline.class.getName()).log(System.Logger.Level.WARNING, "a scripted task failed", e);
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
