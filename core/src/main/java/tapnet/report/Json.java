package tapnet.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a tree of maps (in their iteration order), lists, strings, numbers, booleans and nulls as pretty
 * JSON: 2-space indent, one member per line, except that an object in a list whose values are all scalars
 * goes on one line (a sample, an event), which keeps long sample lists readable. Doubles go through
 * {@link Decimals}: NaN and infinities become null.
 */
public final class Json {
    private final StringBuilder out = new StringBuilder();

    private Json() {
    }

    public static String write(Object tree) {
        Json json = new Json();
        json.value(tree, 0, false);
        return json.out.append('\n').toString();
    }

    private void value(Object value, int depth, boolean inList) {
        if (value instanceof Map<?, ?> map) {
            object(map, depth, inList && map.values().stream().allMatch(Json::isScalar));
        } else if (value instanceof List<?> list) {
            list(list, depth);
        } else {
            scalar(value);
        }
    }

    private void object(Map<?, ?> map, int depth, boolean oneLine) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        String separator = "";
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            out.append(separator);
            if (oneLine) {
                out.append(separator.isEmpty() ? "" : " ");
            } else {
                newline(depth + 1);
            }
            string(entry.getKey().toString());
            out.append(": ");
            value(entry.getValue(), depth + 1, false);
            separator = ",";
        }
        if (!oneLine) {
            newline(depth);
        }
        out.append('}');
    }

    private void list(List<?> list, int depth) {
        if (list.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        String separator = "";
        for (Object item : list) {
            out.append(separator);
            newline(depth + 1);
            value(item, depth + 1, true);
            separator = ",";
        }
        newline(depth);
        out.append(']');
    }

    private static boolean isScalar(Object value) {
        return !(value instanceof Map) && !(value instanceof List);
    }

    private void scalar(Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(s);
        } else if (value instanceof Double d) {
            String text = Decimals.format(d);
            out.append(text == null ? "null" : text);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Boolean) {
            out.append(value);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    /**
     * A JSON string that is also a valid YAML 1.2 double-quoted scalar (the reader is a YAML parser):
     * controls, C1 controls, lone surrogates and non-characters are escaped, not written raw.
     */
    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c >= 0xfffe || loneSurrogate(s, i)) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean loneSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
    }

    private void newline(int depth) {
        out.append('\n').append("  ".repeat(depth));
    }
}
