package tapnet.script;

import java.util.function.Consumer;
import tapnet.topology.ProbeSpec;

/**
 * Takes samples of probes: from the kernel with real sockets (live runs), or from a virtual host with
 * tapnet's own TCP (live or simulated). A sample may take up to the probe's timeout; {@code done} hears
 * its result exactly once, on whatever thread finished it.
 */
public interface ProbeSampler {
    /**
     * Starts one sample of {@code probe}, started at {@code atNanos} (run time); {@code done} receives it
     * with that start time, whether it succeeded, its value in the probe kind's unit and its outcome.
     */
    void sample(ProbeSpec probe, long atNanos, Consumer<RunReport.Sample> done);
}
