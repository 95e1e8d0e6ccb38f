package tapnet.cli.probe;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.function.Function;
import tapnet.script.ProbeTarget;
import tapnet.script.RunReport.Sample;
import tapnet.tap.NetworkNamespace;
import tapnet.topology.ProbeSpec;

/**
 * What every socket probe does: reads its target, connects a TCP socket to it (the name resolved here, in
 * the namespace) under a watchdog that closes the socket at the probe's timeout, does its own exchange timed
 * from the start of the connect, and turns a failure into an outcome in a word. Each kind says only its
 * target's form, its exchange and, where it has its own, how its failures read.
 *
 * <p>The socket then closes normally, with a FIN, not a reset (SO_LINGER 0): a probe should look like an
 * ordinary client to the service and to the emulated links, and an RST would count as an abort there. The
 * price is one TIME-WAIT entry per sample in the probing namespace for 60 s, which at probe rates (a few a
 * second) is nothing next to the ~28,000 ephemeral ports.
 */
abstract class SocketProbe implements KernelProbe {
    private final ProbeWatchdog watchdog;
    private final Function<String, ProbeTarget> target;

    /** @param target reads a probe's target as this kind writes it ({@link ProbeTarget#hostPort}, {@link ProbeTarget#http}) */
    SocketProbe(ProbeWatchdog watchdog, Function<String, ProbeTarget> target) {
        this.watchdog = watchdog;
        this.target = target;
    }

    /** When a sample started, to time it and to stamp it. */
    record Timing(long atNanos, long startNanos) {
        double millis() {
            return (System.nanoTime() - startNanos) / 1e6;
        }

        double seconds() {
            return (System.nanoTime() - startNanos) / 1e9;
        }

        Sample ok(double value) {
            return KernelProbe.ok(atNanos, value);
        }

        Sample failed(String outcome) {
            return KernelProbe.failed(atNanos, outcome);
        }
    }

    /** What this kind does over the connected socket, and the sample it makes of it, timed by {@code timing}. */
    abstract Sample exchange(Socket socket, ProbeTarget target, ProbeSpec probe, Timing timing) throws IOException;

    /** A failed sample's outcome in a word; the watchdog's deadline passed when {@code deadlinePassed}. */
    String outcome(IOException failure, boolean deadlinePassed) {
        return SocketOutcome.of(failure, deadlinePassed);
    }

    @Override
    public final Sample measure(ProbeSpec probe, long atNanos, NetworkNamespace namespace) {
        ProbeTarget to = target.apply(probe.target());
        Socket socket = new Socket();
        try (ProbeWatchdog.Deadline deadline = watchdog.arm(probe.timeout(), socket)) {
            Timing timing = new Timing(atNanos, System.nanoTime());
            try {
                socket.connect(new InetSocketAddress(to.host(), to.port()), deadline.remainingMillis());
                return exchange(socket, to, probe, timing);
            } catch (IOException e) {
                return timing.failed(outcome(e, deadline.expired()));
            }
        } finally {
            closeQuietly(socket);
        }
    }

    /** Closes a sample's socket: normally, with a FIN; a failure to close changes nothing measured. */
    private static void closeQuietly(Closeable socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // the sample is already taken
        }
    }
}
