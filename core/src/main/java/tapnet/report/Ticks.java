package tapnet.report;

/** Axis steps people read easily: 1, 2 or 5 times a power of ten. */
final class Ticks {
    private Ticks() {
    }

    /** The smallest 1-2-5 step that cuts {@code range} into at most {@code count} parts. */
    static double step(double range, int count) {
        if (!(range > 0)) {
            return 1;
        }
        double raw = range / count;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double factor : new double[] {1, 2, 5, 10}) {
            if (factor * power >= raw * (1 - 1e-9)) {
                return factor * power;
            }
        }
        return 10 * power;
    }
}
