package tapnet.tap;

/** Reads the prefix length after the slash of "address/length" text. */
final class PrefixLength {
    private PrefixLength() {
    }

    static int parse(String text, int slash) {
        try {
            int length = Integer.parseInt(text.substring(slash + 1).trim());
            if (length >= 0 && length <= 32) {
                return length;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("not a prefix length 0-32 after the '/' (like 10.77.0.1/24): " + text);
    }
}
