package tapnet.cli.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import tapnet.capture.Capture;
import tapnet.capture.CaptureFiles;
import tapnet.cli.api.RunChanges;
import tapnet.cli.probe.KernelProbes;
import tapnet.report.ReportDirectory;
import tapnet.script.CounterProbes;
import tapnet.script.EngineTarget;
import tapnet.script.LiveTimeline;
import tapnet.script.RunReport;
import tapnet.script.ScriptRun;
import tapnet.script.ScriptTarget;
import tapnet.script.SimulatedRun;
import tapnet.script.VirtualProbes;
import tapnet.tap.NetworkNamespace;
import tapnet.tap.TapEmulator;
import tapnet.topology.ProbeSpec;
import tapnet.topology.Script;
import tapnet.topology.Topology;

/**
 * A topology's script played live against a running emulator: probes from the kernel (the TAP's
 * namespace, the ports') and from virtual hosts, events through the engine thread, a capture on request,
 * and the report written at the end. Returns the run's exit code: 0 every expectation held, 1 not (one failed
 * or was not judged, or the run was interrupted).
 */
final class LiveScript {
    /**
     * How long an interrupted run waits for the samples under way (their results belong to windows it saw):
     * short, as the shutdown hook gives the whole cleanup 10 s.
     */
    private static final long INTERRUPTED_SAMPLES_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** After its end, how long a run waits for its last samples and for commands, which may run long. */
    private static final long COMMANDS_WAIT_NANOS = TimeUnit.SECONDS.toNanos(15);

    private LiveScript() {
    }

    /**
     * @param version   the tapnet version the report names
     * @param namespace tapnet's namespace, or null for the current one
     * @param commands  runs the {@code run:} events
     * @param stop      counted down on Ctrl-C or SIGTERM: the run ends early, and says so
     * @param changes   where the timeline's changes are recorded, as the control API's are
     * @param start     the wall-clock instant the timeline starts at ({@code --start-at}), or null: at once
     */
    static int run(Topology topology, tapnet.topology.PartRun part, String file, String version, TapEmulator emulator,
                   NetworkNamespace namespace, Map<String, NetworkNamespace> ports, CommandRunner commands, Path reportDirectory,
                   CountDownLatch stop, RunChanges changes, java.time.Instant start) throws Exception {
        Script script = topology.script();
        Files.createDirectories(reportDirectory);
        Capture capture = script.capture() == null ? null : openCapture(script, emulator, reportDirectory);
        Map<String, NetworkNamespace> namespaces = new HashMap<>(ports);
        namespaces.put("tap", namespace);
        if (start != null && !awaitStart(start, stop)) {
            System.out.println("stopped before the script's start: no report");
            return 1;
        }
        long startedAt = System.currentTimeMillis();
        try (LiveTimeline timeline = new LiveTimeline(); KernelProbes kernel = new KernelProbes(namespaces)) {
            VirtualProbes virtual = new VirtualProbes(emulator.engine(), task -> emulator.call(e -> {
                task.run();
                return null;
            }), timeline);
            ScriptTarget target = new RecordedTarget(new EngineTarget(emulator, topology, capture, commands), changes);
            CounterProbes counters = new CounterProbes(target);
            ScriptRun run = new ScriptRun(script, timeline, target, probe -> probe.kind() == ProbeSpec.Kind.COUNTER ? counters
                    : topology.host(probe.from()).isPresent() ? virtual : kernel);
            timeline.at(0, run::start);
            boolean interrupted;
            try (ProgressPrinter progress = new ProgressPrinter(run, System.out, System.console() != null)) {
                progress.start();
                interrupted = stop.await(run.endNanos(), TimeUnit.NANOSECONDS)
                        || !awaitFinishedUnlessStopped(run, stop, run.drainNanos() + COMMANDS_WAIT_NANOS);
                // Stopped at the very end, with every sample in: nothing was cut short, the run is whole.
                interrupted = interrupted && run.interrupt();
                if (interrupted) {
                    run.awaitSamples(INTERRUPTED_SAMPLES_WAIT_NANOS);
                }
            }
            if (interrupted) {
                System.out.println("interrupted at " + ProgressPrinter.seconds1(run.durationNanos()) + " of "
                        + tapnet.topology.yaml.Units.format(script.duration()) + ": the report holds what was measured until then;"
                        + " expectations whose window was not seen whole are not judged");
            }
            if (capture != null) {
                emulator.call(e -> {
                    closeQuietly(capture);
                    return null;
                }).get(5, TimeUnit.SECONDS);
            }
            RunReport report = part == null ? SimulatedRun.report(topology, file, version, false, startedAt, run)
                    : SimulatedRun.report(part, file, version, startedAt, run);
            ReportDirectory.write(reportDirectory, report);
            ProgressPrinter.summary(report, reportDirectory, System.out);
            return report.passed() ? 0 : 1;
        }
    }

    /**
     * Waits for the wall clock to reach {@code start}, saying so; false when Ctrl-C or SIGTERM came first. A
     * start already past (tapnet came up late) starts the timeline at once, with a word about how late.
     */
    private static boolean awaitStart(java.time.Instant start, CountDownLatch stop) throws InterruptedException {
        long millis = java.time.Duration.between(java.time.Instant.now(), start).toMillis();
        if (millis <= 0) {
            System.out.println("The script was to start at " + start + ", " + (-millis) + " ms ago: it starts now.");
            return true;
        }
        System.out.println("The script starts at " + start + ", in " + ProgressPrinter.seconds1(millis * 1_000_000L) + ".");
        return !stop.await(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Waits until the run has finished (its last samples and commands in), at most {@code timeoutNanos};
     * false when Ctrl-C or SIGTERM came first. Past the timeout the report is written with what is in.
     */
    private static boolean awaitFinishedUnlessStopped(ScriptRun run, CountDownLatch stop, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (!run.awaitFinished(Math.min(TimeUnit.MILLISECONDS.toNanos(100), Math.max(0, deadline - System.nanoTime())))) {
            if (stop.getCount() == 0) {
                return false;
            }
            if (System.nanoTime() >= deadline) {
                return true;
            }
        }
        return true;
    }

    /** The capture, watching the TAP, the ports and the links asked for, timed on the wall clock. */
    private static Capture openCapture(Script script, TapEmulator emulator, Path directory) throws Exception {
        Capture capture = new Capture(new CaptureFiles(directory, "capture", script.capture().maxBytes(), script.capture().files()),
                Capture.epochOffset(emulator.engine().clock()), Capture.DEFAULT_SNAP_LENGTH);
        emulator.call(e -> {
            e.capture(capture);
            for (String link : script.capture().links()) {
                e.captureLink(link, capture);
            }
            return null;
        }).get(5, TimeUnit.SECONDS);
        return capture;
    }

    private static void closeQuietly(Capture capture) {
        try {
            capture.close();
        } catch (IOException e) {
            System.err.println("tapnet: the capture stopped early: " + e.getMessage());
        }
    }
}
