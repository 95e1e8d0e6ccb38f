package tapnet.cli.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import tapnet.script.ProbeTarget;
import tapnet.script.RunReport.Sample;
import tapnet.topology.ProbeSpec;

/**
 * BULK {@code ip:port}: connects, sends the probe's bytes (zeros), shuts its side down and reads until the
 * server closes (a discard service closes after the client's FIN). Goodput in Mbit/s over the whole exchange,
 * connect to EOF, so a slow handshake or a slow close counts as a user would feel it.
 */
final class BulkProbe extends SocketProbe {
    /** What every bulk sample sends; only ever read, so all threads share it. */
    private static final byte[] ZEROS = new byte[64 * 1024];

    BulkProbe(ProbeWatchdog watchdog) {
        super(watchdog, ProbeTarget::hostPort);
    }

    @Override
    Sample exchange(Socket socket, ProbeTarget target, ProbeSpec probe, Timing timing) throws IOException {
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
        return timing.ok(probe.bytes() * 8 / timing.seconds() / 1e6);
    }
}
