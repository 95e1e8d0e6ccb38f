package tapnet.script;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tapnet.topology.Action;
import tapnet.topology.EventSpec;
import tapnet.topology.Script;
import tapnet.topology.yaml.ActionText;

/**
 * The script's events, applied on the timeline when their trigger says: at a time, every so often, a while
 * after another event, or when a probe's sample first succeeds or fails. Each is noted in the capture, done
 * through the {@link ScriptTarget}, and recorded as it completes; a command's expected exit is judged then.
 *
 * <p>Events happen on the timeline's thread; what they did completes on the thread that did it (the engine's,
 * a command's), so the result goes into the {@link RunRecord}, under its lock.
 */
final class TimelineEvents {
    /** How long an action other than a command may take before the timeline moves on without it. */
    private static final long APPLY_WAIT_SECONDS = 5;

    private final Script script;
    private final Timeline timeline;
    private final ScriptTarget target;
    private final RunRecord record;
    private final long endNanos;

    TimelineEvents(Script script, Timeline timeline, ScriptTarget target, RunRecord record, long endNanos) {
        this.script = script;
        this.timeline = timeline;
        this.target = target;
        this.record = record;
        this.endNanos = endNanos;
    }

    /** Schedules the events due at a time or every so often; the others follow what they wait for. */
    void start() {
        for (EventSpec event : script.events()) {
            if (event.trigger() instanceof EventSpec.Trigger.At at) {
                timeline.at(at.at().toNanos(), () -> happen(event));
            } else if (event.trigger() instanceof EventSpec.Trigger.Every every) {
                long until = until(every, endNanos);
                for (long t = every.from().toNanos(); t < until; t += every.every().toNanos()) {
                    timeline.at(t, () -> happen(event));
                }
            }
        }
    }

    /** The events waiting for a sample of {@code probe} that succeeded ({@code ok}) or failed, in the script's order. */
    List<EventSpec> waitingFor(String probe, boolean ok) {
        List<EventSpec> waiting = new ArrayList<>();
        for (EventSpec event : script.events()) {
            if (event.trigger() instanceof EventSpec.Trigger.When when && when.probe().equals(probe) && when.ok() == ok) {
                waiting.add(event);
            }
        }
        return waiting;
    }

    /** Schedules when-triggered events that a sample has just fired, each after its delay. */
    void fired(List<EventSpec> events) {
        for (EventSpec event : events) {
            long delay = ((EventSpec.Trigger.When) event.trigger()).delay().toNanos();
            timeline.at(timeline.now() + delay, () -> happen(event));
        }
    }

    private void happen(EventSpec event) {
        long at = timeline.now();
        if (record.ended()) {
            return;
        }
        String text = ActionText.of(event.action());
        target.comment((event.name() == null ? "" : event.name() + ": ") + text, at);
        boolean command = event.action() instanceof Action.Run;
        Integer expectExit = command ? ((Action.Run) event.action()).expectExit() : null;
        RunReport.Expectation running = expectExit == null ? null : expectedExit(text, expectExit, at);
        if (command) {
            record.commandStarted(running);
        }
        CompletableFuture<String> applied = target.apply(event.action());
        applied.whenComplete((detail, failure) -> {
            String why = failure == null ? detail : message(failure);
            RunReport.Expectation judged = running == null ? null : new RunReport.Expectation(running.name(),
                    running.window(), running.expected(), why, failure == null && running.expected().equals(detail));
            record.eventDone(new RunReport.Event(at, event.name(), text, failure == null, why), command, running, judged);
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

    /** When an every-so-often event stops: at its own end, or the run's, whichever comes first. */
    static long until(EventSpec.Trigger.Every every, long endNanos) {
        return every.until() == null ? endNanos : Math.min(endNanos, every.until().toNanos());
    }

    /** A command's expected exit, not judged yet: the command {@code text} run at {@code at} exits {@code exit}. */
    static RunReport.Expectation expectedExit(String text, int exit, long at) {
        return new RunReport.Expectation(text + " exits " + exit, "at " + ExpectationCheck.seconds(at), "exit " + exit, null, false);
    }

    private static void awaitQuietly(CompletableFuture<String> applied) {
        try {
            applied.get(APPLY_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // recorded with the event as it completes
        }
    }

    private static String message(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
