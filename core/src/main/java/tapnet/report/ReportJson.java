package tapnet.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import tapnet.script.RunReport;

/**
 * {@code report.json}: a {@link RunReport} as pretty JSON, keys in a fixed order and numbers in a fixed
 * form, so the same run gives the same bytes; and read back (JSON is YAML 1.2, so snakeyaml-engine reads
 * it). The keys are the record components' names; {@code passed} is written for readers and ignored on reading.
 * Keys added since the first reports ({@code interrupted}, {@code plannedDurationNanos}, an expectation's
 * {@code notJudged}) may be missing: such a report is of a run that was not interrupted, every expectation judged.
 * {@code part} is written only for a part's run, {@code parts} and {@code startSpreadMillis} (written for readers,
 * ignored on reading) only for a merged report.
 */
public final class ReportJson {
    /** The layout's version, first in the file: bumped when a key changes meaning. */
    static final int FORMAT = 1;

    private ReportJson() {
    }

    public static String text(RunReport report) {
        return Json.write(tree(report));
    }

    public static void write(Path file, RunReport report) throws IOException {
        Files.writeString(file, text(report), StandardCharsets.UTF_8);
    }

    public static RunReport read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    public static RunReport parse(String json) throws ReportFormatException {
        Object tree;
        try {
            // Reports of long runs are big: lift the parser's default limit of 3 M characters.
            tree = new Load(LoadSettings.builder().setCodePointLimit(Integer.MAX_VALUE).build()).loadFromString(json);
        } catch (YamlEngineException e) {
            throw new ReportFormatException("not JSON: " + e.getMessage(), e);
        }
        return report(JsonObject.of("report", tree));
    }

    private static Map<String, Object> tree(RunReport r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("topology", r.topology());
        root.put("file", r.file());
        root.put("seed", r.seed());
        root.put("tapnetVersion", r.tapnetVersion());
        root.put("javaVersion", r.javaVersion());
        root.put("simulated", r.simulated());
        root.put("startedAtEpochMillis", r.startedAtEpochMillis());
        root.put("durationNanos", r.durationNanos());
        root.put("plannedDurationNanos", r.plannedDurationNanos());
        root.put("interrupted", r.interrupted());
        root.put("passed", r.passed());
        if (r.part() != null) {
            root.put("part", r.part());
        }
        if (!r.parts().isEmpty()) {
            root.put("startSpreadMillis", r.startSpreadMillis());
        }
        root.put("nodes", map(r.nodes(), n -> fields("name", n.name(), "kind", n.kind(), "address", n.address())));
        root.put("edges", map(r.edges(), e -> fields("parent", e.parent(), "child", e.child(), "description", e.description())));
        root.put("events", map(r.events(), e -> fields("atNanos", e.atNanos(), "name", e.name(), "action", e.action(),
                "ok", e.ok(), "detail", e.detail())));
        root.put("probes", map(r.probes(), p -> {
            Map<String, Object> probe = fields("name", p.name(), "kind", p.kind(), "from", p.from(), "target", p.target(),
                    "unit", p.unit());
            probe.put("samples", map(p.samples(), s -> fields("atNanos", s.atNanos(), "ok", s.ok(), "value", s.value(),
                    "outcome", s.outcome())));
            return probe;
        }));
        root.put("expectations", map(r.expectations(), e -> fields("name", e.name(), "window", e.window(),
                "expected", e.expected(), "seen", e.seen(), "passed", e.passed(), "notJudged", e.notJudged(), "probe", e.probe(),
                "fromNanos", e.fromNanos(), "untilNanos", e.untilNanos())));
        root.put("counters", r.counters());
        // the route counters again, a row per route with its method and path: what report.html's table shows
        root.put("httpRoutes", map(CounterGroups.of(r).routes, row -> {
            Map<String, Object> route = fields("host", row.host(), "port", (long) row.port(), "route", (long) row.route(),
                    "name", row.name(), "requests", row.requests());
            Map<String, Object> statuses = new LinkedHashMap<>();
            row.statuses().forEach((status, n) -> statuses.put(Integer.toString(status), n));
            route.put("statuses", statuses);
            return route;
        }));
        root.put("links", map(r.links(), l -> {
            Map<String, Object> link = fields("link", l.link(), "direction", l.direction());
            link.put("counters", l.counters());
            return link;
        }));
        if (!r.parts().isEmpty()) {
            root.put("parts", map(r.parts(), p -> {
                Map<String, Object> part = fields("name", p.name(), "startedAtEpochMillis", p.startedAtEpochMillis(),
                        "durationNanos", p.durationNanos(), "interrupted", p.interrupted(), "passed", p.passed());
                part.put("counters", p.counters());
                return part;
            }));
        }
        return root;
    }

    private static RunReport report(JsonObject o) throws ReportFormatException {
        if (o.integer("format") != FORMAT) {
            throw new ReportFormatException("report.format: " + o.integer("format") + " is not " + FORMAT
                    + " (written by another tapnet version)");
        }
        List<RunReport.Node> nodes = new ArrayList<>();
        for (JsonObject n : o.objects("nodes")) {
            nodes.add(new RunReport.Node(n.string("name"), n.string("kind"), n.optionalString("address")));
        }
        List<RunReport.Edge> edges = new ArrayList<>();
        for (JsonObject e : o.objects("edges")) {
            edges.add(new RunReport.Edge(e.string("parent"), e.string("child"), e.optionalString("description")));
        }
        List<RunReport.Event> events = new ArrayList<>();
        for (JsonObject e : o.objects("events")) {
            events.add(new RunReport.Event(e.integer("atNanos"), e.optionalString("name"), e.optionalString("action"),
                    e.bool("ok"), e.optionalString("detail")));
        }
        List<RunReport.Probe> probes = new ArrayList<>();
        for (JsonObject p : o.objects("probes")) {
            List<RunReport.Sample> samples = new ArrayList<>();
            for (JsonObject s : p.objects("samples")) {
                samples.add(new RunReport.Sample(s.integer("atNanos"), s.bool("ok"), s.number("value"), s.optionalString("outcome")));
            }
            probes.add(new RunReport.Probe(p.string("name"), p.optionalString("kind"), p.optionalString("from"),
                    p.optionalString("target"), p.optionalString("unit"), samples));
        }
        List<RunReport.Expectation> expectations = new ArrayList<>();
        for (JsonObject e : o.objects("expectations")) {
            String notJudged = e.optionalString("notJudged");
            if (notJudged != null && e.bool("passed")) {
                throw new ReportFormatException(e.where() + ": passed, and not judged (" + notJudged + "); expected one of them");
            }
            expectations.add(new RunReport.Expectation(e.string("name"), e.optionalString("window"), e.optionalString("expected"),
                    e.optionalString("seen"), e.bool("passed"), e.optionalString("probe"), e.optionalInteger("fromNanos", 0),
                    e.optionalInteger("untilNanos", -1), notJudged));
        }
        List<RunReport.LinkCounters> links = new ArrayList<>();
        for (JsonObject l : o.objects("links")) {
            links.add(new RunReport.LinkCounters(l.string("link"), l.optionalString("direction"), l.counts("counters")));
        }
        List<RunReport.HttpRouteName> routes = new ArrayList<>();
        for (JsonObject h : o.map().get("httpRoutes") == null ? List.<JsonObject>of() : o.objects("httpRoutes")) {
            if (h.integer("route") > 0) { // route 0, the unmatched requests, is made again from the counters
                routes.add(new RunReport.HttpRouteName(h.string("host"), (int) h.integer("port"), (int) h.integer("route"),
                        h.string("name")));
            }
        }
        List<RunReport.PartRun> parts = new ArrayList<>();
        for (JsonObject p : o.map().get("parts") == null ? List.<JsonObject>of() : o.objects("parts")) {
            parts.add(new RunReport.PartRun(p.string("name"), p.integer("startedAtEpochMillis"), p.integer("durationNanos"),
                    p.bool("interrupted"), p.bool("passed"), p.counts("counters")));
        }
        String part = o.optionalString("part");
        if (part != null && !parts.isEmpty()) {
            throw new ReportFormatException("report: both part and parts; expected one of them (a part's report, or a merge)");
        }
        long duration = o.integer("durationNanos");
        return new RunReport(o.string("topology"), o.optionalString("file"), o.integer("seed"), o.optionalString("tapnetVersion"),
                o.optionalString("javaVersion"), o.bool("simulated"), o.integer("startedAtEpochMillis"), duration,
                o.optionalBool("interrupted", false), o.optionalInteger("plannedDurationNanos", duration), nodes, edges, events, probes, expectations, o.counts("counters"), links, routes,
                part, parts);
    }

    private static <T> List<Object> map(List<T> items, java.util.function.Function<T, Map<String, Object>> fields) {
        List<Object> list = new ArrayList<>(items.size());
        for (T item : items) {
            list.add(fields.apply(item));
        }
        return list;
    }

    /** An object of alternating keys and values, in that order. */
    private static Map<String, Object> fields(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
