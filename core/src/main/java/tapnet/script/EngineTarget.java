package tapnet.script;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import tapnet.build.EngineActions;
import tapnet.capture.Capture;
import tapnet.engine.Engine;
import tapnet.engine.EngineAccess;
import tapnet.link.LinkCounters;
import tapnet.link.LinkDirection;
import tapnet.link.LinkDropReason;
import tapnet.topology.Action;
import tapnet.topology.Topology;

/**
 * A run's target when it is an engine: every action, read and capture comment goes through
 * {@code onEngine} (the engine thread of a live run; the caller's own in a simulated one), and commands go
 * to {@code commands}, which the live run provides (the kernel's namespaces).
 */
public final class EngineTarget implements ScriptTarget {
    private final EngineAccess onEngine;
    private final Topology topology;
    private final Capture capture;
    private final Function<Action.Run, CompletableFuture<String>> commands;

    /** @param capture null when nothing is captured */
    public EngineTarget(EngineAccess onEngine, Topology topology, Capture capture,
                        Function<Action.Run, CompletableFuture<String>> commands) {
        this.onEngine = onEngine;
        this.topology = topology;
        this.capture = capture;
        this.commands = commands;
    }

    @Override
    public CompletableFuture<String> apply(Action action) {
        if (action instanceof Action.Run run) {
            return commands.apply(run);
        }
        return onEngine.call(engine -> EngineActions.apply(engine, action));
    }

    @Override
    public Map<String, Long> counters() {
        return read(onEngine.call(engine -> engine.counters().snapshot()), "counters");
    }

    @Override
    public List<RunReport.LinkCounters> links() {
        return read(onEngine.call(this::linkCounters), "link counters");
    }

    /**
     * What the engine answered, waiting at most {@link #READ_TIMEOUT_SECONDS}: an engine thread that stopped
     * answering (it failed, or it is stopping: Ctrl-C) must not hold up the report, which a run writes
     * within the 10 s its shutdown leaves it.
     *
     * @throws IllegalStateException when no answer came in time, or the engine failed to read
     */
    private static <T> T read(CompletableFuture<T> answer, String what) {
        try {
            return answer.get(READ_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the engine's " + what, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the engine did not give its " + what + " within " + READ_TIMEOUT_SECONDS + " s", e);
        }
    }

    private static final int READ_TIMEOUT_SECONDS = 5;

    @Override
    public void comment(String text, long atNanos) {
        if (capture != null) {
            onEngine.call(engine -> {
                capture.comment(text, engine.clock().nanos());
                return null;
            });
        }
    }

    /** Every node's link that exists, each direction, in the topology's order of nodes. Engine thread. */
    private List<RunReport.LinkCounters> linkCounters(Engine engine) {
        List<RunReport.LinkCounters> out = new ArrayList<>();
        for (String node : topology.linkedNodes()) {
            for (boolean toward : new boolean[] {true, false}) {
                LinkDirection direction;
                try {
                    direction = engine.link(node, toward);
                } catch (IllegalArgumentException notInThisEngine) {
                    continue; // a port of a simulated run: it has no device
                }
                if (direction != null) {
                    out.add(new RunReport.LinkCounters(node, toward ? "toward " + node : "from " + node, of(direction.counters())));
                }
            }
        }
        return out;
    }

    private static Map<String, Long> of(LinkCounters c) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("frames_in", c.framesIn());
        m.put("bytes_in", c.bytesIn());
        m.put("delivered", c.framesDelivered());
        for (LinkDropReason reason : LinkDropReason.values()) {
            m.put("dropped_" + reason.name().toLowerCase(java.util.Locale.ROOT), c.dropped(reason));
        }
        m.put("duplicated", c.duplicated());
        m.put("corrupted", c.corrupted());
        m.put("reordered", c.reordered());
        return m;
    }
}
