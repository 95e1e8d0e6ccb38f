package tapnet.topology;

import java.time.Duration;
import java.util.Objects;

/**
 * One entry of the timeline: when it happens ({@link Trigger}) and what it does ({@link Action}).
 *
 * @param name optional (null): other events may follow it with {@link Trigger.After}
 */
public record EventSpec(String name, Trigger trigger, Action action) {
    public EventSpec {
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(action, "action");
    }

    /** When an event happens; times count from the start of the run. */
    public sealed interface Trigger {
        /** Once, at {@code at}. */
        record At(Duration at) implements Trigger {
        }

        /** At {@code from}, then every {@code every}, while before {@code until}. */
        record Every(Duration every, Duration from, Duration until) implements Trigger {
        }

        /** {@code delay} after each time the event named {@code event} happened. */
        record After(String event, Duration delay) implements Trigger {
        }

        /** {@code delay} after the first sample of probe {@code probe} whose success is {@code ok}. */
        record When(String probe, boolean ok, Duration delay) implements Trigger {
        }
    }
}
