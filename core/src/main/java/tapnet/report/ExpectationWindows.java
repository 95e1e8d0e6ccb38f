package tapnet.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tapnet.script.RunReport;

/**
 * Which expectations are about a probe, and the stretch of the run each looks at, for shading plots. A
 * report's expectation keeps only words (its name and window as written), so both are read from them: an
 * expectation is about a probe when its name has the probe's name as a word, and its window is read
 * from the window's text: {@code 10s..20s}, {@code from 10s to 20s}, {@code 12s..end}, {@code after 12s},
 * {@code until 5s}, {@code last 5s}; no time at all (e.g. {@code whole run}) is the whole run (as planned:
 * an interrupted run's windows reach past its interruption, to the end it did not reach).
 */
final class ExpectationWindows {
    private static final Pattern DURATION = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ns|us|µs|ms|s|m|h)(?![a-z]))+");
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    /** An expectation's stretch of the run, in nanoseconds from its start. */
    record Shade(RunReport.Expectation expectation, long fromNanos, long untilNanos) {
    }

    private ExpectationWindows() {
    }

    /**
     * The windows of the expectations about {@code probe}, in the report's order: as the expectation gives
     * them when it names its probe and window in numbers (what runs write), else read from its words.
     */
    static List<Shade> of(RunReport report, String probe) {
        Pattern word = Pattern.compile("(?<![\\w.-])" + Pattern.quote(probe) + "(?![\\w-])");
        List<Shade> shades = new ArrayList<>();
        for (RunReport.Expectation e : report.expectations()) {
            if (e.untilNanos() >= 0) {
                if (probe.equals(e.probe())) {
                    shades.add(new Shade(e, e.fromNanos(), Math.min(e.untilNanos(), report.plannedDurationNanos())));
                }
            } else if (word.matcher(e.name()).find()) {
                long[] window = window(e.window(), report.plannedDurationNanos());
                shades.add(new Shade(e, window[0], window[1]));
            }
        }
        return shades;
    }

    /** {from, until} of a window's text, within 0 to {@code end}. */
    static long[] window(String text, long end) {
        String lower = text == null ? "" : text.toLowerCase(Locale.ROOT).strip();
        List<Long> times = new ArrayList<>();
        Matcher m = DURATION.matcher(lower);
        while (m.find()) {
            times.add(nanos(m.group()));
        }
        long from = 0;
        long until = end;
        if (times.size() >= 2 && !lower.contains("end")) {
            from = times.get(0);
            until = times.get(1);
        } else if (times.size() >= 1) {
            long t = times.get(0);
            if (lower.startsWith("until") || lower.startsWith("before") || lower.startsWith("first") || lower.startsWith("to")) {
                until = t;
            } else if (lower.startsWith("last")) {
                from = end - t;
            } else {
                from = t;
            }
        }
        from = Math.max(0, Math.min(from, end));
        until = Math.max(from, Math.min(until, end));
        return new long[] {from, until};
    }

    /** {@code 1m30s}, {@code 250ms}, {@code 1.5s} in nanoseconds. */
    private static long nanos(String duration) {
        double total = 0;
        Matcher m = PART.matcher(duration);
        while (m.find()) {
            double value = Double.parseDouble(m.group(1));
            total += value * switch (m.group(2)) {
                case "ns" -> 1;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
        }
        return Math.round(total);
    }
}
