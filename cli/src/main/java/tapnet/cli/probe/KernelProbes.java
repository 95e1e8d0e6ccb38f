package tapnet.cli.probe;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import tapnet.script.ProbeSampler;
import tapnet.topology.ProbeSpec;
import tapnet.script.RunReport.Sample;
import tapnet.tap.NetworkNamespace;

/**
 * Probe samples taken by the kernel's own stack with real sockets (and the real ping), from the network
 * namespace of the probe's {@code from}: {@code tap} is the run's namespace, a port its own.
 *
 * <p>Each namespace gets a small pool of threads that entered it once ({@link NamespaceWorkers}); a sample
 * queues there and {@link #sample} returns at once. A sample that cannot start (its {@code from} has no
 * namespace here, the pool's backlog is full, the probes are closed) is reported as failed, still on another
 * thread while the probes are open.
 */
public final class KernelProbes implements ProbeSampler, AutoCloseable {
    static final int THREADS_PER_NAMESPACE = 8;
    static final int QUEUE_PER_NAMESPACE = 64;

    private final Map<String, NetworkNamespace> namespaces;
    private final Map<String, NamespaceWorkers> pools = new HashMap<>(); // by namespace name; "" the current one
    private final ProbeWatchdog watchdog = new ProbeWatchdog();
    private final Map<ProbeSpec.Kind, KernelProbe> kinds = new EnumMap<>(ProbeSpec.Kind.class);
    private final int threadsPerNamespace;
    private final int queuePerNamespace;
    private boolean closed;

    /**
     * @param namespaces the namespace of each node probes may start from: {@code tap} and the ports' names;
     *                   a null namespace means the one this JVM runs in
     */
    public KernelProbes(Map<String, NetworkNamespace> namespaces) {
        this(namespaces, THREADS_PER_NAMESPACE, QUEUE_PER_NAMESPACE);
    }

    KernelProbes(Map<String, NetworkNamespace> namespaces, int threadsPerNamespace, int queuePerNamespace) {
        this.namespaces = new HashMap<>(namespaces); // HashMap: null values are meaningful
        this.threadsPerNamespace = threadsPerNamespace;
        this.queuePerNamespace = queuePerNamespace;
        kinds.put(ProbeSpec.Kind.CONNECT, new ConnectProbe(watchdog));
        kinds.put(ProbeSpec.Kind.HTTP, new HttpProbe(watchdog));
        kinds.put(ProbeSpec.Kind.BULK, new BulkProbe(watchdog));
        kinds.put(ProbeSpec.Kind.PING, new PingProbe());
        kinds.put(ProbeSpec.Kind.DNS, new DnsProbe());
    }

    @Override
    public void sample(ProbeSpec probe, long atNanos, Consumer<Sample> done) {
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(done, "done");
        NetworkNamespace namespace = namespaces.get(probe.from());
        SampleJob job = new SampleJob(probe, atNanos, done, kinds.get(probe.kind()), namespace);
        String rejected;
        if (!namespaces.containsKey(probe.from())) {
            rejected = "error: no namespace for '" + probe.from() + "' (kernel probes start from tap or a port)";
        } else {
            NamespaceWorkers pool = pool(namespace);
            rejected = pool == null ? "closed" : pool.submit(job);
        }
        if (rejected != null) {
            later(() -> job.abandon(rejected));
        }
    }

    private synchronized NamespaceWorkers pool(NetworkNamespace namespace) {
        if (closed) {
            return null;
        }
        return pools.computeIfAbsent(namespace == null ? "" : namespace.name(),
                name -> new NamespaceWorkers(namespace, threadsPerNamespace, queuePerNamespace));
    }

    /** Reports off the caller's thread (it may hold locks a receiver wants); after close, on it. */
    private void later(Runnable report) {
        try {
            watchdog.execute(report);
        } catch (RejectedExecutionException e) {
            report.run();
        }
    }

    /**
     * Shuts the pools down: queued samples are reported as {@code closed}, running pings stop, running socket
     * samples end by their deadline. Returns without waiting for them.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        pools.values().forEach(NamespaceWorkers::close);
        watchdog.close();
    }
}
