package tapnet.cli.probe;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import tapnet.script.ProbeTarget;
import tapnet.script.RunReport.Sample;
import tapnet.topology.ProbeSpec;

/**
 * HTTP {@code http://host[:port]/path}: a raw HTTP/1.1 GET with {@code Connection: close}; milliseconds from
 * the start of the connect to the whole answer. Ok for a 2xx status; else {@code status 503}, a connect
 * outcome, {@code timeout}, {@code truncated} or {@code bad response}.
 */
final class HttpProbe extends SocketProbe {
    HttpProbe(ProbeWatchdog watchdog) {
        super(watchdog, ProbeTarget::http);
    }

    @Override
    Sample exchange(Socket socket, ProbeTarget target, ProbeSpec probe, Timing timing) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(target.httpRequest().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        int status = HttpResponseReader.read(new BufferedInputStream(socket.getInputStream()));
        double millis = timing.millis();
        return status / 100 == 2 ? timing.ok(millis) : timing.failed("status " + status);
    }

    @Override
    String outcome(IOException e, boolean deadlinePassed) {
        if (!deadlinePassed && e instanceof ProtocolException) {
            return "bad response";
        }
        if (!deadlinePassed && e instanceof EOFException) {
            return "truncated";
        }
        return super.outcome(e, deadlinePassed);
    }
}
