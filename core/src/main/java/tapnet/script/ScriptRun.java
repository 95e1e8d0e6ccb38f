package tapnet.script;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import tapnet.topology.Action;
import tapnet.topology.EventSpec;
import tapnet.topology.ExpectationSpec;
import tapnet.topology.ProbeSpec;
import tapnet.topology.Script;
import tapnet.topology.yaml.ActionText;

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
    /** When each probe's samples still running started: a window holding one of them is not seen whole yet. */
    private final Map<String, List<Long>> startedInFlight = new HashMap<>();
    /** The commands with an expected exit that are still running: not judged while they run. */
    private final List<RunReport.Expectation> commandsRunning = new ArrayList<>();
    private Map<String, Long> finalCounters = Map.of();
    /** Whether {@link #finalCounters} were read (at the end, or the interruption), not left empty by an engine that did not answer. */
    private boolean finalCountersRead;
    private List<RunReport.LinkCounters> finalLinks = List.of();
    private int samplesInFlight;
    private int commandsInFlight;
    private boolean ended;
    /** Run time when Ctrl-C or SIGTERM ended the run; -1 while it was not interrupted. */
    private long interruptedAtNanos = -1;

    /** @param samplers the sampler for each probe (by where it samples from) */
    public ScriptRun(Script script, Timeline timeline, ScriptTarget target, Function<ProbeSpec, ProbeSampler> samplers) {
        this.script = script;
        this.timeline = timeline;
        this.target = target;
        this.samplers = samplers;
        this.endNanos = script.duration().toNanos();
        script.probes().forEach(p -> {
            samples.put(p.name(), new ArrayList<>());
            startedInFlight.put(p.name(), new ArrayList<>());
        });
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
            startedInFlight.get(probe.name()).add(at);
        }
        try {
            samplers.apply(probe).sample(probe, at, s -> recorded(probe, at, s));
        } catch (RuntimeException e) {
            recorded(probe, at, new RunReport.Sample(at, false, Double.NaN, "error: " + e.getMessage()));
        }
        long next = at + probe.every().toNanos();
        if (next < endNanos) {
            timeline.at(next, () -> sample(probe, next));
        }
    }

    private void recorded(ProbeSpec probe, long startedAt, RunReport.Sample sample) {
        List<EventSpec> triggered = new ArrayList<>();
        synchronized (this) {
            samples.get(probe.name()).add(sample);
            samplesInFlight--;
            startedInFlight.get(probe.name()).remove(Long.valueOf(startedAt)); // the element, not an index
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
        Integer expectExit = command ? ((Action.Run) event.action()).expectExit() : null;
        RunReport.Expectation running = expectExit == null ? null : new RunReport.Expectation(text + " exits " + expectExit,
                "at " + seconds(at), "exit " + expectExit, null, false);
        if (command) {
            synchronized (this) {
                commandsInFlight++;
                if (running != null) {
                    commandsRunning.add(running);
                }
            }
        }
        java.util.concurrent.CompletableFuture<String> applied = target.apply(event.action());
        applied.whenComplete((detail, failure) -> {
            String why = failure == null ? detail : message(failure);
            synchronized (this) {
                events.add(new RunReport.Event(at, event.name(), text, failure == null, why));
                if (command) {
                    commandsInFlight--;
                    if (running != null) {
                        commandsRunning.remove(running);
                        commandResults.add(new RunReport.Expectation(running.name(), running.window(), running.expected(), why,
                                failure == null && running.expected().equals(detail)));
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
        Map<String, Long> now = readCounters(at);
        if (now != null) {
            synchronized (this) {
                counterSnapshots.put(at, now);
            }
        }
    }

    private void end() {
        Map<String, Long> counters = readCounters(endNanos);
        List<RunReport.LinkCounters> links = List.of();
        try {
            links = target.links();
        } catch (RuntimeException e) {
            warn("the link counters could not be read at the end: " + e.getMessage());
        }
        synchronized (this) {
            if (interruptedAtNanos >= 0) {
                return; // interrupted just before: the counters are those read then
            }
            if (counters != null) {
                counterSnapshots.put(endNanos, counters);
                finalCounters = counters;
                finalCountersRead = true;
            }
            finalLinks = links;
            ended = true; // with or without counters: the run is over, and its report must not wait for them
            notifyAll();
        }
    }

    /**
     * The counters now, or null when the engine did not give them (it stopped answering): then the counter
     * expectations with a window that starts or ends at {@code at} are not judged, rather than judged on nothing.
     */
    private Map<String, Long> readCounters(long at) {
        try {
            return target.counters();
        } catch (RuntimeException e) {
            warn("the counters could not be read at " + seconds(at) + ": " + e.getMessage());
            return null;
        }
    }

    private static void warn(String message) {
        System.getLogger(ScriptRun.class.getName()).log(System.Logger.Level.WARNING, message);
    }

    /**
     * Ends the run now, before it is over (Ctrl-C, SIGTERM): nothing more is sampled or done, the counters are
     * read as they are now (unless the run reached its end already), and an expectation whose window was not
     * seen whole is not judged. Returns false, changing nothing, when the run was over already: at its end,
     * every sample and command finished.
     */
    public boolean interrupt() {
        long at = Math.min(timeline.now(), endNanos);
        boolean countersRead;
        synchronized (this) {
            if (finished() || interruptedAtNanos >= 0) {
                return false;
            }
            interruptedAtNanos = at;
            countersRead = ended;
            ended = true;
            notifyAll();
        }
        if (!countersRead) {
            try {
                Map<String, Long> counters = target.counters();
                List<RunReport.LinkCounters> links = target.links();
                synchronized (this) {
                    finalCounters = counters;
                    finalCountersRead = true;
                    finalLinks = links;
                }
            } catch (RuntimeException e) {
                // an engine that no longer answers: the report goes without counters rather than not at all
                warn("the counters could not be read at the interruption: " + e.getMessage());
            }
        }
        return true;
    }

    /** Whether {@link #interrupt()} ended the run. */
    public synchronized boolean interrupted() {
        return interruptedAtNanos >= 0;
    }

    /** How long the run ran: to its end, or to when it was interrupted. */
    public synchronized long durationNanos() {
        return interruptedAtNanos >= 0 ? interruptedAtNanos : endNanos;
    }

    /** Waits until no sample is running, at most {@code timeoutNanos}: after {@link #interrupt()}, for those under way. */
    public synchronized boolean awaitSamples(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (samplesInFlight > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
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

    /**
     * Every expectation, in the script's order, then the commands' expected exits: judged when its window was
     * seen whole, else not judged, saying why (the run was interrupted before the window was over, a sample
     * in it had not finished, a command was still running or was never run).
     */
    public synchronized List<RunReport.Expectation> expectations() {
        List<RunReport.Expectation> out = new ArrayList<>();
        for (ExpectationSpec e : script.expectations()) {
            String why = unseen(e);
            RunReport.Expectation result;
            if (e.probe() != null) {
                ProbeSpec probe = script.probes().stream().filter(p -> p.name().equals(e.probe())).findFirst().orElseThrow();
                result = ExpectationCheck.ofProbe(e, probe, samples.get(probe.name()), endNanos);
            } else if (why == null) {
                result = ExpectationCheck.ofCounter(e, t -> counterAt(e.counter(), t), endNanos);
            } else {
                result = ExpectationCheck.ofCounterSoFar(e, counterAt(e.counter(), e.window().from().toNanos()),
                        finalCounters.getOrDefault(e.counter(), 0L), endNanos);
            }
            long from = e.window().from().toNanos();
            boolean reached = (interruptedAtNanos < 0 || interruptedAtNanos > from)
                    && (e.counter() == null || (interruptedAtNanos >= 0 && finalCountersRead
                    && (from == 0 || counterSnapshots.containsKey(from)))); // the change until the interruption, when known
            out.add(why == null ? result : result.notJudged(why, reached ? result.seen() : null));
        }
        out.addAll(commandResults);
        for (RunReport.Expectation running : commandsRunning) {
            out.add(running.notJudged("the command was still running when " + (interruptedAtNanos >= 0
                    ? "the run was interrupted at " + interruptedAt() : "the report was written"), null));
        }
        if (interruptedAtNanos >= 0) {
            out.addAll(commandsNotRun());
        }
        return out;
    }

    /** Why an expectation's window was not seen whole, or null when it was. */
    private String unseen(ExpectationSpec e) {
        long from = e.window().from().toNanos();
        long until = e.window().until() == null ? endNanos : e.window().until().toNanos();
        String window = "window [" + tapnet.topology.yaml.Units.format(e.window().from()) + ", "
                + tapnet.topology.yaml.Units.format(java.time.Duration.ofNanos(until)) + "]";
        if (interruptedAtNanos >= 0) {
            String interrupted = ": the run was interrupted at " + interruptedAt();
            if (interruptedAtNanos <= from && from > 0) {
                return window + " not reached" + interrupted;
            }
            boolean seenToTheEnd = e.counter() != null ? counterSnapshots.containsKey(until) : until <= interruptedAtNanos;
            if (!seenToTheEnd) {
                return window + " not over" + interrupted;
            }
        }
        if (e.counter() != null) {
            for (long at : new long[] {from, until}) {
                if (at > 0 && !counterSnapshots.containsKey(at)) {
                    return window + " not seen whole: the counters could not be read at " + seconds(at);
                }
            }
        }
        if (e.probe() != null) {
            for (long started : startedInFlight.get(e.probe())) {
                if (started >= from && started < until) {
                    return window + " not seen whole: its sample of " + seconds(started) + " had not finished when "
                            + (interruptedAtNanos >= 0 ? "the run was interrupted at " + interruptedAt() : "the report was written");
                }
            }
        }
        return null;
    }

    /** The expected exits of commands due after the interruption: each event's, once, not judged. */
    private List<RunReport.Expectation> commandsNotRun() {
        List<RunReport.Expectation> out = new ArrayList<>();
        for (EventSpec event : script.events()) {
            if (!(event.action() instanceof Action.Run run) || run.expectExit() == null) {
                continue;
            }
            long due = -1;
            int runs = 0;
            if (event.trigger() instanceof EventSpec.Trigger.At at && at.at().toNanos() > interruptedAtNanos) {
                due = at.at().toNanos();
                runs = 1;
            } else if (event.trigger() instanceof EventSpec.Trigger.Every every) {
                long until = every.until() == null ? endNanos : Math.min(endNanos, every.until().toNanos());
                for (long t = every.from().toNanos(); t < until; t += every.every().toNanos()) {
                    if (t > interruptedAtNanos) {
                        due = due < 0 ? t : due;
                        runs++;
                    }
                }
            }
            if (runs > 0) {
                String text = ActionText.of(run);
                out.add(new RunReport.Expectation(text + " exits " + run.expectExit(), "at " + seconds(due), "exit " + run.expectExit(),
                        null, false).notJudged((runs == 1 ? "not run: due at " : runs + " runs not made: due from ")
                        + seconds(due) + ", after the run was interrupted at " + interruptedAt(), null));
            }
        }
        return out;
    }

    /** When the run was interrupted, to a tenth of a second: {@code 12.3s}. */
    private String interruptedAt() {
        return String.format(java.util.Locale.ROOT, "%.1fs", interruptedAtNanos / 1e9);
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
