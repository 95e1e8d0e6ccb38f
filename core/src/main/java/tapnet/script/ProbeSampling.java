package tapnet.script;

import java.util.function.Function;
import tapnet.topology.ProbeSpec;
import tapnet.topology.Script;

/**
 * Takes each probe's samples on the timeline, from run time 0 every {@code every} until the end, and records
 * them as they finish; a finished sample may fire the events waiting for it.
 *
 * <p>Samples start on the timeline's thread and finish on whatever thread their sampler finishes them (a
 * kernel probe's, the engine's): both sides go through the {@link RunRecord}, under its lock.
 */
final class ProbeSampling {
    private final Script script;
    private final Timeline timeline;
    private final Function<ProbeSpec, ProbeSampler> samplers;
    private final RunRecord record;
    private final TimelineEvents events;
    private final long endNanos;

    ProbeSampling(Script script, Timeline timeline, Function<ProbeSpec, ProbeSampler> samplers, RunRecord record,
                  TimelineEvents events, long endNanos) {
        this.script = script;
        this.timeline = timeline;
        this.samplers = samplers;
        this.record = record;
        this.events = events;
        this.endNanos = endNanos;
    }

    /** Schedules every probe's first sample, at run time 0. */
    void start() {
        for (ProbeSpec probe : script.probes()) {
            timeline.at(0, () -> sample(probe, 0));
        }
    }

    /** The longest a sample may still take after the end: the largest probe timeout. */
    long drainNanos() {
        return script.probes().stream().mapToLong(p -> p.timeout().toNanos()).max().orElse(0);
    }

    private void sample(ProbeSpec probe, long at) {
        if (!record.sampleStarted(probe.name(), at)) {
            return; // the run has ended
        }
        try {
            samplers.apply(probe).sample(probe, at, s -> finished(probe, at, s));
        } catch (RuntimeException e) {
            finished(probe, at, new RunReport.Sample(at, false, Double.NaN, "error: " + e.getMessage()));
        }
        long next = at + probe.every().toNanos();
        if (next < endNanos) {
            timeline.at(next, () -> sample(probe, next));
        }
    }

    private void finished(ProbeSpec probe, long startedAt, RunReport.Sample sample) {
        events.fired(record.sampleFinished(probe.name(), startedAt, sample, events.waitingFor(probe.name(), sample.ok())));
    }
}
