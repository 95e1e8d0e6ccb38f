package tapnet.script;

import java.util.PriorityQueue;
import tapnet.engine.DutyCycle;
import tapnet.engine.Engine;
import tapnet.time.Deadline;
import tapnet.time.VirtualClock;

/**
 * Run time on the engine's virtual clock: {@link #runUntil} jumps from one due time to the next (a task
 * of the script, or a timer or held frame of the engine) and does what is due there, so a long scenario
 * takes only as long as the work in it. One thread does everything: the same input gives the same run.
 */
public final class SimulatedTimeline implements Timeline {
    private record Task(long atNanos, long order, Runnable task) {
    }

    private final DutyCycle duty;
    private final VirtualClock clock;
    private final long startNanos;
    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.atNanos != b.atNanos
            ? Long.compare(a.atNanos, b.atNanos) : Long.compare(a.order, b.order));
    private long order;

    public SimulatedTimeline(Engine engine, VirtualClock clock) {
        this.duty = new DutyCycle(engine);
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

    /**
     * Advances through every due time up to run time {@code endNanos}, then stops there. At each, the
     * engine's duty cycle turns once, with the tasks due then as its commands.
     */
    public void runUntil(long endNanos) {
        while (true) {
            long engineDue = duty.nextDeadline();
            long engineAt = engineDue == Deadline.NONE ? Long.MAX_VALUE : Math.max(engineDue - startNanos, now());
            long taskAt = tasks.isEmpty() ? Long.MAX_VALUE : tasks.peek().atNanos;
            long next = Math.min(engineAt, taskAt);
            if (next > endNanos) {
                break;
            }
            clock.advanceTo(startNanos + next);
            while (!tasks.isEmpty() && tasks.peek().atNanos <= now()) {
                duty.submit(tasks.poll().task);
            }
            duty.doWork();
        }
        clock.advanceTo(startNanos + endNanos);
        duty.doWork();
    }
}
