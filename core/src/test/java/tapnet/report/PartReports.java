package tapnet.report;

import java.util.List;
import java.util.Map;
import tapnet.script.RunReport;

/**
 * Two parts' reports of one topology, built in code: east (tap, web) starts at {@link #EAST_START}, west (tap, db)
 * {@code westLate} milliseconds later. Both have a counter probe {@code frames} and an expectation of the same
 * name, both report the link tap-web's down direction, and each cuts its host at 5 s.
 */
final class PartReports {
    static final long SECOND = 1_000_000_000L;
    static final long EAST_START = 1_700_000_000_000L;

    private PartReports() {
    }

    static RunReport east() {
        return part("east", EAST_START, "web", "10.77.0.10", false, true,
                List.of(new RunReport.Event(SECOND, null, "mark warm", true, ""), new RunReport.Event(5 * SECOND, "cut", "down web", true, "")),
                new RunReport.Probe("web-ping", "ping", "tap", "10.77.0.10", "ms",
                        List.of(new RunReport.Sample(0, true, 1.5, "ok"), new RunReport.Sample(SECOND, true, 2.5, "ok"))),
                Map.of("frames.in", 10L, "drop.loss", 1L), Map.of("delivered", 5L));
    }

    static RunReport west(long westLate) {
        return west(westLate, false, true);
    }

    /** West, interrupted or with its expectation failed as asked. */
    static RunReport west(long westLate, boolean interrupted, boolean holds) {
        return part("west", EAST_START + westLate, "db", "10.77.0.20", interrupted, holds,
                List.of(new RunReport.Event(5 * SECOND, "cut", "down db", true, "")),
                new RunReport.Probe("db-ping", "ping", "tap", "10.77.0.20", "ms", List.of(new RunReport.Sample(2 * SECOND, false, Double.NaN, "lost"))),
                Map.of("frames.in", 20L, "drop.link_down", 2L), Map.of("delivered", 3L, "drop.loss", 1L));
    }

    private static RunReport part(String part, long start, String host, String address, boolean interrupted, boolean holds,
                                  List<RunReport.Event> events, RunReport.Probe ping, Map<String, Long> counters,
                                  Map<String, Long> tapWeb) {
        RunReport.Probe frames = new RunReport.Probe("frames", "counter", null, "frames.in", "count",
                List.of(new RunReport.Sample(SECOND, true, 3, "ok")));
        List<RunReport.Expectation> expectations = List.of(
                new RunReport.Expectation(ping.name() + " count >= 1", "whole run", "count >= 1", "count 1", true, ping.name(), 0, 10 * SECOND),
                new RunReport.Expectation("frames value >= 1", "from 2s to 8s", "value >= 1", holds ? "frames.in 3" : "frames.in 0", holds,
                        "frames", 2 * SECOND, 8 * SECOND));
        return new RunReport("lab", "lab.yaml", 7, "0.1.0", "17", false, start, interrupted ? 4 * SECOND : 10 * SECOND,
                interrupted, 10 * SECOND,
                List.of(new RunReport.Node("tap", "tap", "10.77.0.1/24"), new RunReport.Node(host, "host", address)),
                List.of(new RunReport.Edge("tap", host, "delay: 5ms")), events, List.of(ping, frames), expectations, counters,
                List.of(new RunReport.LinkCounters("tap-web", "down", tapWeb)),
                List.of(new RunReport.HttpRouteName("web", 80, 1, "GET /")), part);
    }
}
