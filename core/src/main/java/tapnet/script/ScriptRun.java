package tapnet.script;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tapnet.topology.ProbeSpec;
import tapnet.topology.Script;

/**
 * One run of a {@link Script}: it schedules the probes' samples and the events on a {@link Timeline}, acts
 * through a {@link ScriptTarget}, records what happens, and at the end judges the expectations. The same
 * for live and simulated runs; only the timeline, the target and the samplers differ.
 *
 * <p>The work is shared out: {@link ProbeSampling} takes the samples, {@link TimelineEvents} applies the
 * events, {@link CounterReadings} reads the counters, all of them into one {@link RunRecord}; {@link RunFindings}
 * reads it back for the report and the progress line, the expectations judged by {@link ExpectationsJudge}.
 *
 * <p>Threads: the timeline's thread starts samples, applies events and reads counters; samples and commands
 * finish on other threads (in live runs); progress, waits, interruption and the report come from yet others.
 * None of them owns the record: every access goes through its lock, which is also what the waits wait on.
 */
public final class ScriptRun {
    private final Timeline timeline;
    private final long endNanos;
    private final RunRecord record;
    private final ProbeSampling probes;
    private final TimelineEvents events;
    private final CounterReadings counters;
    private final RunFindings findings;

    /** @param samplers the sampler for each probe (by where it samples from) */
    public ScriptRun(Script script, Timeline timeline, ScriptTarget target, Function<ProbeSpec, ProbeSampler> samplers) {
        this.timeline = timeline;
        this.endNanos = script.duration().toNanos();
        this.record = new RunRecord(script.probes());
        this.events = new TimelineEvents(script, timeline, target, record, endNanos);
        this.probes = new ProbeSampling(script, timeline, samplers, record, events, endNanos);
        this.counters = new CounterReadings(script, timeline, target, record, endNanos);
        this.findings = new RunFindings(script, record, endNanos);
    }

    /** The run's length: when probes stop and the counters are read for the last time. */
    public long endNanos() {
        return endNanos;
    }

    /** The longest a sample may still take after the end: the largest probe timeout. */
    public long drainNanos() {
        return probes.drainNanos();
    }

    /** Schedules everything; call once, at run time 0. */
    public void start() {
        // In this order: what is due at the same time runs in the order it was scheduled.
        probes.start();
        events.start();
        counters.start();
    }

    /**
     * Ends the run now, before it is over (Ctrl-C, SIGTERM): nothing more is sampled or done, the counters are
     * read as they are now (unless the run reached its end already), and an expectation whose window was not
     * seen whole is not judged. Returns false, changing nothing, when the run was over already: at its end,
     * every sample and command finished.
     */
    public boolean interrupt() {
        RunRecord.Interruption interruption = record.interrupt(Math.min(timeline.now(), endNanos));
        if (interruption == RunRecord.Interruption.BEFORE_THE_END) {
            counters.readAtInterruption();
        }
        return interruption != RunRecord.Interruption.TOO_LATE;
    }

    /** Whether {@link #interrupt()} ended the run. */
    public boolean interrupted() {
        return record.interruptedAtNanos() >= 0;
    }

    /** How long the run ran: to its end, or to when it was interrupted. */
    public long durationNanos() {
        long interruptedAt = record.interruptedAtNanos();
        return interruptedAt >= 0 ? interruptedAt : endNanos;
    }

    /** Waits until no sample is running, at most {@code timeoutNanos}: after {@link #interrupt()}, for those under way. */
    public boolean awaitSamples(long timeoutNanos) throws InterruptedException {
        return record.awaitSamples(timeoutNanos);
    }

    /** Whether the run reached its end and every sample and command started before it has finished. */
    public boolean finished() {
        return record.finished();
    }

    /** Live runs: waits until {@link #finished()}, at most {@code timeoutNanos}; returns whether it did. */
    public boolean awaitFinished(long timeoutNanos) throws InterruptedException {
        return record.awaitFinished(timeoutNanos);
    }

    /**
     * How far a run has come, for a progress line: samples taken and failed, events that happened, and the
     * expectations whose window has closed, judged already (held, failed) out of all; the failed sample that
     * started last, as {@code resolve NXDOMAIN at 2.5s} (null: none failed), so that a line says why.
     */
    public record Progress(long atNanos, int samples, int failed, int events, int held, int missed, int expectations,
                           String lastFailure) {
    }

    public Progress progress() {
        return findings.progress(timeline);
    }

    /** Every probe's samples, in time order, by probe, in the script's order of probes. */
    public List<RunReport.Probe> probes() {
        return findings.probes();
    }

    /** The events that happened, in time order (those that ran on at the end included, as they finished). */
    public List<RunReport.Event> events() {
        return findings.events();
    }

    /**
     * Every expectation, in the script's order, then the commands' expected exits: judged when its window was
     * seen whole, else not judged, saying why (the run was interrupted before the window was over, a sample
     * in it had not finished, a command was still running or was never run).
     */
    public List<RunReport.Expectation> expectations() {
        return findings.expectations();
    }

    /** The counters as read at the end, or at the interruption; empty when they could not be read. */
    public Map<String, Long> counters() {
        return record.counters();
    }

    /** Every link's counters, as read at the end or the interruption. */
    public List<RunReport.LinkCounters> links() {
        return record.links();
    }
}
