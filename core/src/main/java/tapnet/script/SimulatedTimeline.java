package tapnet.script;

import java.util.PriorityQueue;
import tapnet.engine.Engine;
import tapnet.time.TimerWheel;
import tapnet.time.VirtualClock;

/**
 * Run time on the engine's virtual clock: {@link #runUntil} jumps from one due time to the next (a task
 * of the script, or a timer or held frame of the engine) and does what is due there, so a long scenario
 * takes only as long as the work in it. One thread does everything: the same input gives the same run.
 */
public final class SimulatedTimeline implements Timeline {
    private record Task(long atNanos, long order, Runnable task) {
    }

    private final Engine engine;
    private final VirtualClock clock;
    private final long startNanos;
    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.atNanos != b.atNanos
            ? Long.compare(a.atNanos, b.atNanos) : Long.compare(a.order, b.order));
    private long order;

    public SimulatedTimeline(Engine engine, VirtualClock clock) {
        this.engine = engine;
        this.clock = clock;
        this.startNanos = clock.nanos();
    }

    @Override
    public long now() {
        return clock.nanos() - startNanos;
    }

    @Override
    public void at(long atNanos, Runnable task) {
        tasks.add(new Task(Math.max(atNanos, now()), order++, task));
    }

    /** Advances through every due time up to run time {@code endNanos}, then stops there. */
    public void runUntil(long endNanos) {
        while (true) {
            long engineDue = engine.nextDeadline();
            long engineAt = engineDue == TimerWheel.NONE ? Long.MAX_VALUE : Math.max(engineDue - startNanos, now());
            long taskAt = tasks.isEmpty() ? Long.MAX_VALUE : tasks.peek().atNanos;
            long next = Math.min(engineAt, taskAt);
            if (next > endNanos) {
                break;
            }
            clock.advanceTo(startNanos + next);
            if (engineAt <= next) {
                engine.pollTimers();
            }
            while (!tasks.isEmpty() && tasks.peek().atNanos <= now()) {
                tasks.poll().task.run();
                engine.endOfBatch(); // what a task made the hosts send leaves now, as after a batch of frames
            }
        }
        clock.advanceTo(startNanos + endNanos);
        engine.pollTimers();
    }
}
