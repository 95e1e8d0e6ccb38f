package tapnet.tcp;

/** Modulo-2^32 comparisons of sequence numbers (RFC 9293 §3.4): a before b when (a - b) is negative. */
public final class SequenceNumbers {
    private SequenceNumbers() {
    }

    public static boolean lessThan(int a, int b) {
        return a - b < 0;
    }

    public static boolean lessOrEqual(int a, int b) {
        return a - b <= 0;
    }

    public static boolean greaterThan(int a, int b) {
        return a - b > 0;
    }

    public static boolean greaterOrEqual(int a, int b) {
        return a - b >= 0;
    }

    /** low <= x < high, modulo 2^32. */
    public static boolean inWindow(int x, int low, int high) {
        return x - low >= 0 && x - high < 0;
    }

    public static int max(int a, int b) {
        return a - b >= 0 ? a : b;
    }
}
