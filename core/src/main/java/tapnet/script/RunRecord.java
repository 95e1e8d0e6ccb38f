package tapnet.script;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import tapnet.topology.EventSpec;
import tapnet.topology.ProbeSpec;

/**
 * What a {@link ScriptRun} has recorded so far and where it stands: samples, events, commands' exits,
 * counters, and whether it ended or was interrupted.
 *
 * <p>Written by the timeline's thread and by the threads samples and commands finish on; read by whoever
 * asks for progress or the report. So no thread owns it: its monitor is the run's one lock, every method
 * takes it, and what waits for the run (samples in, the end) waits on it. The accessors that hand out live
 * collections instead check that their caller holds it: {@link RunFindings} and {@link ExpectationsJudge}
 * do, for one consistent view across many reads.
 */
final class RunRecord {
    /** How an interruption found the run. */
    enum Interruption {
        /** The run was over already (or interrupted before): nothing changes. */
        TOO_LATE,
        /** It reached its end, counters read, but samples or commands were still running. */
        AFTER_THE_END,
        /** It was cut short: the counters are to be read now. */
        BEFORE_THE_END
    }

    private final Map<String, List<RunReport.Sample>> samples = new HashMap<>();
    /** When each probe's samples still running started: a window holding one of them is not seen whole yet. */
    private final Map<String, List<Long>> startedInFlight = new HashMap<>();
    private final List<RunReport.Event> events = new ArrayList<>();
    /** The commands with an expected exit that are still running: not judged while they run. */
    private final List<RunReport.Expectation> commandsRunning = new ArrayList<>();
    private final List<RunReport.Expectation> commandResults = new ArrayList<>();
    private final Map<Long, Map<String, Long>> counterSnapshots = new TreeMap<>();
    /** The when-triggered events that fired; by identity, as two events may be written alike. */
    private final Set<EventSpec> whenFired = Collections.newSetFromMap(new IdentityHashMap<>());
    private Map<String, Long> finalCounters = Map.of();
    /** Whether {@link #finalCounters} were read (at the end, or the interruption), not left empty by an engine that did not answer. */
    private boolean finalCountersRead;
    private List<RunReport.LinkCounters> finalLinks = List.of();
    private int samplesInFlight;
    private int commandsInFlight;
    private boolean ended;
    /** Run time when Ctrl-C or SIGTERM ended the run; -1 while it was not interrupted. */
    private long interruptedAtNanos = -1;

    RunRecord(List<ProbeSpec> probes) {
        probes.forEach(p -> {
            samples.put(p.name(), new ArrayList<>());
            startedInFlight.put(p.name(), new ArrayList<>());
        });
    }

    /** Notes a sample starting at {@code at}; false, noting nothing, once the run has ended. */
    synchronized boolean sampleStarted(String probe, long at) {
        if (ended) {
            return false;
        }
        samplesInFlight++;
        startedInFlight.get(probe).add(at);
        return true;
    }

    /**
     * Records a sample that finished, and returns those of {@code waiting} (the when-triggered events it
     * may fire) that fire now: each once in the run, none after its end. One step, so an end cannot slip between.
     */
    synchronized List<EventSpec> sampleFinished(String probe, long startedAt, RunReport.Sample sample, List<EventSpec> waiting) {
        samples.get(probe).add(sample);
        samplesInFlight--;
        startedInFlight.get(probe).remove(Long.valueOf(startedAt)); // the element, not an index
        List<EventSpec> fired = new ArrayList<>();
        for (EventSpec event : waiting) {
            if (!ended && whenFired.add(event)) {
                fired.add(event);
            }
        }
        notifyAll();
        return fired;
    }

    /** Notes a command starting; {@code expectedExit}, when it has one, stays unjudged until it finishes. */
    synchronized void commandStarted(RunReport.Expectation expectedExit) {
        commandsInFlight++;
        if (expectedExit != null) {
            commandsRunning.add(expectedExit);
        }
    }

    /**
     * Records an event done; for a command, that it no longer runs, and its exit judged ({@code judged}) in
     * place of the {@code expectedExit} given when it started.
     */
    synchronized void eventDone(RunReport.Event event, boolean command, RunReport.Expectation expectedExit,
                                RunReport.Expectation judged) {
        events.add(event);
        if (command) {
            commandsInFlight--;
            if (expectedExit != null) {
                commandsRunning.remove(expectedExit);
                commandResults.add(judged);
            }
            notifyAll();
        }
    }

    synchronized void counterSnapshot(long at, Map<String, Long> counters) {
        counterSnapshots.put(at, counters);
    }

    /**
     * The run reached its end: the last counters ({@code null} when the engine did not give them) and links.
     * Changes nothing when it was interrupted just before: the counters are those read then.
     */
    synchronized void end(long endNanos, Map<String, Long> counters, List<RunReport.LinkCounters> links) {
        if (interruptedAtNanos >= 0) {
            return;
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

    /** Ends the run at {@code at}, before it is over; see {@link Interruption} for what the caller does next. */
    synchronized Interruption interrupt(long at) {
        if (finished() || interruptedAtNanos >= 0) {
            return Interruption.TOO_LATE;
        }
        interruptedAtNanos = at;
        boolean countersRead = ended;
        ended = true;
        notifyAll();
        return countersRead ? Interruption.AFTER_THE_END : Interruption.BEFORE_THE_END;
    }

    /** The counters read at the interruption. */
    synchronized void interruptedWith(Map<String, Long> counters, List<RunReport.LinkCounters> links) {
        finalCounters = counters;
        finalCountersRead = true;
        finalLinks = links;
    }

    synchronized boolean ended() {
        return ended;
    }

    /** Run time of the interruption; -1 when the run was not interrupted. */
    synchronized long interruptedAtNanos() {
        return interruptedAtNanos;
    }

    /** Whether the run reached its end and every sample and command started before it has finished. */
    synchronized boolean finished() {
        return ended && samplesInFlight == 0 && commandsInFlight == 0;
    }

    /** Waits until no sample is running, at most {@code timeoutNanos}; returns whether none is. */
    synchronized boolean awaitSamples(long timeoutNanos) throws InterruptedException {
        return await(() -> samplesInFlight == 0, timeoutNanos);
    }

    /** Waits until {@link #finished()}, at most {@code timeoutNanos}; returns whether it is. */
    synchronized boolean awaitFinished(long timeoutNanos) throws InterruptedException {
        return await(this::finished, timeoutNanos);
    }

    /** Waits on this lock (samples, commands and the end notify it as they finish) until {@code done} holds or time is up. */
    private boolean await(BooleanSupplier done, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (!done.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    synchronized Map<String, Long> counters() {
        return finalCounters;
    }

    synchronized List<RunReport.LinkCounters> links() {
        return finalLinks;
    }

    // ------------------------------------------------------------------------------------------------
    // For the findings and the judge, whose caller holds this object's lock: live views, not copies
    // ------------------------------------------------------------------------------------------------

    List<RunReport.Event> events() {
        assert Thread.holdsLock(this);
        return events;
    }

    List<RunReport.Sample> samples(String probe) {
        assert Thread.holdsLock(this);
        return samples.get(probe);
    }

    List<Long> startedInFlight(String probe) {
        assert Thread.holdsLock(this);
        return startedInFlight.get(probe);
    }

    /** Whether the counters were read at run time {@code at}. */
    boolean countersReadAt(long at) {
        assert Thread.holdsLock(this);
        return counterSnapshots.containsKey(at);
    }

    /** A counter as read at run time {@code at}; 0 when it was not read then. */
    long counterAt(String counter, long at) {
        assert Thread.holdsLock(this);
        Map<String, Long> snapshot = counterSnapshots.get(at);
        return snapshot == null ? 0 : snapshot.getOrDefault(counter, 0L);
    }

    long finalCounter(String counter) {
        assert Thread.holdsLock(this);
        return finalCounters.getOrDefault(counter, 0L);
    }

    boolean finalCountersRead() {
        assert Thread.holdsLock(this);
        return finalCountersRead;
    }

    List<RunReport.Expectation> commandResults() {
        assert Thread.holdsLock(this);
        return commandResults;
    }

    List<RunReport.Expectation> commandsRunning() {
        assert Thread.holdsLock(this);
        return commandsRunning;
    }
}
