package tapnet.client;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON the control API speaks (RFC 8259), read and written without a library, so that the client needs
 * nothing but the JDK. Read: an object is an unmodifiable {@code Map<String, Object>} in the document's
 * order, an array an unmodifiable {@code List<Object>}, a number a {@link Long} when it is an integer that
 * fits and a {@link BigDecimal} otherwise, true/false a {@link Boolean}, null {@code null}. Strict: one
 * value, nothing after it, no comments, no trailing commas, no leading zeros, no raw control characters in
 * strings; a mistake is an {@link IllegalArgumentException} naming the offset.
 */
public final class Json {
    private static final int MAX_DEPTH = 256;

    private final String text;
    private int at;
    private int depth;

    private Json(String text) {
        this.text = text;
    }

    /** The value {@code text} holds. */
    public static Object parse(String text) {
        Json json = new Json(text);
        json.skipSpace();
        Object value = json.value();
        json.skipSpace();
        if (json.at != text.length()) {
            throw json.mistake("expected the end of the document");
        }
        return value;
    }

    /** {@code value} as JSON: maps, iterables, strings, numbers, booleans and null; anything else as its string. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Number number) {
            writeNumber(number, out);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            String comma = "";
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(comma);
                writeString(String.valueOf(entry.getKey()), out);
                out.append(':');
                write(entry.getValue(), out);
                comma = ",";
            }
            out.append('}');
        } else if (value instanceof Iterable<?> list) {
            out.append('[');
            String comma = "";
            for (Object item : list) {
                out.append(comma);
                write(item, out);
                comma = ",";
            }
            out.append(']');
        } else {
            writeString(value.toString(), out);
        }
    }

    private static void writeNumber(Number number, StringBuilder out) {
        if (number instanceof Double d && (d.isNaN() || d.isInfinite()) || number instanceof Float f && (f.isNaN() || f.isInfinite())) {
            throw new IllegalArgumentException("JSON has no " + number);
        }
        out.append(number instanceof Double || number instanceof Float
                ? new BigDecimal(number.toString()).stripTrailingZeros().toPlainString() : number.toString());
    }

    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private Object value() {
        if (at >= text.length()) {
            throw mistake("expected a value, found the end");
        }
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || c >= '0' && c <= '9') {
                    yield number();
                }
                throw mistake("expected a value, found '" + c + "'");
            }
        };
    }

    private Map<String, Object> object() {
        enter();
        Map<String, Object> map = new LinkedHashMap<>();
        at++;
        skipSpace();
        if (peek() == '}') {
            at++;
            return leave(Collections.unmodifiableMap(map));
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw mistake("expected a string as an object's key");
            }
            int keyAt = at;
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            if (map.containsKey(key)) {
                at = keyAt;
                throw mistake("the key \"" + key + "\" comes twice");
            }
            map.put(key, value());
            skipSpace();
            if (peek() == ',') {
                at++;
            } else {
                expect('}');
                return leave(Collections.unmodifiableMap(map));
            }
        }
    }

    private List<Object> array() {
        enter();
        List<Object> list = new ArrayList<>();
        at++;
        skipSpace();
        if (peek() == ']') {
            at++;
            return leave(Collections.unmodifiableList(list));
        }
        while (true) {
            skipSpace();
            list.add(value());
            skipSpace();
            if (peek() == ',') {
                at++;
            } else {
                expect(']');
                return leave(Collections.unmodifiableList(list));
            }
        }
    }

    private String string() {
        at++; // the opening quote
        StringBuilder out = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                throw mistake("a string without its closing quote");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                at--;
                throw mistake("a raw control character in a string; write it as \\u" + String.format("%04x", (int) c));
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (at >= text.length()) {
                throw mistake("a string without its closing quote");
            }
            char escaped = text.charAt(at++);
            switch (escaped) {
                case '"', '\\', '/' -> out.append(escaped);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(hex4());
                default -> {
                    at -= 2;
                    throw mistake("an unknown escape \\" + escaped);
                }
            }
        }
    }

    private char hex4() {
        if (at + 4 > text.length()) {
            throw mistake("\\u needs four hex digits");
        }
        int code = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(at + i), 16);
            if (digit < 0) {
                throw mistake("\\u needs four hex digits");
            }
            code = code * 16 + digit;
        }
        at += 4;
        return (char) code; // a surrogate pair arrives as two escapes, joined by the StringBuilder
    }

    private Object number() {
        int start = at;
        if (peek() == '-') {
            at++;
        }
        if (peek() == '0') {
            at++;
            if (isDigit(peek())) {
                throw mistake("a number with a leading zero");
            }
        } else {
            digits();
        }
        boolean integer = true;
        if (peek() == '.') {
            at++;
            digits();
            integer = false;
        }
        if (peek() == 'e' || peek() == 'E') {
            at++;
            if (peek() == '+' || peek() == '-') {
                at++;
            }
            digits();
            integer = false;
        }
        String number = text.substring(start, at);
        if (integer && number.length() <= 18) {
            return Long.parseLong(number);
        }
        if (integer && new java.math.BigInteger(number).bitLength() < 64) {
            return Long.parseLong(number);
        }
        return new BigDecimal(number);
    }

    private void digits() {
        if (!isDigit(peek())) {
            throw mistake("expected a digit");
        }
        while (isDigit(peek())) {
            at++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9'; // not Character.isDigit: JSON's digits are ASCII only
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, at)) {
            throw mistake("expected " + word);
        }
        at += word.length();
        return value;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw mistake("nested deeper than " + MAX_DEPTH);
        }
    }

    private <T> T leave(T value) {
        depth--;
        return value;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw mistake(at >= text.length() ? "expected '" + c + "', found the end" : "expected '" + c + "'");
        }
        at++;
    }

    /** The character at the cursor; 0 past the end (never a valid character here: raw controls are refused). */
    private char peek() {
        return at < text.length() ? text.charAt(at) : 0;
    }

    private void skipSpace() {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
    }

    private IllegalArgumentException mistake(String what) {
        return new IllegalArgumentException("JSON at offset " + at + ": " + what);
    }
}
