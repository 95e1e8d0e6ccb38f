package tapnet.script;

import java.util.List;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import tapnet.build.EngineBuilder;
import tapnet.capture.Capture;
import tapnet.engine.Engine;
import tapnet.engine.EngineAccess;
import tapnet.time.VirtualClock;
import tapnet.topology.Action;
import tapnet.topology.EventSpec;
import tapnet.topology.ProbeSpec;
import tapnet.topology.Script;
import tapnet.topology.Topology;
import tapnet.wire.EthernetFrame;

/**
 * A scripted run on a virtual clock ({@code tapnet run --simulate}): no TAP and no kernel, every probe a
 * virtual host's, time jumping from one due moment to the next. The same topology and seed give the same
 * report and capture, byte for byte.
 */
public final class SimulatedRun {
    /** Where the virtual clock starts: any fixed time will do; what matters is that it is always the same. */
    private static final long START_NANOS = 1_000_000_000L;

    private SimulatedRun() {
    }

    /** Why {@code topology} cannot run simulated, or null when it can: every probe from a virtual host, no commands. */
    public static String problem(Topology topology) {
        Script script = topology.script();
        if (script == null) {
            return "the topology has no script: nothing to simulate";
        }
        for (ProbeSpec probe : script.probes()) {
            if (probe.kind() != ProbeSpec.Kind.COUNTER && topology.host(probe.from()).isEmpty()) {
                return "probe " + probe.name() + " is from " + probe.from() + ", a real machine (the kernel of a namespace);"
                        + " a simulated run has none. Give it from: a virtual host, or run without --simulate";
            }
        }
        for (EventSpec event : script.events()) {
            if (event.action() instanceof Action.Run) {
                return "a 'run' event needs a namespace and its kernel; a simulated run has none. Run without --simulate";
            }
        }
        return null;
    }

    /**
     * Runs {@code topology}'s script to its end, capturing into {@code captureDirectory} when the script asks
     * for a capture (and the directory is given).
     *
     * @throws IllegalArgumentException when {@link #problem} says it cannot be simulated
     */
    public static RunReport run(Topology topology, String file, String tapnetVersion, Path captureDirectory) throws IOException {
        String problem = problem(topology);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        Script script = topology.script();
        VirtualClock clock = new VirtualClock(START_NANOS);
        Engine engine = EngineBuilder.build(topology, clock, new tapnet.frame.DiscardingSink(EthernetFrame.HEADER_LENGTH + topology.tap().mtu()) /* nobody behind the TAP */);
        Capture capture = null;
        if (script.capture() != null && captureDirectory != null) {
            capture = Capture.open(captureDirectory, "capture", script.capture().maxBytes(), script.capture().files());
            engine.capture(capture);
            for (String link : script.capture().links()) {
                engine.captureLink(link, capture);
            }
        }
        SimulatedTimeline timeline = new SimulatedTimeline(engine, clock);
        EngineTarget target = new EngineTarget(EngineAccess.direct(engine), topology, capture,
                run -> CompletableFuture.failedFuture(new IllegalStateException("no kernel in a simulated run")));
        VirtualProbes probes = new VirtualProbes(engine, Runnable::run, timeline);
        CounterProbes counters = new CounterProbes(target);
        ScriptRun run = new ScriptRun(script, timeline, target, p -> p.kind() == ProbeSpec.Kind.COUNTER ? counters : probes);
        run.start();
        timeline.runUntil(run.endNanos() + run.drainNanos());
        if (capture != null) {
            capture.close();
        }
        return report(topology, file, tapnetVersion, true, 0, run);
    }

    /**
     * What a finished (or interrupted) run found, with the topology and versions: the same for live and
     * simulated runs.
     */
    /**
     * The report of part {@code part}'s run: its nodes (and {@code tap}, each part's kernel) and what it found;
     * {@code tapnet report --merge} joins the parts' reports into one.
     */
    public static RunReport report(tapnet.topology.PartRun part, String file, String tapnetVersion, long startedAtEpochMillis,
                                   ScriptRun run) {
        RunReport whole = report(part.topology(), file, tapnetVersion, false, startedAtEpochMillis, run);
        List<RunReport.Node> nodes = whole.nodes().stream().filter(n -> part.plays(n.name())).toList();
        java.util.Set<String> kept = nodes.stream().map(RunReport.Node::name).collect(java.util.stream.Collectors.toSet());
        return new RunReport(whole.topology(), file, whole.seed(), tapnetVersion, whole.javaVersion(), false,
                startedAtEpochMillis, whole.durationNanos(), whole.interrupted(), whole.plannedDurationNanos(), nodes,
                whole.edges().stream().filter(e -> kept.contains(e.parent()) && kept.contains(e.child())).toList(),
                whole.events(), whole.probes(), whole.expectations(), whole.counters(), whole.links(),
                whole.httpRoutes().stream().filter(r -> kept.contains(r.host())).toList(), part.part().name());
    }

    public static RunReport report(Topology topology, String file, String tapnetVersion, boolean simulated,
                                   long startedAtEpochMillis, ScriptRun run) {
        return new RunReport(topology.name(), file, topology.seed(), tapnetVersion,
                System.getProperty("java.version"), simulated, startedAtEpochMillis, run.durationNanos(), run.interrupted(),
                run.endNanos(), TopologyGraph.nodes(topology), TopologyGraph.edges(topology), run.events(), run.probes(),
                run.expectations(), run.counters(), run.links(), TopologyGraph.httpRoutes(topology));
    }
}
