package tapnet.script;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tapnet.topology.Action;
import tapnet.topology.EventSpec;
import tapnet.topology.ExpectationSpec;
import tapnet.topology.ProbeSpec;
import tapnet.topology.Script;
import tapnet.topology.yaml.ActionText;
import tapnet.topology.yaml.Units;

/**
 * Judges the script's expectations, and the commands' expected exits, over what the {@link RunRecord} holds:
 * each by {@link ExpectationCheck} when its window was seen whole, else left unjudged saying why (the run was
 * interrupted before the window was over, a sample in it had not finished, the counters could not be read, a
 * command was still running or was never run).
 *
 * <p>Its caller ({@link RunFindings}) holds the record's lock, so that every expectation is judged on the same moment
 * of the run.
 */
final class ExpectationsJudge {
    private final Script script;
    private final RunRecord record;
    private final long endNanos;

    ExpectationsJudge(Script script, RunRecord record, long endNanos) {
        this.script = script;
        this.record = record;
        this.endNanos = endNanos;
    }

    /** Every expectation, in the script's order, then the commands' expected exits. */
    List<RunReport.Expectation> expectations() {
        assert Thread.holdsLock(record);
        long interruptedAt = record.interruptedAtNanos();
        List<RunReport.Expectation> out = new ArrayList<>();
        for (ExpectationSpec e : script.expectations()) {
            String why = unseen(e);
            RunReport.Expectation result;
            if (e.probe() != null) {
                result = ExpectationCheck.ofProbe(e, probeOf(e), record.samples(e.probe()), endNanos);
            } else if (why == null) {
                result = ExpectationCheck.ofCounter(e, t -> record.counterAt(e.counter(), t), endNanos);
            } else {
                result = ExpectationCheck.ofCounterSoFar(e, record.counterAt(e.counter(), e.window().from().toNanos()),
                        record.finalCounter(e.counter()), endNanos);
            }
            long from = e.window().from().toNanos();
            boolean reached = (interruptedAt < 0 || interruptedAt > from)
                    && (e.counter() == null || (interruptedAt >= 0 && record.finalCountersRead()
                    && (from == 0 || record.countersReadAt(from)))); // the change until the interruption, when known
            out.add(why == null ? result : result.notJudged(why, reached ? result.seen() : null));
        }
        out.addAll(record.commandResults());
        for (RunReport.Expectation running : record.commandsRunning()) {
            out.add(running.notJudged("the command was still running when " + (interruptedAt >= 0
                    ? "the run was interrupted at " + tenths(interruptedAt) : "the report was written"), null));
        }
        if (interruptedAt >= 0) {
            out.addAll(commandsNotRun(interruptedAt));
        }
        return out;
    }

    /** The expectation judged, when its window closed before {@code now} and its samples are all in; else null. */
    RunReport.Expectation judgedBy(ExpectationSpec e, long now) {
        assert Thread.holdsLock(record);
        if (e.window().until() == null) {
            return null;
        }
        long until = e.window().until().toNanos();
        if (e.probe() != null) {
            ProbeSpec probe = probeOf(e);
            return until + probe.timeout().toNanos() < now ? ExpectationCheck.ofProbe(e, probe, record.samples(probe.name()), endNanos)
                    : null;
        }
        return record.countersReadAt(until) ? ExpectationCheck.ofCounter(e, t -> record.counterAt(e.counter(), t), endNanos) : null;
    }

    /** Why an expectation's window was not seen whole, or null when it was. */
    private String unseen(ExpectationSpec e) {
        long interruptedAt = record.interruptedAtNanos();
        long from = e.window().from().toNanos();
        long until = e.window().until() == null ? endNanos : e.window().until().toNanos();
        String window = "window [" + Units.format(e.window().from()) + ", " + Units.format(Duration.ofNanos(until)) + "]";
        if (interruptedAt >= 0) {
            String interrupted = ": the run was interrupted at " + tenths(interruptedAt);
            if (interruptedAt <= from && from > 0) {
                return window + " not reached" + interrupted;
            }
            boolean seenToTheEnd = e.counter() != null ? record.countersReadAt(until) : until <= interruptedAt;
            if (!seenToTheEnd) {
                return window + " not over" + interrupted;
            }
        }
        if (e.counter() != null) {
            for (long at : new long[] {from, until}) {
                if (at > 0 && !record.countersReadAt(at)) {
                    return window + " not seen whole: the counters could not be read at " + ExpectationCheck.seconds(at);
                }
            }
        }
        if (e.probe() != null) {
            for (long started : record.startedInFlight(e.probe())) {
                if (started >= from && started < until) {
                    return window + " not seen whole: its sample of " + ExpectationCheck.seconds(started) + " had not finished when "
                            + (interruptedAt >= 0 ? "the run was interrupted at " + tenths(interruptedAt) : "the report was written");
                }
            }
        }
        return null;
    }

    /** The expected exits of commands due after the interruption: each event's, once, not judged. */
    private List<RunReport.Expectation> commandsNotRun(long interruptedAt) {
        List<RunReport.Expectation> out = new ArrayList<>();
        for (EventSpec event : script.events()) {
            if (!(event.action() instanceof Action.Run run) || run.expectExit() == null) {
                continue;
            }
            long due = -1;
            int runs = 0;
            if (event.trigger() instanceof EventSpec.Trigger.At at && at.at().toNanos() > interruptedAt) {
                due = at.at().toNanos();
                runs = 1;
            } else if (event.trigger() instanceof EventSpec.Trigger.Every every) {
                long until = TimelineEvents.until(every, endNanos);
                for (long t = every.from().toNanos(); t < until; t += every.every().toNanos()) {
                    if (t > interruptedAt) {
                        due = due < 0 ? t : due;
                        runs++;
                    }
                }
            }
            if (runs > 0) {
                out.add(TimelineEvents.expectedExit(ActionText.of(run), run.expectExit(), due).notJudged(
                        (runs == 1 ? "not run: due at " : runs + " runs not made: due from ") + ExpectationCheck.seconds(due)
                                + ", after the run was interrupted at " + tenths(interruptedAt), null));
            }
        }
        return out;
    }

    private ProbeSpec probeOf(ExpectationSpec e) {
        return script.probes().stream().filter(p -> p.name().equals(e.probe())).findFirst().orElseThrow();
    }

    /** When the run was interrupted, to a tenth of a second: {@code 12.3s}. */
    private static String tenths(long nanos) {
        return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
    }
}
