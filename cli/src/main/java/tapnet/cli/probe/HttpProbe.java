package tapnet.cli.probe;

import tapnet.script.ProbeTarget;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import tapnet.topology.ProbeSpec;
import tapnet.script.RunReport.Sample;
import tapnet.tap.NetworkNamespace;

/**
 * HTTP {@code http://host[:port]/path}: a raw HTTP/1.1 GET with {@code Connection: close}; milliseconds from
 * the start of the connect to the whole answer. Ok for a 2xx status; else {@code status 503}, a connect
 * outcome, {@code timeout}, {@code truncated} or {@code bad response}.
 */
final class HttpProbe implements KernelProbe {
    private final ProbeWatchdog watchdog;

    HttpProbe(ProbeWatchdog watchdog) {
        this.watchdog = watchdog;
    }

    @Override
    public Sample measure(ProbeSpec probe, long atNanos, NetworkNamespace namespace) {
        ProbeTarget target = ProbeTarget.http(probe.target());
        Socket socket = new Socket();
        try (ProbeWatchdog.Deadline deadline = watchdog.arm(probe.timeout(), socket)) {
            long start = System.nanoTime();
            int status;
            try {
                ConnectProbe.connect(socket, target, deadline);
                OutputStream out = socket.getOutputStream();
                out.write(target.httpRequest().getBytes(StandardCharsets.US_ASCII));
                out.flush();
                status = HttpResponseReader.read(new BufferedInputStream(socket.getInputStream()));
            } catch (IOException e) {
                return KernelProbe.failed(atNanos, outcome(e, deadline.expired()));
            }
            double millis = KernelProbe.millisSince(start);
            return status / 100 == 2 ? KernelProbe.ok(atNanos, millis) : KernelProbe.failed(atNanos, "status " + status);
        } finally {
            KernelProbe.closeQuietly(socket);
        }
    }

    private static String outcome(IOException e, boolean deadlinePassed) {
        if (!deadlinePassed && e instanceof ProtocolException) {
            return "bad response";
        }
        if (!deadlinePassed && e instanceof EOFException) {
            return "truncated";
        }
        return SocketOutcome.of(e, deadlinePassed);
    }
}
