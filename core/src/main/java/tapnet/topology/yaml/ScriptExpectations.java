package tapnet.topology.yaml;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import tapnet.observe.Counter;
import tapnet.observe.DropReason;
import tapnet.topology.ExpectationSpec;
import tapnet.topology.ExpectationSpec.Comparison;
import tapnet.topology.ExpectationSpec.Metric;
import tapnet.topology.ExpectationSpec.Window;
import tapnet.topology.ProbeSpec;

/**
 * A script's {@code expect:}: each entry a probe or a counter, a window of the run, and one metric
 * compared with a threshold, {@code success: ">= 99%"}.
 */
final class ScriptExpectations {
    /** The metrics of a probe's sample values, in the probe kind's unit. */
    static final List<String> VALUE_METRICS = List.of("min", "mean", "median", "p90", "p95", "p99", "max");
    static final List<String> PROBE_METRICS = Section.concat(List.of("success", "count", "failures"), VALUE_METRICS);
    static final List<String> METRICS = Section.concat(PROBE_METRICS, List.of("value"));
    static final List<String> WINDOWS = List.of("during", "after", "at");
    static final Section.Keys EXPECTATION = new Section.Keys("an expectation", Section.concat(
            List.of("name", "probe", "counter", "during", "after", "at"), METRICS));
    /** The counters as {@code Counters.snapshot()} names them: {@code tcp_connections_opened}, {@code drop.link_down}. */
    static final Set<String> COUNTERS = counterNames();
    /** The counters an HTTP service with routes keeps: {@code http.HOST.PORT.route.N.requests} and the like. */
    static final Pattern HTTP_ROUTE_COUNTER =
            Pattern.compile("http\\.[^.\\s]+\\.\\d+\\.(route\\.\\d+\\.(requests|status\\.\\d{3})|unmatched\\.requests)");

    /** Whether {@code name} is a counter tapnet keeps, its own or an HTTP route's. */
    static boolean isCounter(String name) {
        return COUNTERS.contains(name) || HTTP_ROUTE_COUNTER.matcher(name).matches();
    }

    private static final Pattern COMPARISON = Pattern.compile("\\s*(<=|>=|==|<|>)\\s*(\\S.*?)\\s*");
    private static final String COMPARISON_EXPECTED = "OP VALUE with OP one of <, <=, ==, >=, >";

    private final ScriptReader script;
    private final Problems problems;
    private final Scalars scalars;

    ScriptExpectations(ScriptReader script) {
        this.script = script;
        this.problems = script.problems;
        this.scalars = script.scalars;
    }

    List<ExpectationSpec> read(Node value) {
        if (!(value instanceof SequenceNode list)) {
            problems.at(value, "'expect' is " + Section.describe(value) + "; expected a list of expectations, like"
                    + " [ { probe: web, during: [0s, 5s], success: \">= 99%\" } ]");
            return List.of();
        }
        List<ExpectationSpec> expectations = new ArrayList<>();
        for (Node item : list.getValue()) {
            ExpectationSpec expectation = expectation(item);
            if (expectation != null) {
                expectations.add(expectation);
            }
        }
        return expectations;
    }

    private ExpectationSpec expectation(Node item) {
        int before = problems.count();
        Section entry = Section.read(item, item, "this expectation", EXPECTATION, problems);
        if (entry == null) {
            return null;
        }
        boolean strangeKeys = problems.count() != before;
        String name = null;
        if (entry.has("name")) {
            name = scalars.text(entry.get("name"), "name", "what reports call it, like \"web answers\"");
            if (name != null && name.isBlank()) {
                problems.at(entry.get("name"), "'name' is blank; expected what reports call it, like \"web answers\"");
            }
        }
        String subjectKey = exactlyOne(entry, item, List.of("probe", "counter"), "subject", "probe: NAME or counter: NAME",
                false);
        String windowKey = exactlyOne(entry, item, WINDOWS, "window", "during: [FROM, UNTIL], after: TIME or at: end",
                false);
        String metricKey = exactlyOne(entry, item, METRICS, "metric", "one of: " + String.join(", ", METRICS), strangeKeys);
        String subject = subjectKey == null ? null : subject(entry.get(subjectKey), subjectKey);
        Window window = windowKey == null ? null : window(entry.get(windowKey), windowKey);
        if (subjectKey == null || metricKey == null || !fits(entry, subjectKey, metricKey)) {
            return null;
        }
        // a probe that did not read has no kind: its values cannot be checked, and it was reported already
        ProbeSpec probe = subjectKey.equals("probe") ? script.probes.get(subject) : null;
        Node metricNode = entry.get(metricKey);
        String comparisonText = scalars.text(metricNode, metricKey, COMPARISON_EXPECTED + ", like " + example(metricKey, probe));
        if (comparisonText == null) {
            return null;
        }
        Matcher m = COMPARISON.matcher(comparisonText);
        if (!m.matches()) {
            problems.at(metricNode, "'" + comparisonText + "' is not a comparison; expected " + COMPARISON_EXPECTED
                    + ", like " + metricKey + ": \"" + example(metricKey, probe) + "\"");
            return null;
        }
        Double threshold = threshold(metricNode, metricKey, probe, m.group(2));
        if (problems.count() != before || subject == null || window == null || threshold == null
                || (subjectKey.equals("probe") && probe == null)) {
            return null;
        }
        String text = metricKey + " " + m.group(1) + " " + m.group(2);
        return new ExpectationSpec(name != null ? name : subject + " " + text + " " + window.text(),
                subjectKey.equals("probe") ? subject : null, subjectKey.equals("counter") ? subject : null, window,
                Metric.valueOf(metricKey.toUpperCase(Locale.ROOT)), comparison(m.group(1)), threshold, text);
    }

    /** The one key of {@code choices} the entry has; none is reported unless a misspelt key was, a second always. */
    private String exactlyOne(Section entry, Node item, List<String> choices, String what, String expected, boolean quiet) {
        List<String> present = entry.keys().stream().filter(choices::contains).toList();
        if (present.isEmpty()) {
            if (!quiet) {
                problems.at(item, "this expectation has no " + what + "; expected " + expected);
            }
            return null;
        }
        for (String extra : present.subList(1, present.size())) {
            problems.at(entry.keyNode(extra), "'" + extra + "' is a second " + what + " of this expectation, which already has '"
                    + present.get(0) + "'; expected exactly one: " + expected);
        }
        return present.get(0);
    }

    /** A probe of the script or a tapnet counter; null when reported. */
    private String subject(Node node, String key) {
        if (key.equals("probe")) {
            return script.name(node, "probe", List.copyOf(script.probeNames), "probe");
        }
        String counter = scalars.text(node, "counter", "a tapnet counter, like drop.link_down or tcp_connections_opened");
        if (counter != null && !isCounter(counter)) {
            List<String> like = COUNTERS.stream().filter(c -> c.startsWith("drop.") == counter.startsWith("drop.")).toList();
            problems.at(node, "'" + counter + "' is not a tapnet counter; expected one of: " + String.join(", ", like)
                    + (counter.startsWith("drop.") ? "" : ", or drop.REASON, or an HTTP route's (http.HOST.PORT.route.N.requests)"));
            return null;
        }
        return counter;
    }

    /** Whether the metric is one the subject has: values for counters, the rest for probes (reported otherwise). */
    private boolean fits(Section entry, String subjectKey, String metricKey) {
        boolean counter = subjectKey.equals("counter");
        if (counter && !metricKey.equals("value")) {
            problems.at(entry.keyNode(metricKey), "'" + metricKey + "' is for probes, and this expectation is about a counter;"
                    + " expected value, like value: \">= 1\"");
            return false;
        }
        if (!counter && metricKey.equals("value")) {
            problems.at(entry.keyNode(metricKey), "'value' is for counters, and this expectation is about a probe; expected"
                    + " one of: " + String.join(", ", PROBE_METRICS));
            return false;
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------------
    // windows
    // ------------------------------------------------------------------------------------------------

    private Window window(Node node, String key) {
        return switch (key) {
            case "during" -> during(node);
            case "after" -> {
                Duration from = script.time(node, "after");
                if (from != null && script.duration != null && from.compareTo(script.duration) == 0) {
                    problems.at(node, "after " + Units.format(from) + " leaves nothing of the run (duration "
                            + Units.format(script.duration) + "); expected a time before the end");
                    yield null;
                }
                yield from == null ? null : new Window(from, Window.END, "after " + Units.format(from));
            }
            case "at" -> {
                String text = scalars.text(node, "at", "end (the whole run)");
                if (text != null && !text.strip().equals("end")) {
                    problems.at(node, "'" + text + "' is not a window; expected at: end (the whole run), after: TIME or"
                            + " during: [FROM, UNTIL]");
                    yield null;
                }
                yield text == null ? null : new Window(Duration.ZERO, Window.END, "at end");
            }
            default -> throw new AssertionError("a window without a reader: " + key);
        };
    }

    /** {@code during: [5s, 8s]}: from the first time up to the second. */
    private Window during(Node node) {
        if (!(node instanceof SequenceNode list) || list.getValue().size() != 2) {
            problems.at(node, "'during' is " + Section.describe(node) + "; expected two times, from and until, like"
                    + " during: [0s, 5s]");
            return null;
        }
        Duration from = script.time(list.getValue().get(0), "during");
        Duration until = script.time(list.getValue().get(1), "during");
        if (from == null || until == null) {
            return null;
        }
        if (from.compareTo(until) >= 0) {
            problems.at(node, "during [" + Units.format(from) + ", " + Units.format(until) + "] is empty; expected its"
                    + " first time before its second, like [0s, 5s]");
            return null;
        }
        return new Window(from, until, "during [" + Units.format(from) + ", " + Units.format(until) + "]");
    }

    // ------------------------------------------------------------------------------------------------
    // thresholds
    // ------------------------------------------------------------------------------------------------

    /**
     * The threshold in the metric's unit: a fraction for success, a count for counts and counters,
     * milliseconds for the values of timed probes, Mbit/s for bulk ones. Null when reported (or when the
     * probe did not read, whose kind is unknown).
     */
    private Double threshold(Node node, String metric, ProbeSpec probe, String text) {
        try {
            switch (metric) {
                case "success":
                    return Units.fraction(text);
                case "count", "failures", "value":
                    if (!text.matches("\\d{1,15}")) {
                        problems.at(node, "'" + text + "' is not a whole number; expected a count, like " + metric + ": \""
                                + example(metric, probe) + "\"");
                        return null;
                    }
                    return (double) Long.parseLong(text);
                default:
                    if (probe == null) {
                        return null;
                    }
                    if (probe.kind() == ProbeSpec.Kind.BULK) {
                        return Units.rate(text) / 1e6;
                    }
                    if (probe.kind() == ProbeSpec.Kind.COUNTER) {
                        if (!text.matches("\\d{1,15}")) {
                            throw new IllegalArgumentException("'" + text + "' is not a whole number; expected a count");
                        }
                        return (double) Long.parseLong(text);
                    }
                    return Units.duration(text).toNanos() / 1e6;
            }
        } catch (IllegalArgumentException e) {
            String unit = probe == null || !VALUE_METRICS.contains(metric) ? "" : " (a " + probe.kind().name().toLowerCase(Locale.ROOT) + " probe's samples are "
                    + (probe.kind() == ProbeSpec.Kind.BULK ? "rates" : probe.kind() == ProbeSpec.Kind.COUNTER ? "counts" : "times") + ")";
            problems.at(node, e.getMessage() + unit);
            return null;
        }
    }

    private static String example(String metric, ProbeSpec probe) {
        return switch (metric) {
            case "success" -> ">= 99%";
            case "count", "failures", "value" -> metric.equals("failures") ? "<= 1" : ">= 1";
            default -> probe != null && probe.kind() == ProbeSpec.Kind.BULK ? "> 5mbit"
                    : probe != null && probe.kind() == ProbeSpec.Kind.COUNTER ? "<= 100" : "< 50ms";
        };
    }

    private static Comparison comparison(String symbol) {
        for (Comparison c : Comparison.values()) {
            if (c.symbol().equals(symbol)) {
                return c;
            }
        }
        throw new AssertionError("the pattern admits only the five symbols: " + symbol);
    }

    private static Set<String> counterNames() {
        Set<String> names = new LinkedHashSet<>();
        for (Counter c : Counter.ALL) {
            names.add(c.name().toLowerCase(Locale.ROOT));
        }
        for (DropReason r : DropReason.ALL) {
            if (r != DropReason.NONE) { // counts no drop: never in a snapshot
                names.add("drop." + r.name().toLowerCase(Locale.ROOT));
            }
        }
        return java.util.Collections.unmodifiableSet(names); // in enum order, for messages
    }
}
