package tapnet.cli.probe;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tapnet.script.RunReport.Sample;

/** What one {@code ping -c 1} printed, as a sample: its time, or lost, unreachable, or an error. */
final class PingOutput {
    // iputils: "64 bytes from 10.77.0.10: icmp_seq=1 ttl=64 time=0.412 ms"; busybox and old ones: "time<1 ms"
    private static final Pattern TIME = Pattern.compile("time[=<]\\s*([0-9]+(?:\\.[0-9]+)?)\\s*ms");

    private PingOutput() {
    }

    /**
     * ok with the time when a reply came; {@code unreachable} when an ICMP unreachable came back (or the
     * kernel had no route); {@code lost} when ping saw nothing (exit 1); else {@code error: } and what it said.
     */
    static Sample parse(long atNanos, String output, int exitCode) {
        Matcher time = TIME.matcher(output);
        if (time.find()) {
            return KernelProbe.ok(atNanos, Double.parseDouble(time.group(1)));
        }
        String lower = output.toLowerCase(Locale.ROOT);
        // "From 10.77.0.1 icmp_seq=1 Destination Host Unreachable", "ping: connect: Network is unreachable"
        if (lower.contains("unreachable")) {
            return KernelProbe.failed(atNanos, "unreachable");
        }
        if (exitCode == 1) {
            return KernelProbe.failed(atNanos, "lost");
        }
        String said = output.strip().lines().findFirst().orElse("");
        return KernelProbe.failed(atNanos, "error: " + (said.isEmpty() ? "ping exited with " + exitCode : said));
    }
}
