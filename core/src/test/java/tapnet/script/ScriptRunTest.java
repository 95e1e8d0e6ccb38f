package tapnet.script;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tapnet.testing.EngineHarness;
import tapnet.topology.Action;
import tapnet.topology.EventSpec;
import tapnet.topology.ExpectationSpec.Comparison;
import tapnet.topology.ExpectationSpec.Metric;
import tapnet.topology.ExpectationSpec.Window;
import tapnet.topology.ExpectationSpec;
import tapnet.topology.ProbeSpec;
import tapnet.topology.Script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner's timeline on a virtual clock: samples, events and their triggers, expectations judged. */
class ScriptRunTest {
    private final EngineHarness net = new EngineHarness();
    private final SimulatedTimeline timeline = new SimulatedTimeline(net.engine, net.clock);
    /** A pretend network: samples fail while "down"; a counter counts the failed ones. */
    private boolean down;
    private long failures;
    private final List<String> comments = new ArrayList<>();

    private final ScriptTarget target = new ScriptTarget() {
        @Override
        public CompletableFuture<String> apply(Action action) {
            if (action instanceof Action.LinkDown d) {
                down = d.down();
            }
            return CompletableFuture.completedFuture("done");
        }

        @Override
        public Map<String, Long> counters() {
            return Map.of("failures", failures);
        }

        @Override
        public List<RunReport.LinkCounters> links() {
            return List.of();
        }

        @Override
        public void comment(String text, long atNanos) {
            comments.add(atNanos / 1_000_000 + "ms " + text);
        }
    };

    private final ProbeSampler sampler = (probe, at, done) -> {
        if (down) {
            failures++;
        }
        // Answers 10 ms later, as a network would.
        timeline.at(at + 10_000_000, () -> done.accept(new RunReport.Sample(at, !down, down ? Double.NaN : 10, down ? "timeout" : "ok")));
    };

    private static Duration s(double seconds) {
        return Duration.ofMillis((long) (seconds * 1000));
    }

    private static ExpectationSpec success(String name, double from, Double until, Comparison comparison, double threshold) {
        return new ExpectationSpec(name, "web", null, new Window(s(from), until == null ? null : s(until), "window"),
                Metric.SUCCESS, comparison, threshold, "success " + comparison.symbol() + " " + threshold);
    }

    @Test
    void aLinkDownWindowShowsInTheSamplesAndTheExpectationsAndTriggersFollowIt() {
        ProbeSpec web = new ProbeSpec("web", ProbeSpec.Kind.CONNECT, "10.77.0.10:80", "tap", s(0.5), s(1), 0);
        Script script = new Script(s(10), List.of(web), List.of(
                new EventSpec("cut", new EventSpec.Trigger.At(s(3)), new Action.LinkDown("web", true)),
                new EventSpec(null, new EventSpec.Trigger.After("cut", s(3)), new Action.LinkDown("web", false)),
                new EventSpec(null, new EventSpec.Trigger.When("web", false, Duration.ZERO), new Action.Mark("first failure")),
                new EventSpec(null, new EventSpec.Trigger.Every(s(4), s(1), null), new Action.Mark("tick"))),
                List.of(success("before", 0, 3.0, Comparison.EQUAL, 1),
                        success("during", 3.0, 6.0, Comparison.EQUAL, 0),
                        success("after", 6.0, null, Comparison.EQUAL, 1),
                        success("impossible", 0, null, Comparison.EQUAL, 1),
                        new ExpectationSpec("counted", null, "failures", new Window(s(3), s(6), "during [3s, 6s]"),
                                Metric.VALUE, Comparison.EQUAL, 6, "value == 6")),
                null);
        ScriptRun run = new ScriptRun(script, timeline, target, p -> sampler);
        run.start();
        timeline.runUntil(4_500_000_000L);
        ScriptRun.Progress partway = run.progress();
        assertEquals(1, partway.held(), "the window [0s, 3s] closed, its last sample in: judged already");
        assertEquals(0, partway.missed());
        assertEquals(5, partway.expectations());
        assertEquals("web timeout at 4s", partway.lastFailure(), "the failed sample that started last, for the progress line");
        timeline.runUntil(run.endNanos() + run.drainNanos());
        assertTrue(run.finished());

        List<RunReport.Sample> samples = run.probes().get(0).samples();
        assertEquals(20, samples.size(), "every 500 ms for 10 s");
        assertTrue(samples.stream().filter(x -> x.atNanos() < 3e9).allMatch(RunReport.Sample::ok));
        assertTrue(samples.stream().filter(x -> x.atNanos() >= 3e9 && x.atNanos() < 6e9).noneMatch(RunReport.Sample::ok));

        List<RunReport.Expectation> results = run.expectations();
        assertEquals(List.of(true, true, true, false, true), results.stream().map(RunReport.Expectation::passed).toList(),
                results.toString());
        assertEquals("success 70.0% of 20 samples", results.get(3).seen());
        assertEquals("failures 6", results.get(4).seen());

        assertEquals(List.of("1000ms mark tick", "3000ms cut: down web", "3010ms mark first failure", "5000ms mark tick",
                "6000ms up web", "9000ms mark tick"), comments);
        assertEquals(6, run.events().size());
        assertFalse(run.events().stream().anyMatch(e -> !e.ok()));
    }

    @Test
    void percentilesTakeTheNearestRank() {
        double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5, ExpectationCheck.statistic(Metric.MEDIAN, sorted));
        assertEquals(10, ExpectationCheck.statistic(Metric.P99, sorted));
        assertEquals(9, ExpectationCheck.statistic(Metric.P90, sorted));
        assertEquals(5.5, ExpectationCheck.statistic(Metric.MEAN, sorted));
    }

    @Test
    void aWindowWithoutSamplesFailsAndSaysSo() {
        ProbeSpec web = new ProbeSpec("web", ProbeSpec.Kind.CONNECT, "10.77.0.10:80", "tap", s(1), s(1), 0);
        RunReport.Expectation e = ExpectationCheck.ofProbe(success("empty", 0, 1.0, Comparison.AT_LEAST, 0), web, List.of(), 10);
        assertFalse(e.passed());
        assertEquals("no samples", e.seen());
    }
}
