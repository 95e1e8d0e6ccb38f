package tapnet.script;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tapnet.topology.ExpectationSpec;
import tapnet.topology.Script;

/**
 * Reads the engine's counters when the counter expectations need them: at each window's start and end, at
 * the run's end (with the links' counters, for the report), and at an interruption. A read the engine does
 * not answer is warned about and left out, so the windows it bounds go unjudged rather than judged on nothing.
 *
 * <p>Reads happen on the timeline's thread, or the interrupting one; what they read goes into the
 * {@link RunRecord}, under its lock.
 */
final class CounterReadings {
    /** Under the run's name: these warnings are about the run, whichever part of it read. */
    private static final System.Logger LOG = System.getLogger(ScriptRun.class.getName());

    private final Script script;
    private final Timeline timeline;
    private final ScriptTarget target;
    private final RunRecord record;
    private final long endNanos;

    CounterReadings(Script script, Timeline timeline, ScriptTarget target, RunRecord record, long endNanos) {
        this.script = script;
        this.timeline = timeline;
        this.target = target;
        this.record = record;
        this.endNanos = endNanos;
    }

    /** Schedules the reads at the counter windows' bounds inside the run, then the last one at its end. */
    void start() {
        TreeSet<Long> boundaries = new TreeSet<>();
        for (ExpectationSpec e : script.expectations()) {
            if (e.counter() != null) {
                boundaries.add(e.window().from().toNanos());
                boundaries.add(e.window().until() == null ? endNanos : e.window().until().toNanos());
            }
        }
        for (long t : boundaries) {
            if (t > 0 && t < endNanos) {
                timeline.at(t, () -> snapshot(t));
            }
        }
        timeline.at(endNanos, this::end);
    }

    /** The counters and links as they are now, for a run cut short before its end read them. */
    void readAtInterruption() {
        try {
            Map<String, Long> counters = target.counters();
            List<RunReport.LinkCounters> links = target.links();
            record.interruptedWith(counters, links);
        } catch (RuntimeException e) {
            // an engine that no longer answers: the report goes without counters rather than not at all
            warn("the counters could not be read at the interruption: " + e.getMessage());
        }
    }

    private void snapshot(long at) {
        Map<String, Long> now = read(at);
        if (now != null) {
            record.counterSnapshot(at, now);
        }
    }

    private void end() {
        Map<String, Long> counters = read(endNanos);
        List<RunReport.LinkCounters> links = List.of();
        try {
            links = target.links();
        } catch (RuntimeException e) {
            warn("the link counters could not be read at the end: " + e.getMessage());
        }
        record.end(endNanos, counters, links);
    }

    /** The counters now, or null when the engine did not give them (it stopped answering). */
    private Map<String, Long> read(long at) {
        try {
            return target.counters();
        } catch (RuntimeException e) {
            warn("the counters could not be read at " + ExpectationCheck.seconds(at) + ": " + e.getMessage());
            return null;
        }
    }

    private static void warn(String message) {
        LOG.log(System.Logger.Level.WARNING, message);
    }
}
