package tapnet.report;

/** Text made safe for XML and HTML, in element content and in quoted attributes alike. */
final class Xml {
    private Xml() {
    }

    /** {@code text} for element content: line breaks stay as they are. */
    static String content(String text) {
        return escape(text, false);
    }

    /** {@code text} for a quoted attribute: line breaks and tabs as references, which keeps them there. */
    static String attribute(String text) {
        return escape(text, true);
    }

    /**
     * {@code text} with markup characters as entities, and characters XML 1.0 forbids even as references
     * replaced by U+FFFD; null is empty.
     */
    private static String escape(String text, boolean attribute) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                case '\n' -> out.append(attribute ? "&#10;" : "\n");
                case '\r' -> out.append("&#13;");
                case '\t' -> out.append(attribute ? "&#9;" : "\t");
                default -> {
                    if (c < 0x20 || c == 0xfffe || c == 0xffff || loneSurrogate(text, i)) {
                        out.append('\ufffd');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static boolean loneSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
    }
}
