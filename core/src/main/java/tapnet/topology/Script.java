package tapnet.topology;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A topology's {@code script:}: how long the run lasts, the probes that measure it, the events that change
 * the network on a timeline, what is expected of the probes and counters, and what to capture.
 *
 * @param capture null when nothing is captured
 */
public record Script(Duration duration, List<ProbeSpec> probes, List<EventSpec> events, List<ExpectationSpec> expectations,
                     CaptureSpec capture) {
    public Script {
        Objects.requireNonNull(duration, "duration");
        probes = List.copyOf(probes);
        events = List.copyOf(events);
        expectations = List.copyOf(expectations);
    }
}
