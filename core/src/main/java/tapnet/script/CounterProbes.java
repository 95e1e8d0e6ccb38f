package tapnet.script;

import java.util.function.Consumer;
import tapnet.topology.ProbeSpec;

/**
 * Samples of tapnet's own counters ({@code counter: drop.link_loss} probes): each sample reads the counter
 * through the run's target, so a counter can be plotted over the run and judged like any probe.
 */
public final class CounterProbes implements ProbeSampler {
    private final ScriptTarget target;

    public CounterProbes(ScriptTarget target) {
        this.target = target;
    }

    @Override
    public void sample(ProbeSpec probe, long atNanos, Consumer<RunReport.Sample> done) {
        long value = target.counters().getOrDefault(probe.target(), 0L);
        done.accept(new RunReport.Sample(atNanos, true, value, "ok"));
    }
}
