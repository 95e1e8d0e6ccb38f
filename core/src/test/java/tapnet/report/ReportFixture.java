package tapnet.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tapnet.script.RunReport;

/**
 * A run report built in code, shaped like a real one: a tap, a router with two hosts behind it and a port;
 * a ping probe that loses samples while a link is down and an HTTP probe that does not; events, one of
 * which failed; three expectations, one failed; counters and per-link counters.
 */
final class ReportFixture {
    static final long SECOND = 1_000_000_000L;

    private ReportFixture() {
    }

    static RunReport sample() {
        List<RunReport.Node> nodes = List.of(
                new RunReport.Node("tap", "tap", "10.77.0.1/24"),
                new RunReport.Node("r1", "router", "10.77.0.2"),
                new RunReport.Node("web", "host", "10.77.1.10"),
                new RunReport.Node("api", "host", "10.77.1.11"),
                new RunReport.Node("client", "port", "10.77.0.50"));
        List<RunReport.Edge> edges = List.of(
                new RunReport.Edge("tap", "r1", "delay: 5ms"),
                new RunReport.Edge("r1", "web", "delay: 20ms, loss: 1%"),
                new RunReport.Edge("r1", "api", ""),
                new RunReport.Edge("tap", "client", "rate: 10Mbit/s"));
        List<RunReport.Event> events = List.of(
                new RunReport.Event(8 * SECOND, "cut", "down web", true, ""),
                new RunReport.Event(12 * SECOND, "restore", "up web", true, ""),
                new RunReport.Event(15 * SECOND + SECOND / 2, null, "mark \"spike\"", true, "<b>bold & 'quoted'</b>"),
                new RunReport.Event(17 * SECOND, "check", "run curl -sf http://10.77.1.11/health", false, "exit 7 after 2.5s"));
        List<RunReport.Probe> probes = List.of(
                new RunReport.Probe("web-ping", "ping", "tap", "10.77.1.10", "ms", pings()),
                new RunReport.Probe("api-http", "http", "client", "http://10.77.1.11/health", "ms", https()));
        List<RunReport.Expectation> expectations = List.of(
                new RunReport.Expectation("web-ping success >= 99%", "0s..20s", "success >= 99%", "success 82.5%", false),
                new RunReport.Expectation("web-ping p90 <= 50ms after 12s", "12s..end", "p90 <= 50ms", "p90 26.125ms", true),
                new RunReport.Expectation("api-http success >= 99%", "whole run", "success >= 99%", "success 100%", true));
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("frames.in", 1234L);
        counters.put("frames.out", 1190L);
        counters.put("drop.link_down", 8L);
        List<RunReport.LinkCounters> links = List.of(
                new RunReport.LinkCounters("r1-web", "down", Map.of("delivered", 40L, "drop.link_down", 8L, "drop.loss", 1L)),
                new RunReport.LinkCounters("r1-web", "up", Map.of("delivered", 33L, "drop.loss", 0L)),
                new RunReport.LinkCounters("tap-client", "down", Map.of("delivered", 21L)));
        return new RunReport("lab", "topologies/lab.yaml", 42, "0.1.0-SNAPSHOT", "17.0.12", true, 0, 20 * SECOND,
                nodes, edges, events, probes, expectations, counters, links);
    }

    /**
     * A busier run, to see how the page copes: a minute, 10 samples a second, a partition event every 5 s,
     * a probe that never succeeded, twelve hosts behind three routers.
     */
    static RunReport busy() {
        List<RunReport.Node> nodes = new ArrayList<>(List.of(new RunReport.Node("tap", "tap", "10.77.0.1/24")));
        List<RunReport.Edge> edges = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            nodes.add(new RunReport.Node("r" + r, "router", "10.77." + r + ".1"));
            edges.add(new RunReport.Edge("tap", "r" + r, "delay: " + (r + 1) * 10 + "ms, jitter: 2ms, loss: 0.5%, rate: 100Mbit/s"));
            for (int h = 0; h < 4; h++) {
                String host = "host-" + r + "-" + h;
                nodes.add(new RunReport.Node(host, "host", "10.77." + r + "." + (10 + h)));
                edges.add(new RunReport.Edge("r" + r, host, h == 0 ? "loss: 5%" : ""));
            }
        }
        List<RunReport.Event> events = new ArrayList<>();
        for (int t = 5; t < 60; t += 5) {
            events.add(new RunReport.Event(t * SECOND, "flap", t % 10 == 5 ? "partition [r0] [r1, r2]" : "heal", true, ""));
        }
        List<RunReport.Sample> rtts = new ArrayList<>();
        List<RunReport.Sample> refused = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            long at = i * SECOND / 10;
            boolean cut = (at / (5 * SECOND)) % 2 == 1;
            rtts.add(cut ? new RunReport.Sample(at, false, Double.NaN, "timeout")
                    : new RunReport.Sample(at, true, 10 + 3 * Math.sin(i / 7.0) + (i % 13) * 0.25, "ok"));
            if (i % 10 == 0) {
                refused.add(new RunReport.Sample(at, false, Double.NaN, "refused"));
            }
        }
        List<RunReport.Probe> probes = List.of(
                new RunReport.Probe("r0-connect", "connect", "tap", "10.77.0.10:80", "ms", rtts),
                new RunReport.Probe("closed-port", "connect", "tap", "10.77.1.10:81", "ms", refused));
        List<RunReport.Expectation> expectations = List.of(
                new RunReport.Expectation("r0-connect success >= 45% from 0s to 60s", "from 0s to 60s", "success >= 45%", "success 50%", true),
                new RunReport.Expectation("r0-connect p99 < 20ms last 10s", "last 10s", "p99 < 20ms", "p99 14.25ms", true),
                new RunReport.Expectation("closed-port failures == 60", "whole run", "failures == 60", "failures 60", true),
                new RunReport.Expectation("drop.partition <= 10", "whole run", "drop.partition <= 10", "drop.partition 2410", false));
        return new RunReport("busy", "topologies/busy.yaml", 7, "0.1.0-SNAPSHOT", "17.0.12", true, 0, 60 * SECOND,
                nodes, edges, events, probes, expectations, Map.of("drop.partition", 2410L), List.of());
    }

    /** Every half second; lost from 8 s to 12 s while web's link is down. */
    private static List<RunReport.Sample> pings() {
        List<RunReport.Sample> samples = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long at = i * SECOND / 2;
            boolean down = at >= 8 * SECOND && at < 12 * SECOND;
            samples.add(down ? new RunReport.Sample(at, false, Double.NaN, "lost")
                    : new RunReport.Sample(at, true, 20 + (i % 5) * 1.5 + (i == 31 ? 18.375 : 0), "ok"));
        }
        return samples;
    }

    /** Every second, all answered. */
    private static List<RunReport.Sample> https() {
        List<RunReport.Sample> samples = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            samples.add(new RunReport.Sample(i * SECOND + SECOND / 4, true, 1.25 + (i % 3) * 0.125, "ok"));
        }
        return samples;
    }
}
