package tapnet.cli.probe;

import tapnet.topology.ProbeSpec;
import tapnet.script.RunReport.Sample;
import tapnet.tap.NetworkNamespace;

/**
 * One kind of probe as the kernel's own stack takes it. {@link #measure} runs on a thread already inside
 * {@code namespace} (null: the current one), so the sockets it opens are that namespace's; it blocks for at
 * most about the probe's timeout.
 */
interface KernelProbe {
    Sample measure(ProbeSpec probe, long atNanos, NetworkNamespace namespace) throws Exception;

    static Sample ok(long atNanos, double value) {
        return new Sample(atNanos, true, value, "ok");
    }

    static Sample failed(long atNanos, String outcome) {
        return new Sample(atNanos, false, Double.NaN, outcome);
    }
}
