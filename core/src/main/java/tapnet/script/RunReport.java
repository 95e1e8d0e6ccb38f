package tapnet.script;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a scripted run found: every probe sample, every event, every expectation's outcome, the counters,
 * with what is needed to replay it (seed, versions). {@code report.json}, {@code junit.xml} and
 * {@code report.html} are written from it; times are nanoseconds from the start of the run.
 *
 * @param durationNanos        how long the run ran: the script's duration, or less when it was interrupted
 * @param interrupted          whether Ctrl-C or SIGTERM ended it before it was over (its end, or the last
 *                             samples after it); such a run did not pass, whatever its expectations say
 * @param plannedDurationNanos the script's duration
 * @param httpRoutes           the routes of the topology's http services, to name their counters
 * @param part                 the part of the topology this run played ({@code tapnet run FILE --part NAME}); null
 *                             for a whole run or a merged one
 * @param parts                the parts a merged report was made of ({@code tapnet report --merge}), in the order
 *                             merged; empty for a run's own report. A merged report's times are from the earliest
 *                             part's start, its {@code startedAtEpochMillis}
 */
public record RunReport(String topology, String file, long seed, String tapnetVersion, String javaVersion, boolean simulated,
                        long startedAtEpochMillis, long durationNanos, boolean interrupted, long plannedDurationNanos,
                        List<Node> nodes, List<Edge> edges, List<Event> events, List<Probe> probes,
                        List<Expectation> expectations, Map<String, Long> counters, List<LinkCounters> links,
                        List<HttpRouteName> httpRoutes, String part, List<PartRun> parts) {
    public RunReport {
        Objects.requireNonNull(topology, "topology");
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
        events = List.copyOf(events);
        probes = List.copyOf(probes);
        expectations = List.copyOf(expectations);
        counters = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(counters)); // sorted: reports are byte-identical
        links = List.copyOf(links);
        httpRoutes = List.copyOf(httpRoutes);
        parts = List.copyOf(parts);
        if (part != null && !parts.isEmpty()) {
            throw new IllegalArgumentException("a part's report (" + part + ") is not a merge of parts");
        }
    }

    /** A whole run's report. */
    public RunReport(String topology, String file, long seed, String tapnetVersion, String javaVersion, boolean simulated,
                     long startedAtEpochMillis, long durationNanos, boolean interrupted, long plannedDurationNanos,
                     List<Node> nodes, List<Edge> edges, List<Event> events, List<Probe> probes,
                     List<Expectation> expectations, Map<String, Long> counters, List<LinkCounters> links,
                     List<HttpRouteName> httpRoutes) {
        this(topology, file, seed, tapnetVersion, javaVersion, simulated, startedAtEpochMillis, durationNanos, interrupted,
                plannedDurationNanos, nodes, edges, events, probes, expectations, counters, links, httpRoutes, null);
    }

    /** The report of one run: of part {@code part} of the topology, or of all of it when null. */
    public RunReport(String topology, String file, long seed, String tapnetVersion, String javaVersion, boolean simulated,
                     long startedAtEpochMillis, long durationNanos, boolean interrupted, long plannedDurationNanos,
                     List<Node> nodes, List<Edge> edges, List<Event> events, List<Probe> probes,
                     List<Expectation> expectations, Map<String, Long> counters, List<LinkCounters> links,
                     List<HttpRouteName> httpRoutes, String part) {
        this(topology, file, seed, tapnetVersion, javaVersion, simulated, startedAtEpochMillis, durationNanos, interrupted,
                plannedDurationNanos, nodes, edges, events, probes, expectations, counters, links, httpRoutes, part, List.of());
    }

    /** A run without http routes. */
    public RunReport(String topology, String file, long seed, String tapnetVersion, String javaVersion, boolean simulated,
                     long startedAtEpochMillis, long durationNanos, boolean interrupted, long plannedDurationNanos,
                     List<Node> nodes, List<Edge> edges, List<Event> events, List<Probe> probes,
                     List<Expectation> expectations, Map<String, Long> counters, List<LinkCounters> links) {
        this(topology, file, seed, tapnetVersion, javaVersion, simulated, startedAtEpochMillis, durationNanos, interrupted,
                plannedDurationNanos, nodes, edges, events, probes, expectations, counters, links, List.of());
    }

    /** A run that ran its whole duration. */
    public RunReport(String topology, String file, long seed, String tapnetVersion, String javaVersion, boolean simulated,
                     long startedAtEpochMillis, long durationNanos, List<Node> nodes, List<Edge> edges,
                     List<Event> events, List<Probe> probes, List<Expectation> expectations,
                     Map<String, Long> counters, List<LinkCounters> links) {
        this(topology, file, seed, tapnetVersion, javaVersion, simulated, startedAtEpochMillis, durationNanos, false,
                durationNanos, nodes, edges, events, probes, expectations, counters, links);
    }

    /** Whether the run went to its end and every expectation held (none failed, none left unjudged). */
    public boolean passed() {
        return !interrupted && expectations.stream().allMatch(Expectation::passed);
    }

    /**
     * How far apart the merged parts started, in milliseconds (the latest start less the earliest); 0 for a
     * run's own report. The parts play one script on clocks assumed synchronised: this is how far that held.
     */
    public long startSpreadMillis() {
        long earliest = parts.stream().mapToLong(PartRun::startedAtEpochMillis).min().orElse(0);
        return parts.stream().mapToLong(PartRun::startedAtEpochMillis).max().orElse(0) - earliest;
    }

    /** How many expectations were not judged: their window was not seen whole. */
    public long notJudged() {
        return expectations.stream().filter(e -> !e.judged()).count();
    }

    /** A node of the topology, for the graph: {@code kind} is tap, host, router or port. */
    public record Node(String name, String kind, String address) {
    }

    /** A link of the graph, parent to child, with what it does ({@code delay: 20ms, loss: 1%}; empty: perfect). */
    public record Edge(String parent, String child, String description) {
    }

    /** Something that happened on the timeline: an event's action, with whether it worked and what it said. */
    public record Event(long atNanos, String name, String action, boolean ok, String detail) {
    }

    /** A probe's samples, in time order. */
    public record Probe(String name, String kind, String from, String target, String unit, List<Sample> samples) {
        public Probe {
            samples = List.copyOf(samples);
        }
    }

    /**
     * One sample: when it started, whether it succeeded, its value in the probe's unit (NaN when it
     * failed), and its outcome in a word ({@code ok}, {@code refused}, {@code timeout}, {@code lost},
     * {@code status 503}).
     */
    public record Sample(long atNanos, boolean ok, double value, String outcome) {
    }

    /**
     * An expectation's result: {@code seen} in the same words as {@code expected}; the probe it is about
     * (null for a counter or a command) and its window in run time, for plots ({@code untilNanos} -1: not known).
     *
     * @param notJudged null when it was judged; else why not, and then it did not pass: its window was not
     *                  seen whole ({@code window [20s, 1m] not reached: the run was interrupted at 12.3s});
     *                  {@code seen} is then what was seen of it so far, null when nothing was
     */
    public record Expectation(String name, String window, String expected, String seen, boolean passed, String probe,
                              long fromNanos, long untilNanos, String notJudged) {
        public Expectation {
            if (passed && notJudged != null) {
                throw new IllegalArgumentException("an expectation not judged did not pass: " + name);
            }
        }

        /** A judged expectation. */
        public Expectation(String name, String window, String expected, String seen, boolean passed, String probe,
                           long fromNanos, long untilNanos) {
            this(name, window, expected, seen, passed, probe, fromNanos, untilNanos, null);
        }

        /** An expectation without a probe or a window in numbers: a command's, or one read from words only. */
        public Expectation(String name, String window, String expected, String seen, boolean passed) {
            this(name, window, expected, seen, passed, null, 0, -1, null);
        }

        /** Whether it was judged (held or failed), rather than left open for want of its whole window. */
        public boolean judged() {
            return notJudged == null;
        }

        /** This expectation, not judged, for {@code why}, having seen {@code seenSoFar} of it (null: nothing). */
        public Expectation notJudged(String why, String seenSoFar) {
            return new Expectation(name, window, expected, seenSoFar, false, probe, fromNanos, untilNanos, why);
        }

        /** Why it was not judged and what was seen of it so far: {@code window [0s, 1m] not over: ...; seen so far: ...}. */
        public String notJudgedText() {
            return notJudged + (seen == null ? "" : "; seen so far: " + seen);
        }
    }

    /** Route {@code route} (from 1) of the http service on {@code host:port}: its method and path, {@code GET /health}. */
    public record HttpRouteName(String host, int port, int route, String name) {
    }

    /**
     * One part of a merged report, as its own report said: when it started (wall clock), how long it ran, whether it
     * was interrupted or passed, and its own counters (the merged report's are their sums).
     */
    public record PartRun(String name, long startedAtEpochMillis, long durationNanos, boolean interrupted, boolean passed,
                          Map<String, Long> counters) {
        public PartRun {
            Objects.requireNonNull(name, "name");
            counters = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(counters)); // sorted: reports are byte-identical
        }
    }

    /** One direction of a link at the end of the run: frames delivered, dropped by reason, and so on. */
    public record LinkCounters(String link, String direction, Map<String, Long> counters) {
        public LinkCounters {
            counters = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(counters)); // sorted: reports are byte-identical
        }
    }
}
