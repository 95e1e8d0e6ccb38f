package tapnet.cli.metrics;

/**
 * Writes metric families in the Prometheus text format 0.0.4 or in OpenMetrics 1.0.0: a family's
 * {@code # HELP} and {@code # TYPE} lines, then its samples, {@code # EOF} at the end of OpenMetrics.
 * Counters and gauges with integer values are all tapnet exposes, so this is the whole of both formats it
 * needs.
 *
 * <p>Why not {@code io.prometheus:prometheus-metrics-exposition-textformats} 1.10.0: it brings
 * {@code prometheus-metrics-model} and {@code prometheus-metrics-config} with it, 150 classes and 244 KB of
 * jars (measured: 48 + 142 + 54 KB), and a scrape would first build the model's snapshots (builders, label
 * objects) only for the library to walk them. The two formats' rules for counters and gauges fit in this
 * class: the "a writer of your own if it is truly smaller" holds.
 */
final class ExpositionWriter {
    private final StringBuilder out = new StringBuilder(16 * 1024);
    private final boolean openMetrics;
    /** The current family's sample name (a counter's with {@code _total}). */
    private String sampleName;

    ExpositionWriter(boolean openMetrics) {
        this.openMetrics = openMetrics;
    }

    /** Starts a counter family; {@code name} ends in {@code _total}, as its samples are named. */
    ExpositionWriter counter(String name, String help) {
        if (!name.endsWith("_total")) {
            throw new IllegalArgumentException("a counter's name ends in _total: " + name);
        }
        // OpenMetrics names the family without the suffix its samples carry; 0.0.4 names it as the samples.
        return family(openMetrics ? name.substring(0, name.length() - "_total".length()) : name, name, "counter", help);
    }

    /** Starts a gauge family. */
    ExpositionWriter gauge(String name, String help) {
        return family(name, name, "gauge", help);
    }

    private ExpositionWriter family(String familyName, String sampleName, String type, String help) {
        checkName(familyName);
        this.sampleName = sampleName;
        out.append("# HELP ").append(familyName).append(' ');
        escape(help, openMetrics); // 0.0.4 escapes only \ and newline in HELP; OpenMetrics the quote too
        out.append("\n# TYPE ").append(familyName).append(' ').append(type).append('\n');
        return this;
    }

    /** A sample of the current family; {@code labels} are name, value, name, value... */
    ExpositionWriter sample(long value, String... labels) {
        out.append(sampleName);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"");
                escape(labels[i + 1], true);
                out.append('"');
            }
            out.append('}');
        }
        out.append(' ').append(value).append('\n');
        return this;
    }

    /** The exposition: OpenMetrics ends with {@code # EOF}. */
    String finish() {
        if (openMetrics) {
            out.append("# EOF\n");
        }
        return out.toString();
    }

    /** Label values (and OpenMetrics' HELP): backslash, double quote and line feed escaped, as both formats say. */
    private void escape(String text, boolean quote) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '"' -> out.append(quote ? "\\\"" : "\"");
                default -> out.append(c);
            }
        }
    }

    /** A metric name as both formats allow it: {@code [a-zA-Z_:][a-zA-Z0-9_:]*}. */
    static boolean isValidName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean letter = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':';
            if (!letter && !(i > 0 && c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    private static void checkName(String name) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("not a metric name: " + name);
        }
    }
}
