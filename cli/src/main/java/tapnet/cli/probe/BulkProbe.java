package tapnet.cli.probe;

import tapnet.script.ProbeTarget;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import tapnet.topology.ProbeSpec;
import tapnet.script.RunReport.Sample;
import tapnet.tap.NetworkNamespace;

/**
 * BULK {@code ip:port}: connects, sends the probe's bytes (zeros), shuts its side down and reads until the
 * server closes (a discard service closes after the client's FIN). Goodput in Mbit/s over the whole exchange,
 * connect to EOF, so a slow handshake or a slow close counts as a user would feel it.
 */
final class BulkProbe implements KernelProbe {
    /** What every bulk sample sends; only ever read, so all threads share it. */
    private static final byte[] ZEROS = new byte[64 * 1024];

    private final ProbeWatchdog watchdog;

    BulkProbe(ProbeWatchdog watchdog) {
        this.watchdog = watchdog;
    }

    @Override
    public Sample measure(ProbeSpec probe, long atNanos, NetworkNamespace namespace) {
        ProbeTarget target = ProbeTarget.hostPort(probe.target());
        Socket socket = new Socket();
        try (ProbeWatchdog.Deadline deadline = watchdog.arm(probe.timeout(), socket)) {
            long start = System.nanoTime();
            try {
                ConnectProbe.connect(socket, target, deadline);
                OutputStream out = socket.getOutputStream();
                for (long left = probe.bytes(); left > 0; ) {
                    int n = (int) Math.min(ZEROS.length, left);
                    out.write(ZEROS, 0, n);
                    left -= n;
                }
                socket.shutdownOutput();
                InputStream in = socket.getInputStream();
                byte[] sink = new byte[8192];
                while (in.read(sink) >= 0) {
                    // whatever the service sends back (an echo would) is read and dropped
                }
            } catch (IOException e) {
                return KernelProbe.failed(atNanos, SocketOutcome.of(e, deadline.expired()));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return KernelProbe.ok(atNanos, probe.bytes() * 8 / seconds / 1e6);
        } finally {
            KernelProbe.closeQuietly(socket);
        }
    }
}
