package tapnet.topology;

import java.time.Duration;
import java.util.Objects;

/**
 * A named, periodic measurement: every {@code every}, from {@code from} (the kernel of the TAP's namespace:
 * {@code tap}; a port, whose namespace's kernel it uses; or a virtual host, with tapnet's own TCP), one
 * sample of {@code kind} against {@code target}.
 *
 * @param target  {@code 10.77.0.10} (ping), {@code 10.77.0.10:80} (connect, bulk), {@code http://10.77.0.10/} (http)
 *                or a counter's name (counter)
 * @param timeout how long one sample may take before it counts as timed out
 * @param bytes   what a bulk sample sends (0 for the other kinds)
 */
public record ProbeSpec(String name, Kind kind, String target, String from, Duration every, Duration timeout, long bytes) {
    /** What a probe measures; each sample's value is in {@link #unit()}. */
    public enum Kind {
        /** ICMP echo: round-trip time; lost when no reply comes within the timeout. */
        PING("ms"),
        /** TCP connect: time to established; refused (RST) or timed out otherwise. */
        CONNECT("ms"),
        /** HTTP GET: time to the whole answer; ok for a 2xx status. */
        HTTP("ms"),
        /** Bulk transfer: sends {@code bytes} and measures goodput. */
        BULK("Mbit/s"),
        /** One of tapnet's own counters (target: its name, {@code drop.link_loss}): its value over time. */
        COUNTER("count");

        private final String unit;

        Kind(String unit) {
            this.unit = unit;
        }

        public String unit() {
            return unit;
        }
    }

    public ProbeSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(every, "every");
        Objects.requireNonNull(timeout, "timeout");
    }
}
