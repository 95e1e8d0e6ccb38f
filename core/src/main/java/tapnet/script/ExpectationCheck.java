package tapnet.script;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.LongUnaryOperator;
import tapnet.topology.ExpectationSpec.Metric;
import tapnet.topology.ExpectationSpec;
import tapnet.topology.ProbeSpec;

/**
 * Judges one expectation against what a run recorded: the samples of its probe that started inside its
 * window, or the change of its counter over the window. The result says what was expected and what was
 * seen, in the same words ({@code success >= 99%} / {@code success 96.0% of 50 samples}).
 */
public final class ExpectationCheck {
    private ExpectationCheck() {
    }

    /** A probe's expectation over its samples; {@code endNanos} is when the run ended. */
    public static RunReport.Expectation ofProbe(ExpectationSpec spec, ProbeSpec probe, List<RunReport.Sample> samples,
                                                long endNanos) {
        long from = spec.window().from().toNanos();
        long until = spec.window().until() == null ? endNanos : spec.window().until().toNanos();
        List<RunReport.Sample> inWindow = samples.stream().filter(s -> s.atNanos() >= from && s.atNanos() < until).toList();
        String unit = probe.kind().unit();
        Metric metric = spec.metric();
        double seen;
        String seenText;
        switch (metric) {
            case SUCCESS -> {
                long ok = inWindow.stream().filter(RunReport.Sample::ok).count();
                seen = inWindow.isEmpty() ? Double.NaN : (double) ok / inWindow.size();
                seenText = inWindow.isEmpty() ? "no samples" : "success " + percent(seen) + " of " + inWindow.size() + " samples";
            }
            case COUNT -> {
                seen = inWindow.size();
                seenText = "count " + inWindow.size();
            }
            case FAILURES -> {
                seen = inWindow.stream().filter(s -> !s.ok()).count();
                seenText = "failures " + (long) seen + " of " + inWindow.size() + " samples";
            }
            default -> {
                double[] values = inWindow.stream().filter(RunReport.Sample::ok).mapToDouble(RunReport.Sample::value).sorted().toArray();
                seen = values.length == 0 ? Double.NaN : statistic(metric, values);
                seenText = values.length == 0 ? "no successful samples"
                        : name(metric) + " " + number(seen) + unit(unit) + " of " + values.length + " samples";
            }
        }
        boolean passed = !Double.isNaN(seen) && spec.comparison().holds(seen, spec.threshold());
        return new RunReport.Expectation(spec.name(), spec.window().text(), spec.text(), seenText, passed, probe.name(), from, until);
    }

    /** A counter's expectation: its value at the window's end less its value at the start. */
    public static RunReport.Expectation ofCounter(ExpectationSpec spec, LongUnaryOperator counterAt, long endNanos) {
        long from = spec.window().from().toNanos();
        long until = spec.window().until() == null ? endNanos : spec.window().until().toNanos();
        long change = counterAt.applyAsLong(until) - (from == 0 ? 0 : counterAt.applyAsLong(from));
        boolean passed = spec.comparison().holds(change, spec.threshold());
        return new RunReport.Expectation(spec.name(), spec.window().text(), spec.text(), spec.counter() + " " + change, passed,
                null, from, until);
    }

    /**
     * A counter's expectation whose window the run did not see to its end (it was interrupted), for the caller
     * to leave unjudged: what it saw is the change from the window's start until the interruption.
     *
     * @param fromValue the counter at the window's start (ignored when that is 0)
     * @param nowValue  the counter when the run was interrupted
     */
    static RunReport.Expectation ofCounterSoFar(ExpectationSpec spec, long fromValue, long nowValue, long endNanos) {
        long from = spec.window().from().toNanos();
        long until = spec.window().until() == null ? endNanos : spec.window().until().toNanos();
        return new RunReport.Expectation(spec.name(), spec.window().text(), spec.text(),
                spec.counter() + " " + (nowValue - (from == 0 ? 0 : fromValue)), false, null, from, until);
    }

    /** The statistic of sorted values; percentiles by the nearest-rank method. */
    static double statistic(Metric metric, double[] sorted) {
        return switch (metric) {
            case MIN -> sorted[0];
            case MAX -> sorted[sorted.length - 1];
            case MEAN -> Arrays.stream(sorted).average().orElse(Double.NaN);
            case MEDIAN -> percentile(sorted, 50);
            case P90 -> percentile(sorted, 90);
            case P95 -> percentile(sorted, 95);
            case P99 -> percentile(sorted, 99);
            default -> throw new IllegalArgumentException(metric + " is no statistic of values");
        };
    }

    private static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String name(Metric metric) {
        return metric.name().toLowerCase(Locale.ROOT);
    }

    private static String unit(String unit) {
        return "ms".equals(unit) ? "ms" : " " + unit;
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    static String number(double value) {
        return String.format(Locale.ROOT, "%.3f", value).replaceAll("\\.?0+$", "");
    }

    /** Run time in seconds, as windows and events are written: {@code 12.5s}. */
    static String seconds(long nanos) {
        return number(nanos / 1e9) + "s";
    }
}
