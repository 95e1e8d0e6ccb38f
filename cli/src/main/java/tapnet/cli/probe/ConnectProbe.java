package tapnet.cli.probe;

import tapnet.script.ProbeTarget;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import tapnet.topology.ProbeSpec;
import tapnet.script.RunReport.Sample;
import tapnet.tap.NetworkNamespace;

/**
 * CONNECT {@code ip:port}: milliseconds until the kernel has the connection established.
 *
 * <p>The socket then closes normally, with a FIN, not a reset (SO_LINGER 0): a probe should look like an
 * ordinary client to the service and to the emulated links, and an RST would count as an abort there. The
 * price is one TIME-WAIT entry per sample in the probing namespace for 60 s, which at probe rates (a few a
 * second) is nothing next to the ~28,000 ephemeral ports.
 */
final class ConnectProbe implements KernelProbe {
    private final ProbeWatchdog watchdog;

    ConnectProbe(ProbeWatchdog watchdog) {
        this.watchdog = watchdog;
    }

    @Override
    public Sample measure(ProbeSpec probe, long atNanos, NetworkNamespace namespace) {
        ProbeTarget target = ProbeTarget.hostPort(probe.target());
        Socket socket = new Socket();
        try (ProbeWatchdog.Deadline deadline = watchdog.arm(probe.timeout(), socket)) {
            long start = System.nanoTime();
            try {
                connect(socket, target, deadline);
            } catch (IOException e) {
                return KernelProbe.failed(atNanos, SocketOutcome.of(e, deadline.expired()));
            }
            return KernelProbe.ok(atNanos, KernelProbe.millisSince(start));
        } finally {
            KernelProbe.closeQuietly(socket);
        }
    }

    /** Connects within what is left of the deadline; the name is resolved here, in the namespace. */
    static void connect(Socket socket, ProbeTarget target, ProbeWatchdog.Deadline deadline) throws IOException {
        socket.connect(new InetSocketAddress(target.host(), target.port()), deadline.remainingMillis());
    }
}
