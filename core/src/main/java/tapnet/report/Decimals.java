package tapnet.report;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Numbers as reports write them: at most a few decimals, no trailing zeros, no exponent, a dot whatever
 * the locale, so the same value always gives the same bytes.
 */
final class Decimals {
    private Decimals() {
    }

    /** {@code value} with at most 3 decimals ({@code 12.5}, {@code 0.001}, {@code 3}); null when not finite. */
    static String format(double value) {
        return format(value, 3);
    }

    /** {@code value} with at most {@code decimals} decimals; null when NaN or infinite. */
    static String format(double value, int decimals) {
        if (!Double.isFinite(value)) {
            return null;
        }
        BigDecimal rounded = BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return rounded.signum() == 0 ? "0" : rounded.toPlainString(); // no "-0", no "0E-3"
    }

    /** Nanoseconds as seconds with 3 decimals ({@code 12.500}): for columns that line up. */
    static String seconds(long nanos) {
        return BigDecimal.valueOf(nanos, 9).setScale(3, RoundingMode.HALF_EVEN).toPlainString();
    }
}
