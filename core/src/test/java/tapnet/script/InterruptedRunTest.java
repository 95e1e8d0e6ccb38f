package tapnet.script;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tapnet.testing.EngineHarness;
import tapnet.topology.Action;
import tapnet.topology.Topology;
import tapnet.topology.yaml.TopologyLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run interrupted (Ctrl-C, SIGTERM) 12.3 s into a minute: it says it ran 12.3 s of the minute and was
 * interrupted; it judges the expectations whose window it saw whole, and no other: those are not judged, with
 * why, and the run does not pass.
 */
class InterruptedRunTest {
    private static final long S = 1_000_000_000L;

    private final EngineHarness net = new EngineHarness();
    private final SimulatedTimeline timeline = new SimulatedTimeline(net.engine, net.clock);
    /** drop.link_down goes up by one a second, as a flapping link's would. */
    private final ScriptTarget target = new ScriptTarget() {
        @Override
        public CompletableFuture<String> apply(Action action) {
            return action instanceof Action.Run ? running : CompletableFuture.completedFuture("done");
        }

        @Override
        public Map<String, Long> counters() {
            if (!engineAnswers) {
                throw new IllegalStateException("the engine did not give its counters within 5 s");
            }
            return Map.of("drop.link_down", timeline.now() / S);
        }

        @Override
        public List<RunReport.LinkCounters> links() {
            return List.of(new RunReport.LinkCounters("web", "toward web", Map.of("delivered", timeline.now() / S)));
        }

        @Override
        public void comment(String text, long atNanos) {
        }
    };
    /** Whether the engine answers reads of its counters (one that failed or is stopping does not). */
    private boolean engineAnswers = true;
    /** What a command started by the run does: nothing, until a test completes it. */
    private final CompletableFuture<String> running = new CompletableFuture<>();
    /** Samples answer after this long, each: 10 ms, unless a test makes them slower. */
    private final Map<Long, Long> answerAfter = new HashMap<>();
    private final ProbeSampler sampler = (probe, at, done) -> timeline.at(at + answerAfter.getOrDefault(at, 10_000_000L),
            () -> done.accept(new RunReport.Sample(at, true, 10, "ok")));

    private static Topology topology(String events) throws Exception {
        return TopologyLoader.parse("t.yaml", """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web: { address: 10.77.0.10, services: [ { port: 80, http: {} } ] }
                script:
                  duration: 1m
                  probes:
                    web: { connect: 10.77.0.10:80, every: 500ms, timeout: 1s }
                  events:
                EVENTS
                  expect:
                    - { name: early, probe: web, during: [0s, 10s], success: "== 100%" }
                    - { name: late, probe: web, during: [20s, 1m], success: "== 100%" }
                    - { name: whole, probe: web, at: end, success: "== 100%" }
                    - { name: quiet start, counter: drop.link_down, during: [0s, 10s], value: "<= 10" }
                    - { name: drops, counter: drop.link_down, at: end, value: ">= 0" }
                """.replace("EVENTS", events));
    }

    private ScriptRun start(Topology topology) {
        ScriptRun run = new ScriptRun(topology.script(), timeline, target, p -> sampler);
        run.start();
        return run;
    }

    @Test
    void theReportSaysHowLongTheRunRanThatItWasInterruptedAndThatItDidNotPass() throws Exception {
        Topology topology = topology("    - { at: 30s, mark: half }");
        ScriptRun run = start(topology);
        timeline.runUntil(12_300_000_000L);
        assertTrue(run.interrupt());
        RunReport report = SimulatedRun.report(topology, "t.yaml", "test", false, 0, run);

        assertEquals(12_300_000_000L, report.durationNanos(), "the time it ran, not the minute planned");
        assertEquals(60 * S, report.plannedDurationNanos());
        assertTrue(report.interrupted());
        assertFalse(report.passed());
        assertEquals(Map.of("drop.link_down", 12L), report.counters(), "the counters when it was interrupted");
        assertEquals(12L, report.links().get(0).counters().get("delivered"));
        assertEquals(25, report.probes().get(0).samples().size(), "every 500 ms from 0 s to 12 s");
    }

    @Test
    void windowsSeenWholeAreJudgedAndTheOthersAreNotJudgedSayingWhy() throws Exception {
        Topology topology = topology("    - { at: 30s, mark: half }");
        ScriptRun run = start(topology);
        timeline.runUntil(12_300_000_000L);
        run.interrupt();
        List<RunReport.Expectation> e = run.expectations();

        assertTrue(e.get(0).judged() && e.get(0).passed(), "[0s, 10s] was seen whole: " + e.get(0));
        assertNull(e.get(0).notJudged());

        assertFalse(e.get(1).judged() || e.get(1).passed(), e.get(1).toString());
        assertEquals("window [20s, 1m] not reached: the run was interrupted at 12.3s", e.get(1).notJudged());
        assertEquals(null, e.get(1).seen(), "nothing seen of it");

        assertFalse(e.get(2).judged() || e.get(2).passed(), "all its samples so far succeeded, yet half a window is not a pass");
        assertEquals("window [0s, 1m] not over: the run was interrupted at 12.3s", e.get(2).notJudged());
        assertEquals("success 100.0% of 25 samples", e.get(2).seen(), "what was seen of it");

        assertTrue(e.get(3).judged() && e.get(3).passed(), "a counter's window seen whole: " + e.get(3));
        assertEquals("drop.link_down 10", e.get(3).seen());

        assertFalse(e.get(4).judged() || e.get(4).passed(), e.get(4).toString());
        assertEquals("window [0s, 1m] not over: the run was interrupted at 12.3s", e.get(4).notJudged());
        assertEquals("drop.link_down 12", e.get(4).seen(), "the change until the interruption");
    }

    @Test
    void aWindowWithASampleStillRunningWhenInterruptedIsNotJudged() throws Exception {
        Topology topology = topology("    - { at: 30s, mark: half }");
        answerAfter.put(9_500_000_000L, 900_000_000L); // the last sample of [0s, 10s] answers at 10.4 s
        ScriptRun run = start(topology);
        timeline.runUntil(10_200_000_000L);
        run.interrupt();
        RunReport.Expectation early = run.expectations().get(0);
        assertFalse(early.judged(), early.toString());
        assertEquals("window [0s, 10s] not seen whole: its sample of 9.5s had not finished when the run was interrupted at 10.2s",
                early.notJudged());

        timeline.runUntil(10_500_000_000L); // it answers after all, as the run waits a moment for samples under way
        assertTrue(run.expectations().get(0).judged() && run.expectations().get(0).passed(), run.expectations().get(0).toString());
    }

    @Test
    void commandsStillRunningOrNotYetRunAreNotJudged() throws Exception {
        Topology topology = topology(String.join("\n",
                "    - { at: 5s, run: { in: tap, command: \"sleep 60\", exit: 0 } }",
                "    - { at: 50s, run: { in: tap, command: \"true\", exit: 0 } }",
                "    - { every: 10s, from: 10s, run: { in: tap, command: \"true\" } }",
                "    - { every: 20s, run: { in: tap, command: \"false\", exit: 1 } }"));
        ScriptRun run = start(topology);
        timeline.runUntil(12_300_000_000L);
        run.interrupt();
        List<RunReport.Expectation> commands = run.expectations().subList(5, run.expectations().size());

        assertEquals(4, commands.size(), commands.toString());
        assertEquals("run in tap: false exits 1", commands.get(0).name(), "started at 0 s");
        assertEquals("the command was still running when the run was interrupted at 12.3s", commands.get(0).notJudged());
        assertEquals("run in tap: sleep 60 exits 0", commands.get(1).name());
        assertEquals("the command was still running when the run was interrupted at 12.3s", commands.get(1).notJudged());
        assertEquals("run in tap: true exits 0", commands.get(2).name());
        assertEquals("not run: due at 50s, after the run was interrupted at 12.3s", commands.get(2).notJudged());
        assertEquals("run in tap: false exits 1", commands.get(3).name());
        assertEquals("2 runs not made: due from 20s, after the run was interrupted at 12.3s", commands.get(3).notJudged(),
                "the runs at 20 s and 40 s");
        assertTrue(commands.stream().noneMatch(RunReport.Expectation::passed));
        assertTrue(commands.stream().allMatch(c -> c.seen() == null), "nothing seen of them");
    }

    @Test
    void aRunInterruptedAfterItsEndWithEverythingInIsWhole() throws Exception {
        Topology topology = topology("    - { at: 30s, mark: half }");
        ScriptRun run = start(topology);
        timeline.runUntil(run.endNanos() + run.drainNanos());
        assertTrue(run.finished());
        assertFalse(run.interrupt(), "nothing was cut short");
        RunReport report = SimulatedRun.report(topology, "t.yaml", "test", false, 0, run);
        assertFalse(report.interrupted());
        assertEquals(60 * S, report.durationNanos());
        assertTrue(report.expectations().stream().allMatch(RunReport.Expectation::judged), report.expectations().toString());
        assertEquals(0, report.notJudged());
    }

    @Test
    void counterExpectationsAreNotJudgedWhenTheEngineGaveNoCountersAndTheRunStillEnds() throws Exception {
        Topology topology = topology("    - { at: 30s, mark: half }");
        ScriptRun run = start(topology);
        timeline.runUntil(59 * S);
        engineAnswers = false;
        timeline.runUntil(run.endNanos() + run.drainNanos());
        assertTrue(run.finished(), "the run ends without its last counters");
        List<RunReport.Expectation> e = run.expectations();
        assertTrue(e.get(3).judged() && e.get(3).passed(), "read at 10 s: " + e.get(3));
        assertEquals("window [0s, 1m] not seen whole: the counters could not be read at 60s", e.get(4).notJudged());
        assertEquals(null, e.get(4).seen());
        assertTrue(e.get(2).judged(), "probes are not about counters");
    }

    @Test
    void anInterruptedRunWhoseEngineGivesNoCountersStillHasItsReport() throws Exception {
        Topology topology = topology("    - { at: 30s, mark: half }");
        ScriptRun run = start(topology);
        timeline.runUntil(12_300_000_000L);
        engineAnswers = false;
        assertTrue(run.interrupt());
        RunReport report = SimulatedRun.report(topology, "t.yaml", "test", false, 0, run);
        assertTrue(report.interrupted());
        assertEquals(Map.of(), report.counters());
        assertEquals(null, report.expectations().get(4).seen(), "no counters: nothing seen of it");
        assertTrue(report.expectations().get(3).judged(), "its counters were read at 10 s");
    }
}
