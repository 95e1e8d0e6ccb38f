package tapnet.report;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tapnet.script.RunReport;

/**
 * {@code tapnet report --merge OUT DIR...}: the reports of a topology's parts ({@code tapnet run FILE --part NAME}),
 * each holding its own nodes, made into one report of the whole run.
 *
 * <p>One timeline: the parts' clocks are assumed synchronised, so a part's times move by how much later it started
 * than the earliest one (an event at 5 s of a part that started 0.3 s later is at 5.3 s). The nodes, edges and links
 * are their union (the tap, in every part, is one node; a link direction two parts both report has its counters
 * summed); the counters are summed, each part's own kept in its {@link RunReport.PartRun}. So that two parts'
 * same-named expectations and events stay apart (in junit.xml too), an expectation's name, and an event's name (or
 * its action when it has none), start with its part: {@code east: web answers}. A probe keeps its name, which the
 * script gave, unless another part has a probe of that name too; then both are labelled so.
 */
public final class ReportMerge {
    private static final long NANOS_PER_MILLI = 1_000_000L;

    /** A part's report and the directory it was read from: named when it is refused, its captures copied. */
    public record Input(Path dir, RunReport report) {
    }

    private ReportMerge() {
    }

    /**
     * The merged report, or an {@link IllegalArgumentException} saying why these reports do not merge: fewer than
     * two, one not a part's, two of the same part, or parts of different topologies or seeds.
     */
    public static RunReport of(List<Input> inputs) {
        check(inputs);
        long start = inputs.stream().mapToLong(i -> i.report().startedAtEpochMillis()).min().orElseThrow();
        Set<String> clashing = clashingProbeNames(inputs);
        Map<String, RunReport.Node> nodes = new LinkedHashMap<>();
        Map<List<String>, RunReport.Edge> edges = new LinkedHashMap<>();
        List<RunReport.Event> events = new ArrayList<>();
        List<RunReport.Probe> probes = new ArrayList<>();
        List<RunReport.Expectation> expectations = new ArrayList<>();
        Map<String, Long> counters = new TreeMap<>();
        Map<List<String>, Map<String, Long>> links = new LinkedHashMap<>();
        Map<List<Object>, RunReport.HttpRouteName> routes = new LinkedHashMap<>();
        List<RunReport.PartRun> parts = new ArrayList<>();
        long duration = 0;
        long planned = 0;
        for (Input input : inputs) {
            RunReport r = input.report();
            String part = r.part();
            long offset = (r.startedAtEpochMillis() - start) * NANOS_PER_MILLI;
            r.nodes().forEach(n -> nodes.putIfAbsent(n.name(), n));
            r.edges().forEach(e -> edges.putIfAbsent(List.of(e.parent(), e.child()), e));
            r.events().forEach(e -> events.add(event(part, offset, e)));
            r.probes().forEach(p -> probes.add(probe(part, offset, p, clashing)));
            r.expectations().forEach(e -> expectations.add(expectation(part, offset, e, clashing)));
            r.counters().forEach((name, value) -> counters.merge(name, value, Long::sum));
            for (RunReport.LinkCounters l : r.links()) {
                Map<String, Long> sums = links.computeIfAbsent(Arrays.asList(l.link(), l.direction()), k -> new TreeMap<>());
                l.counters().forEach((name, value) -> sums.merge(name, value, Long::sum));
            }
            r.httpRoutes().forEach(h -> routes.putIfAbsent(List.of(h.host(), h.port(), h.route()), h));
            parts.add(new RunReport.PartRun(part, r.startedAtEpochMillis(), r.durationNanos(), r.interrupted(), r.passed(),
                    r.counters()));
            duration = Math.max(duration, offset + r.durationNanos());
            planned = Math.max(planned, offset + r.plannedDurationNanos());
        }
        events.sort(Comparator.comparingLong(RunReport.Event::atNanos)); // stable: at the same time, in the parts' order
        List<RunReport.LinkCounters> linkCounters = new ArrayList<>();
        links.forEach((key, sums) -> linkCounters.add(new RunReport.LinkCounters(key.get(0), key.get(1), sums)));
        RunReport first = inputs.get(0).report();
        return new RunReport(first.topology(), first.file(), first.seed(), first.tapnetVersion(), first.javaVersion(),
                inputs.stream().anyMatch(i -> i.report().simulated()), start, duration,
                inputs.stream().anyMatch(i -> i.report().interrupted()), planned, List.copyOf(nodes.values()),
                List.copyOf(edges.values()), events, probes, expectations, counters, linkCounters, List.copyOf(routes.values()),
                null, parts);
    }

    /**
     * Merges the parts and writes {@code out}'s report.json, junit.xml and report.html ({@code out} made if missing),
     * and copies each part's captures ({@code *.pcapng} in its directory) into {@code out} as {@code PART-NAME}.
     * Returns the captures it copied, in order.
     */
    public static List<Path> write(Path out, List<Input> inputs) throws IOException {
        for (Input input : inputs) {
            if (Files.exists(out) && Files.isSameFile(out, input.dir())) {
                throw new IllegalArgumentException(out + " is one of the parts' directories; its report.json would be"
                        + " overwritten: write the merged report into another directory");
            }
        }
        ReportDirectory.write(out, of(inputs));
        List<Path> copied = new ArrayList<>();
        for (Input input : inputs) {
            List<Path> captures = new ArrayList<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(input.dir(), "*.pcapng")) {
                files.forEach(captures::add);
            }
            captures.sort(Comparator.naturalOrder());
            for (Path capture : captures) {
                Path target = out.resolve(input.report().part() + "-" + capture.getFileName());
                Files.copy(capture, target, StandardCopyOption.REPLACE_EXISTING);
                copied.add(target);
            }
        }
        return copied;
    }

    private static void check(List<Input> inputs) {
        if (inputs.size() < 2) {
            throw new IllegalArgumentException("a merge takes the reports of two parts or more, not " + inputs.size());
        }
        Input first = inputs.get(0);
        Map<String, Path> seen = new HashMap<>();
        for (Input input : inputs) {
            RunReport r = input.report();
            if (r.part() == null) {
                throw new IllegalArgumentException(input.dir() + ": not the report of a part but of a "
                        + (r.parts().isEmpty() ? "whole run" : "merge already")
                        + "; merge the reports of `tapnet run FILE --part NAME`, one per part");
            }
            if (!r.topology().equals(first.report().topology())) {
                throw new IllegalArgumentException(input.dir() + ": a part of topology " + r.topology() + ", but "
                        + first.dir() + " is of " + first.report().topology() + "; merge the parts of one topology");
            }
            if (r.seed() != first.report().seed()) {
                throw new IllegalArgumentException(input.dir() + ": seed " + r.seed() + ", but " + first.dir() + "'s is "
                        + first.report().seed() + "; merge the parts of one run (the same seed)");
            }
            Path other = seen.putIfAbsent(r.part(), input.dir());
            if (other != null) {
                throw new IllegalArgumentException(input.dir() + ": part " + r.part() + " again (" + other
                        + " is its report); merge each part once");
            }
        }
    }

    /** {@code e} of {@code part}, {@code offset} later, its name (or its action when it has none) labelled. */
    private static RunReport.Event event(String part, long offset, RunReport.Event e) {
        return new RunReport.Event(e.atNanos() + offset, e.name() == null ? null : label(part, e.name()),
                e.name() == null ? label(part, e.action()) : e.action(), e.ok(), e.detail());
    }

    private static RunReport.Probe probe(String part, long offset, RunReport.Probe p, Set<String> clashing) {
        List<RunReport.Sample> samples = new ArrayList<>(p.samples().size());
        p.samples().forEach(s -> samples.add(new RunReport.Sample(s.atNanos() + offset, s.ok(), s.value(), s.outcome())));
        return new RunReport.Probe(probeName(part, p.name(), clashing), p.kind(), p.from(), p.target(), p.unit(), samples);
    }

    /** {@code e} of {@code part}, its window {@code offset} later (an unknown end stays unknown), its name labelled. */
    private static RunReport.Expectation expectation(String part, long offset, RunReport.Expectation e, Set<String> clashing) {
        return new RunReport.Expectation(label(part, e.name()), e.window(), e.expected(), e.seen(), e.passed(),
                e.probe() == null ? null : probeName(part, e.probe(), clashing), e.fromNanos() + offset,
                e.untilNanos() < 0 ? e.untilNanos() : e.untilNanos() + offset, e.notJudged());
    }

    /** The probe names that more than one part has. */
    private static Set<String> clashingProbeNames(List<Input> inputs) {
        Map<String, Integer> parts = new HashMap<>();
        for (Input input : inputs) {
            input.report().probes().stream().map(RunReport.Probe::name).distinct().forEach(name -> parts.merge(name, 1, Integer::sum));
        }
        Set<String> clashing = new HashSet<>();
        parts.forEach((name, n) -> {
            if (n > 1) {
                clashing.add(name);
            }
        });
        return clashing;
    }

    private static String probeName(String part, String name, Set<String> clashing) {
        return clashing.contains(name) ? label(part, name) : name;
    }

    /** {@code east: web answers}. */
    private static String label(String part, String text) {
        return part + ": " + (text == null ? "" : text);
    }
}
