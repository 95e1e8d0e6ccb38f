package tapnet.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import tapnet.script.RunReport;

/**
 * {@code report.html}: the run on one self-contained page (inline CSS and SVG, no script, nothing fetched),
 * so it opens anywhere, offline, and as a CI artifact: the header, a merged report's parts, the expectations, a
 * plot per probe, the events, the counters, the per-link counters and the topology. The same report gives the same bytes.
 */
public final class ReportHtml {
    private ReportHtml() {
    }

    public static void write(Path file, RunReport report) throws IOException {
        Files.writeString(file, text(report), StandardCharsets.UTF_8);
    }

    public static String text(RunReport r) {
        StringBuilder out = new StringBuilder();
        String verdict = r.interrupted() ? "interrupted" : r.passed() ? "passed" : "failed";
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(Xml.content("tapnet: " + r.topology() + " " + verdict.toUpperCase(java.util.Locale.ROOT)))
                .append("</title>\n<style>\n").append(ReportStyle.CSS).append("</style>\n</head>\n<body>\n");
        header(out, r, verdict);
        PartsHtml.write(out, r);
        expectations(out, r);
        probes(out, r);
        events(out, r);
        counters(out, r);
        links(out, r);
        out.append("<section id=\"topology\">\n<h2>Topology</h2>\n<div class=\"scroll\">").append(TopologyTree.svg(r))
                .append("</div>\n</section>\n");
        out.append("<footer>Written by tapnet ").append(Xml.content(r.tapnetVersion()))
                .append(". <code>tapnet report DIR</code> writes this page again from DIR/report.json.</footer>\n");
        return out.append("</body>\n</html>\n").toString();
    }

    private static void header(StringBuilder out, RunReport r, String verdict) {
        long held = r.expectations().stream().filter(RunReport.Expectation::passed).count();
        out.append("<header>\n<h1>tapnet: ").append(Xml.content(r.topology())).append(" <span class=\"verdict ").append(verdict)
                .append("\">").append(verdict.toUpperCase(java.util.Locale.ROOT)).append("</span></h1>\n<dl>\n");
        item(out, "file", r.file());
        item(out, "part", r.part());
        if (!r.parts().isEmpty()) {
            item(out, "parts", r.parts().stream().map(RunReport.PartRun::name).collect(Collectors.joining(", "))
                    + " (started " + Decimals.seconds(r.startSpreadMillis() * 1_000_000L) + " s apart)");
        }
        item(out, "seed", Long.toString(r.seed()));
        long notJudged = r.notJudged();
        item(out, "expectations", held + " of " + r.expectations().size() + " held"
                + (notJudged == 0 ? "" : ", " + notJudged + " not judged"));
        item(out, "duration", Decimals.seconds(r.durationNanos()) + " s" + (r.interrupted()
                ? " of " + Decimals.format(r.plannedDurationNanos() / 1e9) + " s planned: interrupted" : ""));
        item(out, "run", r.simulated() ? "simulated (virtual clock)" : "live");
        if (r.startedAtEpochMillis() != 0) {
            item(out, "started", Instant.ofEpochMilli(r.startedAtEpochMillis()).toString());
        }
        item(out, "tapnet", r.tapnetVersion());
        item(out, "java", r.javaVersion());
        out.append("</dl>\n</header>\n");
    }

    private static void item(StringBuilder out, String term, String value) {
        if (value != null) {
            out.append("<div><dt>").append(term).append("</dt><dd>").append(Xml.content(value)).append("</dd></div>\n");
        }
    }

    private static void expectations(StringBuilder out, RunReport r) {
        out.append("<section id=\"expectations\">\n<h2>Expectations</h2>\n");
        if (r.expectations().isEmpty()) {
            out.append("<p class=\"none\">No expectations.</p>\n</section>\n");
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        for (RunReport.Expectation e : r.expectations()) {
            String seen = e.judged() ? nullToEmpty(e.seen()) : "not judged: " + e.notJudgedText();
            rows.add(List.of(!e.judged() ? "NOT JUDGED" : e.passed() ? "held" : "FAILED", e.name(), nullToEmpty(e.window()),
                    nullToEmpty(e.expected()), seen));
            classes.add(!e.judged() ? "unjudged" : e.passed() ? "pass" : "fail");
        }
        HtmlTable.write(out, List.of("", "expectation", "window", "expected", "seen"), rows, classes);
        out.append("</section>\n");
    }

    private static void probes(StringBuilder out, RunReport r) {
        out.append("<section id=\"probes\">\n<h2>Probes</h2>\n");
        if (r.probes().isEmpty()) {
            out.append("<p class=\"none\">No probes.</p>\n");
        }
        for (RunReport.Probe p : r.probes()) {
            long failed = p.samples().stream().filter(s -> !s.ok()).count();
            out.append("<figure class=\"probe\">\n<figcaption><b>").append(Xml.content(p.name())).append("</b> ")
                    .append(Xml.content("counter".equals(p.kind()) ? "counter " + p.target() : p.kind() + " from " + p.from() + " to " + p.target()))
                    .append(" <span class=\"stats\">").append(p.samples().size()).append(" samples, ")
                    .append(failed).append(" failed").append(failures(p)).append(median(p)).append("</span></figcaption>\n")
                    .append(ProbePlot.svg(r, p)).append("\n</figure>\n");
        }
        out.append("</section>\n");
    }

    /** What the failed samples' outcomes were, the most frequent first: {@code  (10 NXDOMAIN, 2 timeout)}; nothing when none failed. */
    private static String failures(RunReport.Probe p) {
        Map<String, Long> byOutcome = p.samples().stream().filter(s -> !s.ok())
                .collect(Collectors.groupingBy(s -> String.valueOf(s.outcome()), TreeMap::new, Collectors.counting()));
        if (byOutcome.isEmpty()) {
            return "";
        }
        return Xml.content(byOutcome.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()) // stable: ties stay in name order
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", ", " (", ")")));
    }

    /** {@code ; median 21.5 ms} of the answered samples, or nothing when there are none. */
    private static String median(RunReport.Probe p) {
        double[] values = p.samples().stream().filter(s -> s.ok() && Double.isFinite(s.value()))
                .mapToDouble(RunReport.Sample::value).sorted().toArray();
        if (values.length == 0) {
            return "";
        }
        double median = values.length % 2 == 1 ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
        return Xml.content("; median " + Decimals.format(median) + " " + p.unit());
    }

    private static void events(StringBuilder out, RunReport r) {
        out.append("<section id=\"events\">\n<h2>Events</h2>\n");
        if (r.events().isEmpty()) {
            out.append("<p class=\"none\">No events.</p>\n</section>\n");
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        for (RunReport.Event e : r.events()) {
            rows.add(List.of(Decimals.seconds(e.atNanos()), nullToEmpty(e.name()), nullToEmpty(e.action()),
                    e.ok() ? "ok" : "FAILED", nullToEmpty(e.detail())));
            classes.add(e.ok() ? "" : "fail");
        }
        HtmlTable.write(out, List.of("time (s)", "name", "action", "result", "detail"), rows, classes);
        out.append("</section>\n");
    }

    /** The counters in groups: DNS, UDP, HTTP routes (a row per route), then the others. */
    private static void counters(StringBuilder out, RunReport r) {
        out.append("<section id=\"counters\">\n<h2>Counters</h2>\n");
        CounterGroups groups = CounterGroups.of(r);
        if (r.counters().isEmpty() && groups.routes.isEmpty()) {
            out.append("<p class=\"none\">No counters.</p>\n");
        }
        counterTable(out, "DNS", groups.dns);
        counterTable(out, "UDP", groups.udp);
        if (!groups.routes.isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            groups.routes.forEach(row -> rows.add(List.of(row.host(), Integer.toString(row.port()),
                    row.route() == 0 ? "" : Integer.toString(row.route()), row.name(), Long.toString(row.requests()), row.statusText())));
            out.append("<h3>HTTP routes</h3>\n");
            HtmlTable.write(out, List.of("host", "port", "route", "method and path", "requests", "statuses"), rows, List.of());
        }
        counterTable(out, groups.dns.isEmpty() && groups.udp.isEmpty() && groups.routes.isEmpty() ? null : "Others", groups.others);
        out.append("</section>\n");
    }

    /** A table of counters under a heading (none: no heading); nothing when there are none. */
    private static void counterTable(StringBuilder out, String heading, java.util.Map<String, Long> counters) {
        if (counters.isEmpty()) {
            return;
        }
        if (heading != null) {
            out.append("<h3>").append(heading).append("</h3>\n");
        }
        List<List<String>> rows = new ArrayList<>();
        counters.forEach((name, value) -> rows.add(List.of(name, Long.toString(value))));
        HtmlTable.write(out, List.of("counter", "value"), rows, List.of());
    }

    /** One row per link direction, one column per counter any of them has. */
    private static void links(StringBuilder out, RunReport r) {
        out.append("<section id=\"links\">\n<h2>Links</h2>\n");
        TreeSet<String> names = new TreeSet<>();
        r.links().forEach(l -> names.addAll(l.counters().keySet()));
        if (r.links().isEmpty()) {
            out.append("<p class=\"none\">No link counters.</p>\n</section>\n");
            return;
        }
        List<String> headers = new ArrayList<>(List.of("link", "direction"));
        headers.addAll(names);
        List<List<String>> rows = new ArrayList<>();
        for (RunReport.LinkCounters l : r.links()) {
            List<String> row = new ArrayList<>(List.of(l.link(), nullToEmpty(l.direction())));
            names.forEach(n -> row.add(l.counters().containsKey(n) ? Long.toString(l.counters().get(n)) : ""));
            rows.add(row);
        }
        out.append("<div class=\"scroll\">"); // a table still too wide scrolls inside the page, not the page
        HtmlTable.write(out, headers, rows, List.of());
        out.append("</div>\n</section>\n");
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
