package tapnet.topology.yaml;

/**
 * One thing wrong with a topology file, where it is: {@code line} and {@code column} count from 1, as
 * editors do. {@link #toString()} gives the {@code file:line:column: message} form compilers use, which
 * editors and terminals turn into links.
 *
 * <p>An error is always one line: a line break or another control character in the file name or the
 * message (a value quoted from the file, {@code "a\nb"}) is written as an escape ({@code \n}, {@code \r},
 * {@code \t}, {@code \u0085}...), so that every line of output is one error.
 */
public record TopologyError(String file, int line, int column, String message) implements Comparable<TopologyError> {

    public TopologyError {
        file = oneLine(file);
        message = oneLine(message);
    }

    @Override
    public int compareTo(TopologyError other) {
        int byLine = Integer.compare(line, other.line);
        return byLine != 0 ? byLine : Integer.compare(column, other.column);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }

    /**
     * {@code text} with every character that would break a line or a terminal escaped: C0 and C1 controls,
     * DEL, and the Unicode line and paragraph separators. Other text, backslashes included, stays as it is.
     */
    public static String oneLine(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String escape = escape(c);
            if (escape != null && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out != null) {
                if (escape != null) {
                    out.append(escape);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    private static String escape(char c) {
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? String.format("\\u%04X", (int) c) : null;
        };
    }
}
