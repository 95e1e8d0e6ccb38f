package tapnet.report;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tapnet.topology.yaml.Units;

/**
 * An expectation's threshold as a value on a probe plot's y axis: {@code p99 < 50ms} on a plot in ms is 50,
 * {@code median > 5mbit} on one in Mbit/s is 5, {@code max == 0} on a counter's is 0. Read from the
 * expectation's words, as the file wrote them, so reports of every version have it. Only the statistics of
 * the samples' values are on the axis; {@code success} (a share of samples), {@code count} and
 * {@code failures} (numbers of samples) are not.
 *
 * @param text  the expectation as written, {@code p99 < 50ms}
 * @param value the threshold in the plot's unit
 */
record Threshold(String text, double value) {
    private static final Pattern ON_AXIS = Pattern.compile("(min|mean|median|p90|p95|p99|max)\\s*(<=|>=|==|<|>)\\s*(\\S.*)");
    private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d+)?");

    /** The threshold of {@code expected} on an axis in {@code unit} ({@code ms}, {@code Mbit/s}, {@code count}); null when it is not on it. */
    static Threshold onAxis(String expected, String unit) {
        if (expected == null || unit == null) {
            return null;
        }
        Matcher m = ON_AXIS.matcher(expected.strip());
        if (!m.matches()) {
            return null;
        }
        String value = m.group(3).strip();
        try {
            double v = switch (unit) {
                case "ms" -> Units.duration(value).toNanos() / 1e6;
                case "Mbit/s" -> Units.rate(value) / 1e6;
                default -> NUMBER.matcher(value).matches() ? Double.parseDouble(value) : Double.NaN;
            };
            return Double.isFinite(v) ? new Threshold(expected.strip(), v) : null;
        } catch (IllegalArgumentException e) {
            return null; // words this version does not read: drawn as an expectation off the axis
        }
    }
}
