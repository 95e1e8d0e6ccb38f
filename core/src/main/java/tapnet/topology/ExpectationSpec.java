package tapnet.topology;

import java.time.Duration;
import java.util.Objects;

/**
 * What must hold of a run: a {@link Metric} of a probe's samples, or of a counter, within a {@link Window},
 * compared with a threshold. A failed expectation names itself, its window, what it expected and what it saw.
 *
 * @param name      what it is called in reports; the file's {@code name:}, or made from the rest
 * @param probe     the probe whose samples it is about; null when it is about a counter
 * @param counter   the counter it is about ({@code drop.link_down}); null when about a probe
 * @param threshold in the metric's unit: a fraction 0-1 for success, milliseconds or Mbit/s for values
 *                  (the probe kind's unit), a count for counts and counters
 * @param text      the expectation as the file wrote it, {@code success >= 99%}: for messages
 */
public record ExpectationSpec(String name, String probe, String counter, Window window, Metric metric, Comparison comparison,
                              double threshold, String text) {
    public ExpectationSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(comparison, "comparison");
        if ((probe == null) == (counter == null)) {
            throw new IllegalArgumentException("an expectation is about a probe or a counter");
        }
    }

    /** The samples (or counter change) it looks at: taken from {@code from} up to {@code until}. */
    public record Window(Duration from, Duration until, String text) {
        /** Until the end of the run. */
        public static final Duration END = null;

        public Window {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(text, "text");
        }
    }

    /** What is measured over the window's samples. */
    public enum Metric {
        /** The fraction of samples that succeeded, 0 to 1. */
        SUCCESS,
        /** How many samples were taken. */
        COUNT,
        /** How many samples failed. */
        FAILURES,
        MIN, MEAN, MEDIAN, P90, P95, P99, MAX,
        /** A counter's increase over the window; with a window from 0 to the end, its final value. */
        VALUE
    }

    public enum Comparison {
        LESS("<"), AT_MOST("<="), EQUAL("=="), AT_LEAST(">="), MORE(">");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        public boolean holds(double seen, double threshold) {
            return switch (this) {
                case LESS -> seen < threshold;
                case AT_MOST -> seen <= threshold;
                case EQUAL -> seen == threshold;
                case AT_LEAST -> seen >= threshold;
                case MORE -> seen > threshold;
            };
        }
    }
}
