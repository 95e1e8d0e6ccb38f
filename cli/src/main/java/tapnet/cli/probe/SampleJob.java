package tapnet.cli.probe;

import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import tapnet.topology.ProbeSpec;
import tapnet.script.RunReport.Sample;
import tapnet.tap.NetworkNamespace;

/** One sample on its way: taken on a namespace thread, or abandoned; its receiver hears of it exactly once. */
final class SampleJob implements NamespaceWorkers.Job {
    private final ProbeSpec probe;
    private final long atNanos;
    private final Consumer<Sample> done;
    private final KernelProbe kind;
    private final NetworkNamespace namespace;
    private final AtomicBoolean reported = new AtomicBoolean();

    SampleJob(ProbeSpec probe, long atNanos, Consumer<Sample> done, KernelProbe kind, NetworkNamespace namespace) {
        this.probe = probe;
        this.atNanos = atNanos;
        this.done = done;
        this.kind = kind;
        this.namespace = namespace;
    }

    @Override
    public void run() {
        Sample sample;
        try {
            sample = kind.measure(probe, atNanos, namespace);
        } catch (Throwable t) {
            report(KernelProbe.failed(atNanos, outcome(t)));
            if (t instanceof Error error) {
                throw error;
            }
            return;
        }
        report(sample);
    }

    @Override
    public void abandon(String outcome) {
        report(KernelProbe.failed(atNanos, outcome));
    }

    private void report(Sample sample) {
        if (reported.compareAndSet(false, true)) {
            done.accept(sample);
        }
    }

    /** The outcome of what a kind threw instead of returning its sample. */
    static String outcome(Throwable t) {
        if (t instanceof IllegalArgumentException) {
            return "error: " + t.getMessage(); // a target that does not parse
        }
        if (t instanceof RejectedExecutionException || t instanceof InterruptedException) {
            return "closed";
        }
        if (t instanceof IOException) {
            return SocketOutcome.of(t, false);
        }
        return t.getClass().getSimpleName();
    }
}
