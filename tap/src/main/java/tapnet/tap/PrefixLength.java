package tapnet.tap;

/** Reads the prefix length after the slash of "address/length" text. */
final class PrefixLength {
    private PrefixLength() {
    }

    /** An IPv4 prefix length, 0 to 32. */
    static int parse(String text, int slash) {
        return parse(text, slash, 32, "10.77.0.1/24");
    }

    /** A prefix length 0 to {@code max}; the message shows {@code example}. */
    static int parse(String text, int slash, int max, String example) {
        try {
            int length = Integer.parseInt(text.substring(slash + 1).trim());
            if (length >= 0 && length <= max) {
                return length;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("not a prefix length 0-" + max + " after the '/' (like " + example + "): " + text);
    }
}
