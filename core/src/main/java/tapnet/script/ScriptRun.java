package tapnet.script;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One run of a {@link Script}: it schedules the probes' samples and the events on a {@link Timeline}, acts
 * through a {@link ScriptTarget}, records what happens, and at the end judges the expectations. The same
 * for live and simulated runs; only the timeline, the target and the samplers differ.
 *
 * <p>Samples finish on other threads in live runs, so what is recorded is guarded by this object's lock.
 */
public final class ScriptRun {
    private final Script script;
    private final Timeline timeline;
    private final ScriptTarget target;
    private final Function<ProbeSpec, ProbeSampler> samplers;
    private final long endNanos;

    private final Map<String, List<RunReport.Sample>> samples = new HashMap<>();
    private final List<RunReport.Event> events = new ArrayList<>();
    private final List<RunReport.Expectation> commandResults = new ArrayList<>();
    private final Map<Long, Map<String, Long>> counterSnapshots = new TreeMap<>();
    /** The when-triggered events that fired; by identity, as two events may be written alike. */
    private final java.util.Set<EventSpec> whenFired = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private Map<String, Long> finalCounters = Map.of();
    private List<RunReport.LinkCounters> finalLinks = List.of();
    private int samplesInFlight;
    private int commandsInFlight;
    private boolean ended;

    /** @param samplers the sampler for each probe (by where it samples from) */
    public ScriptRun(Script script, Timeline timeline, ScriptTarget target, Function<ProbeSpec, ProbeSampler> samplers) {
        this.script = script;
        this.timeline = timeline;
        this.target = target;
        this.samplers = samplers;
        this.endNanos = script.duration().toNanos();
        script.probes().forEach(p -> samples.put(p.name(), new ArrayList<>()));
    }

    /** The run's length: when probes stop and the counters are read for the last time. */
    public long endNanos() {
        return endNanos;
    }

    /** The longest a sample may still take after the end: the largest probe timeout. */
    public long drainNanos() {
        return script.probes().stream().mapToLong(p -> p.timeout().toNanos()).max().orElse(0);
    }

    /** Schedules everything; call once, at run time 0. */
    public void start() {
        for (ProbeSpec probe : script.probes()) {
            timeline.at(0, () -> sample(probe, 0));
        }
        for (EventSpec event : script.events()) {
            if (event.trigger() instanceof EventSpec.Trigger.At at) {
                timeline.at(at.at().toNanos(), () -> happen(event));
            } else if (event.trigger() instanceof EventSpec.Trigger.Every every) {
                long until = every.until() == null ? endNanos : Math.min(endNanos, every.until().toNanos());
                for (long t = every.from().toNanos(); t < until; t += every.every().toNanos()) {
                    timeline.at(t, () -> happen(event));
                }
            }
        }
        TreeSet<Long> boundaries = new TreeSet<>();
        for (ExpectationSpec e : script.expectations()) {
            if (e.counter() != null) {
                boundaries.add(e.window().from().toNanos());
                boundaries.add(e.window().until() == null ? endNanos : e.window().until().toNanos());
            }
        }
        for (long t : boundaries) {
            if (t > 0 && t < endNanos) {
                timeline.at(t, () -> snapshotCounters(t));
            }
        }
        timeline.at(endNanos, this::end);
    }

    // ------------------------------------------------------------------------------------------------
    // Probes
    // ------------------------------------------------------------------------------------------------

    private void sample(ProbeSpec probe, long at) {
        synchronized (this) {
            if (ended) {
                return;
            }
            samplesInFlight++;
        }
        try {
            samplers.apply(probe).sample(probe, at, s -> recorded(probe, s));
        } catch (RuntimeException e) {
            recorded(probe, new RunReport.Sample(at, false, Double.NaN, "error: " + e.getMessage()));
        }
        long next = at + probe.every().toNanos();
        if (next < endNanos) {
            timeline.at(next, () -> sample(probe, next));
        }
    }

    private void recorded(ProbeSpec probe, RunReport.Sample sample) {
        List<EventSpec> triggered = new ArrayList<>();
        synchronized (this) {
            samples.get(probe.name()).add(sample);
            samplesInFlight--;
            for (EventSpec event : script.events()) {
                if (event.trigger() instanceof EventSpec.Trigger.When when && when.probe().equals(probe.name())
                        && when.ok() == sample.ok() && !ended && whenFired.add(event)) {
                    triggered.add(event);
                }
            }
            notifyAll();
        }
        for (EventSpec event : triggered) {
            long delay = ((EventSpec.Trigger.When) event.trigger()).delay().toNanos();
            timeline.at(timeline.now() + delay, () -> happen(event));
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Events
    // ------------------------------------------------------------------------------------------------

    private void happen(EventSpec event) {
        long at = timeline.now();
        synchronized (this) {
            if (ended) {
                return;
            }
        }
        String text = ActionText.of(event.action());
        target.comment((event.name() == null ? "" : event.name() + ": ") + text, at);
        boolean command = event.action() instanceof Action.Run;
        if (command) {
            synchronized (this) {
                commandsInFlight++;
            }
        }
        java.util.concurrent.CompletableFuture<String> applied = target.apply(event.action());
        applied.whenComplete((detail, failure) -> {
            String why = failure == null ? detail : message(failure);
            synchronized (this) {
                events.add(new RunReport.Event(at, event.name(), text, failure == null, why));
                if (command) {
                    commandsInFlight--;
                    Action.Run run = (Action.Run) event.action();
                    if (run.expectExit() != null) {
                        commandResults.add(new RunReport.Expectation(text + " exits " + run.expectExit(),
                                "at " + seconds(at), "exit " + run.expectExit(), why, failure == null
                                && ("exit " + run.expectExit()).equals(detail)));
                    }
                    notifyAll();
                }
            }
        });
        if (!command) {
            awaitQuietly(applied); // what is due at the same time (a sample) sees the change made
        }
        for (EventSpec next : script.events()) {
            if (next.trigger() instanceof EventSpec.Trigger.After after && event.name() != null
                    && after.event().equals(event.name())) {
                timeline.at(at + after.delay().toNanos(), () -> happen(next));
            }
        }
    }

    private static void awaitQuietly(java.util.concurrent.CompletableFuture<String> applied) {
        try {
            applied.get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // recorded with the event as it completes
        }
    }

    private static String message(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    // ------------------------------------------------------------------------------------------------
    // Counters and the end
    // ------------------------------------------------------------------------------------------------

    private void snapshotCounters(long at) {
        Map<String, Long> now = target.counters();
        synchronized (this) {
            counterSnapshots.put(at, now);
        }
    }

    private void end() {
        Map<String, Long> counters = target.counters();
        List<RunReport.LinkCounters> links = target.links();
        synchronized (this) {
            counterSnapshots.put(endNanos, counters);
            finalCounters = counters;
            finalLinks = links;
            ended = true;
            notifyAll();
        }
    }

    /** Whether the run reached its end and every sample and command started before it has finished. */
    public synchronized boolean finished() {
        return ended && samplesInFlight == 0 && commandsInFlight == 0;
    }

    /** Live runs: waits until {@link #finished()}, at most {@code timeoutNanos}; returns whether it did. */
    public synchronized boolean awaitFinished(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (!finished()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** How far a run has come, for a progress line: samples taken, failed ones, events that happened. */
    /**
     * How far a run has come, for a progress line: samples taken and failed, events that happened, and the
     * expectations whose window has closed, judged already (held, failed) out of all.
     */
    public record Progress(long atNanos, int samples, int failed, int events, int held, int missed, int expectations) {
    }

    public synchronized Progress progress() {
        long now = timeline.now();
        int all = 0;
        int failed = 0;
        for (List<RunReport.Sample> list : samples.values()) {
            all += list.size();
            failed += (int) list.stream().filter(x -> !x.ok()).count();
        }
        int held = 0;
        int missed = 0;
        for (ExpectationSpec e : script.expectations()) {
            RunReport.Expectation judged = judgedBy(e, now);
            if (judged != null) {
                held += judged.passed() ? 1 : 0;
                missed += judged.passed() ? 0 : 1;
            }
        }
        return new Progress(now, all, failed, events.size(), held, missed, script.expectations().size());
    }

    /** The expectation judged, when its window closed before {@code now} and its samples are all in; else null. */
    private RunReport.Expectation judgedBy(ExpectationSpec e, long now) {
        if (e.window().until() == null) {
            return null;
        }
        long until = e.window().until().toNanos();
        if (e.probe() != null) {
            ProbeSpec probe = script.probes().stream().filter(p -> p.name().equals(e.probe())).findFirst().orElseThrow();
            return until + probe.timeout().toNanos() < now ? ExpectationCheck.ofProbe(e, probe, samples.get(probe.name()), endNanos)
                    : null;
        }
        return counterSnapshots.containsKey(until) ? ExpectationCheck.ofCounter(e, t -> counterAt(e.counter(), t), endNanos) : null;
    }

    // ------------------------------------------------------------------------------------------------
    // What it found
    // ------------------------------------------------------------------------------------------------

    /** Every probe's samples, in time order, by probe, in the script's order of probes. */
    public synchronized List<RunReport.Probe> probes() {
        List<RunReport.Probe> out = new ArrayList<>();
        for (ProbeSpec p : script.probes()) {
            List<RunReport.Sample> sorted = new ArrayList<>(samples.get(p.name()));
            sorted.sort(Comparator.comparingLong(RunReport.Sample::atNanos));
            out.add(new RunReport.Probe(p.name(), p.kind().name().toLowerCase(java.util.Locale.ROOT), p.from(), p.target(),
                    p.kind().unit(), sorted));
        }
        return out;
    }

    /** The events that happened, in time order (those that ran on at the end included, as they finished). */
    public synchronized List<RunReport.Event> events() {
        List<RunReport.Event> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(RunReport.Event::atNanos));
        return sorted;
    }

    /** Every expectation judged, in the script's order, then the commands' expected exits. */
    public synchronized List<RunReport.Expectation> expectations() {
        List<RunReport.Expectation> out = new ArrayList<>();
        for (ExpectationSpec e : script.expectations()) {
            if (e.probe() != null) {
                ProbeSpec probe = script.probes().stream().filter(p -> p.name().equals(e.probe())).findFirst().orElseThrow();
                out.add(ExpectationCheck.ofProbe(e, probe, samples.get(probe.name()), endNanos));
            } else {
                out.add(ExpectationCheck.ofCounter(e, t -> counterAt(e.counter(), t), endNanos));
            }
        }
        out.addAll(commandResults);
        return out;
    }

    private long counterAt(String counter, long at) {
        Map<String, Long> snapshot = counterSnapshots.get(at);
        return snapshot == null ? 0 : snapshot.getOrDefault(counter, 0L);
    }

    public synchronized Map<String, Long> counters() {
        return finalCounters;
    }

    public synchronized List<RunReport.LinkCounters> links() {
        return finalLinks;
    }

    static String seconds(long nanos) {
        return ExpectationCheck.number(nanos / 1e9) + "s";
    }
}
