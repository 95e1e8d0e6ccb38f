package tapnet.topology.yaml;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Quantities as topology files write them, units spelled out: durations ({@code 500us}, {@code 200ms},
 * {@code 1.5s}, {@code 2m}) and sizes ({@code 1500}, {@code 64KiB}, {@code 1MiB}). Cold path: parsing
 * throws {@link IllegalArgumentException} whose message says what was expected, ready for a user.
 */
public final class Units {
    private static final Pattern QUANTITY = Pattern.compile("(-?)(\\d+(?:\\.\\d+)?|\\.\\d+) ?([^\\d\\s.]*)");

    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "ns", 1L,
            "us", 1_000L,
            "\u00b5s", 1_000L, // micro sign
            "\u03bcs", 1_000L, // Greek small mu
            "ms", 1_000_000L,
            "s", 1_000_000_000L,
            "m", 60_000_000_000L,
            "h", 3_600_000_000_000L);

    private static final Map<String, Long> BYTES_PER_UNIT = Map.of(
            "B", 1L,
            "KiB", 1L << 10,
            "MiB", 1L << 20,
            "GiB", 1L << 30,
            "TiB", 1L << 40);

    private static final String DURATION_EXPECTED =
            "expected a number and a unit (ns, us, ms, s, m or h), like 200ms or 1.5s";
    private static final String SIZE_EXPECTED =
            "expected a number of bytes, or a number and a unit (B, KiB, MiB, GiB or TiB; 1KiB is 1024 bytes),"
                    + " like 1500 or 64KiB";

    private Units() {
    }

    /** Parses a duration with its unit: ns, us (or µs), ms, s, m, h; decimals allowed ({@code 1.5s}). */
    public static Duration duration(String text) {
        Matcher m = QUANTITY.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(quote(text) + " is not a duration; " + DURATION_EXPECTED);
        }
        String unit = m.group(3);
        if (unit.isEmpty()) {
            throw new IllegalArgumentException(quote(text) + " is not a duration; write it with a unit, like 20ms or 1.5s");
        }
        Long nanosPerUnit = NANOS_PER_UNIT.get(unit);
        if (nanosPerUnit == null) {
            throw new IllegalArgumentException(quote(text) + " is not a duration: '" + unit
                    + "' is not a unit of time; " + DURATION_EXPECTED);
        }
        if (!m.group(1).isEmpty()) {
            throw new IllegalArgumentException(quote(text) + " is negative; expected a duration of zero or more, like 0s or 200ms");
        }
        BigDecimal nanos = new BigDecimal(m.group(2)).multiply(BigDecimal.valueOf(nanosPerUnit));
        return Duration.ofNanos(whole(nanos, text, "is finer than a nanosecond; expected a whole number of nanoseconds"));
    }

    /** Parses a size in bytes: a bare number, or a number with B, KiB, MiB, GiB or TiB (powers of 1024). */
    public static long size(String text) {
        Matcher m = QUANTITY.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(quote(text) + " is not a size; " + SIZE_EXPECTED);
        }
        String unit = m.group(3);
        Long bytesPerUnit = unit.isEmpty() ? Long.valueOf(1) : BYTES_PER_UNIT.get(unit);
        if (bytesPerUnit == null) {
            throw new IllegalArgumentException(quote(text) + " is not a size: '" + unit
                    + "' is not a unit of size; " + SIZE_EXPECTED);
        }
        if (!m.group(1).isEmpty()) {
            throw new IllegalArgumentException(quote(text) + " is negative; expected a size of zero or more, like 1500 or 64KiB");
        }
        BigDecimal bytes = new BigDecimal(m.group(2)).multiply(BigDecimal.valueOf(bytesPerUnit));
        return whole(bytes, text, "is not a whole number of bytes; expected like 1536 or 1.5KiB");
    }

    /**
     * Parses a rate as tc(8) writes them: bits per second with bit, kbit, mbit, gbit or tbit (powers of
     * 1000), or bytes per second with bps, kbps, mbps, gbps or tbps. A bare number is refused: units written out.
     */
    public static long rate(String text) {
        Matcher m = QUANTITY.matcher(text.strip());
        String expected = "expected a rate like 100mbit, 1gbit or 500kbit (or bytes per second: 10mbps)";
        if (!m.matches() || !m.group(1).isEmpty()) {
            throw new IllegalArgumentException(quote(text) + " is not a rate; " + expected);
        }
        String unit = m.group(3).toLowerCase(java.util.Locale.ROOT);
        long multiplier = switch (unit) {
            case "bit" -> 1L;
            case "kbit" -> 1_000L;
            case "mbit" -> 1_000_000L;
            case "gbit" -> 1_000_000_000L;
            case "tbit" -> 1_000_000_000_000L;
            case "bps" -> 8L;
            case "kbps" -> 8_000L;
            case "mbps" -> 8_000_000L;
            case "gbps" -> 8_000_000_000L;
            case "tbps" -> 8_000_000_000_000L;
            default -> 0L;
        };
        if (unit.isEmpty()) {
            throw new IllegalArgumentException(quote(text) + " is not a rate; write it with a unit, like 100mbit");
        }
        if (multiplier == 0) {
            throw new IllegalArgumentException(quote(text) + " is not a rate: '" + m.group(3) + "' is not a unit of rate; " + expected);
        }
        BigDecimal bits = new BigDecimal(m.group(2)).multiply(BigDecimal.valueOf(multiplier));
        return whole(bits, text, "is finer than a bit per second; " + expected);
    }

    /** Parses a percentage written with its sign, {@code 10%} or {@code 0.5%}, as a fraction from 0 to 1. */
    public static double fraction(String text) {
        String t = text.strip();
        if (!t.endsWith("%")) {
            throw new IllegalArgumentException(quote(text) + " is not a percentage; write it with %, like 10% or 0.5%");
        }
        BigDecimal percent;
        try {
            percent = new BigDecimal(t.substring(0, t.length() - 1).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(quote(text) + " is not a percentage; expected a number and %, like 10% or 0.5%");
        }
        if (percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new IllegalArgumentException(quote(text) + " is out of range; expected 0% to 100%");
        }
        return percent.doubleValue() / 100;
    }

    /** A duration in the largest unit that writes it exactly: {@code 2s}, {@code 1500ms}, {@code 0s}. */
    public static String format(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        String[] units = {"h", "m", "s", "ms", "us", "ns"};
        for (String unit : units) {
            long per = NANOS_PER_UNIT.get(unit);
            if (nanos % per == 0) {
                return nanos / per + unit;
            }
        }
        throw new AssertionError("ns divides every duration");
    }

    /** A size in the largest binary unit that writes it exactly: {@code 64KiB}, {@code 1500B}. */
    public static String formatSize(long bytes) {
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        for (String unit : units) {
            long per = BYTES_PER_UNIT.get(unit);
            if (bytes != 0 && bytes % per == 0) {
                return bytes / per + unit;
            }
        }
        return bytes + "B";
    }

    private static long whole(BigDecimal value, String text, String notWhole) {
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() > 0) {
            throw new IllegalArgumentException(quote(text) + " " + notWhole);
        }
        BigInteger integer = stripped.toBigIntegerExact();
        if (integer.bitLength() > 63) {
            throw new IllegalArgumentException(quote(text) + " is too large");
        }
        return integer.longValue();
    }

    private static String quote(String text) {
        return "'" + text + "'";
    }
}
