package tapnet.cli.probe;

import java.net.Socket;
import tapnet.script.ProbeTarget;
import tapnet.script.RunReport.Sample;
import tapnet.topology.ProbeSpec;

/** CONNECT {@code ip:port}: milliseconds until the kernel has the connection established. */
final class ConnectProbe extends SocketProbe {
    ConnectProbe(ProbeWatchdog watchdog) {
        super(watchdog, ProbeTarget::hostPort);
    }

    @Override
    Sample exchange(Socket socket, ProbeTarget target, ProbeSpec probe, Timing timing) {
        return timing.ok(timing.millis()); // connected: that is all this kind measures
    }
}
