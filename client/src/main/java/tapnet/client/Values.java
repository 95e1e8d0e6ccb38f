package tapnet.client;

import java.math.BigDecimal;
import java.time.Duration;

/** Java values written as topology files write them: durations ("50ms"), percentages ("1%"), sizes ("1000B"). */
final class Values {
    private Values() {
    }

    /** The shortest exact form: "2s", "50ms", "1500us", "7ns". */
    static String duration(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a negative duration: " + duration);
        }
        long nanos = duration.toNanos();
        if (nanos % 1_000_000_000L == 0 && nanos != 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        if (nanos % 1_000L == 0) {
            return nanos / 1_000L + "us";
        }
        return nanos + "ns";
    }

    /** {@code percent} percent: 1.0 is "1%", 0.5 is "0.5%", 100 is "100%". */
    static String percent(double percent) {
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException("a percentage from 0 to 100, not " + percent);
        }
        return new BigDecimal(Double.toString(percent)).stripTrailingZeros().toPlainString() + "%";
    }

    static String bytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("a negative size: " + bytes);
        }
        return bytes + "B";
    }

    /** Integers as Long, as {@link Json} reads them, so that a value made here equals one read back. */
    static Object normalized(Object value) {
        return value instanceof Integer || value instanceof Short || value instanceof Byte ? Long.valueOf(((Number) value).longValue()) : value;
    }
}
