package tapnet.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import tapnet.script.RunReport;

/**
 * The parts of a merged report on its page: when each started, how far after the earliest, how long it ran and
 * its verdict; a warning when they started more than {@link #WARN_SPREAD_MILLIS} apart; and each part's counters
 * beside their total.
 */
final class PartsHtml {
    /** Parts that started further apart than this did not play the script in step: the page says so. */
    static final long WARN_SPREAD_MILLIS = 1000;

    private PartsHtml() {
    }

    static void write(StringBuilder out, RunReport r) {
        if (r.parts().isEmpty()) {
            return;
        }
        long spread = r.startSpreadMillis();
        out.append("<section id=\"parts\">\n<h2>Parts</h2>\n<p>Merged from ").append(r.parts().size())
                .append(" parts' reports, which started ").append(seconds(spread))
                .append(" s apart; times are from the earliest start.</p>\n");
        if (spread > WARN_SPREAD_MILLIS) {
            out.append("<p class=\"warning\">Warning: the parts started ").append(seconds(spread))
                    .append(" s apart, more than ").append(seconds(WARN_SPREAD_MILLIS))
                    .append(" s: they did not play the script in step (the same script time came up to ")
                    .append(seconds(spread)).append(" s apart in different parts).</p>\n");
        }
        List<List<String>> rows = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        for (RunReport.PartRun p : r.parts()) {
            String verdict = p.interrupted() ? "interrupted" : p.passed() ? "passed" : "FAILED";
            rows.add(List.of(p.name(), Instant.ofEpochMilli(p.startedAtEpochMillis()).toString(),
                    seconds(p.startedAtEpochMillis() - r.startedAtEpochMillis()), Decimals.seconds(p.durationNanos()), verdict));
            classes.add(p.interrupted() ? "unjudged" : p.passed() ? "pass" : "fail");
        }
        HtmlTable.write(out, List.of("part", "started", "after the first (s)", "duration (s)", "result"), rows, classes);
        counters(out, r);
        out.append("</section>\n");
    }

    /** A row per counter, a column per part and one for the total (the report's counters). */
    private static void counters(StringBuilder out, RunReport r) {
        TreeSet<String> names = new TreeSet<>(r.counters().keySet());
        r.parts().forEach(p -> names.addAll(p.counters().keySet()));
        if (names.isEmpty()) {
            return;
        }
        List<String> headers = new ArrayList<>(List.of("counter"));
        r.parts().forEach(p -> headers.add(p.name()));
        headers.add("total");
        List<List<String>> rows = new ArrayList<>();
        for (String name : names) {
            List<String> row = new ArrayList<>(List.of(name));
            r.parts().forEach(p -> row.add(p.counters().containsKey(name) ? Long.toString(p.counters().get(name)) : ""));
            row.add(r.counters().containsKey(name) ? Long.toString(r.counters().get(name)) : "");
            rows.add(row);
        }
        out.append("<h3>Counters by part</h3>\n<div class=\"scroll\">");
        HtmlTable.write(out, headers, rows, List.of());
        out.append("</div>\n");
    }

    private static String seconds(long millis) {
        return Decimals.seconds(millis * 1_000_000L);
    }
}
