package tapnet.cli.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tapnet.topology.ProbeSpec;
import tapnet.script.RunReport.Sample;
import tapnet.tap.NetworkNamespace;

/**
 * PING {@code ip}: one ICMP echo by the {@code ping} program, in the namespace ({@code ip netns exec NAME}).
 * Java has no ICMP sockets (InetAddress.isReachable falls back to a TCP connect to port 7 without
 * privileges and reports no time), so the kernel's echo is taken the way a user takes it: with ping.
 */
final class PingProbe implements KernelProbe {
    /** How much longer than its own deadline ping may take to start and exit before it is killed. */
    private static final long GRACE_SECONDS = 3;

    static List<String> command(NetworkNamespace namespace, String target, long timeoutSeconds) {
        List<String> command = new ArrayList<>();
        if (namespace != null) {
            command.addAll(List.of("ip", "netns", "exec", namespace.name()));
        }
        String seconds = Long.toString(timeoutSeconds);
        // -W waits that long for the reply, -w ends ping then whatever happens; -n: no reverse DNS lookups
        command.addAll(List.of("ping", "-n", "-c", "1", "-W", seconds, "-w", seconds, target));
        return command;
    }

    /** ping takes whole seconds (older iputils read -W as an integer): the timeout rounded up, at least 1. */
    static long timeoutSeconds(ProbeSpec probe) {
        long millis = probe.timeout().toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }

    @Override
    public Sample measure(ProbeSpec probe, long atNanos, NetworkNamespace namespace) {
        long seconds = timeoutSeconds(probe);
        Process process;
        try {
            process = new ProcessBuilder(command(namespace, probe.target(), seconds)).redirectErrorStream(true).start();
        } catch (IOException e) {
            return KernelProbe.failed(atNanos, "error: " + e.getMessage()); // ping (or ip) is not installed
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(seconds + GRACE_SECONDS, TimeUnit.SECONDS)) {
                return KernelProbe.failed(atNanos, "timeout");
            }
            // ping prints a few lines, far below a pipe's buffer: it never blocked on them before exiting
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return PingOutput.parse(atNanos, output, process.exitValue());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return KernelProbe.failed(atNanos, "closed"); // the probes closed while ping ran
        } catch (IOException e) {
            return KernelProbe.failed(atNanos, "error: " + e.getMessage());
        } finally {
            process.destroyForcibly(); // no-op once it exited
        }
    }
}
