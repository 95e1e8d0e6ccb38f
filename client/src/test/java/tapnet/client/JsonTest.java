package tapnet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
    @Test
    void escapesAreDecoded() {
        assertEquals("a\"b\\c/d\b\f\n\r\te", Json.parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\te\""));
    }

    @Test
    void unicodeEscapesAndRawUnicodeAreTheSameText() {
        assertEquals("café", Json.parse("\"caf\\u00e9\""));
        assertEquals("café", Json.parse("\"café\""));
        assertEquals("😀", Json.parse("\"\\ud83d\\ude00\""), "a surrogate pair makes one code point");
        assertEquals("😀", Json.parse("\"😀\""));
    }

    @Test
    void integersAreLongsAndTheRestDecimals() {
        assertEquals(0L, Json.parse("0"));
        assertEquals(-12L, Json.parse("-12"));
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals(new BigDecimal("9223372036854775808"), Json.parse("9223372036854775808"), "past a long: exact, not wrapped");
        assertEquals(new BigDecimal("2.345"), Json.parse("2.345"));
        assertEquals(new BigDecimal("1.5E+3"), Json.parse("1.5e3"));
        assertEquals(new BigDecimal("-1E-2"), Json.parse("-1E-2"));
    }

    @Test
    void objectsKeepTheirOrderAndNest() {
        Object value = Json.parse(" {\"z\": [1, {\"a\": null, \"b\": [true, false, []]}], \"a\": {}} ");
        Map<?, ?> map = (Map<?, ?>) value;
        assertEquals(List.of("z", "a"), List.copyOf(map.keySet()));
        Map<?, ?> inner = (Map<?, ?>) ((List<?>) map.get("z")).get(1);
        assertTrue(inner.containsKey("a"));
        assertNull(inner.get("a"));
        assertEquals(List.of(true, false, List.of()), inner.get("b"));
        assertEquals(Map.of(), map.get("a"));
    }

    @Test
    void whatItReadsCannotBeChanged() {
        Map<?, ?> map = (Map<?, ?>) Json.parse("{\"a\": [1]}");
        assertThrows(UnsupportedOperationException.class, () -> map.clear());
        assertThrows(UnsupportedOperationException.class, () -> ((List<?>) map.get("a")).clear());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a: 1}", "01", "-", "1.", "1e", ".5", "+1",
            "\"open", "\"bad \\x escape\"", "\"\\u12\"", "\"\\u12g4\"", "tru", "nul", "[1 2]", "{} {}", "1 x", "'a'",
            "\"tab\tinside\"", "[1] // comment", "NaN", "{\"a\": 1, \"a\": 2}", "١"})
    void malformedInputIsRefusedWithItsOffset(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(text), text);
        assertTrue(e.getMessage().startsWith("JSON at offset "), e.getMessage());
    }

    @Test
    void aMistakeSaysWhereAndWhat() {
        assertEquals("JSON at offset 9: expected the end of the document",
                assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1} x")).getMessage());
        assertEquals("JSON at offset 8: the key \"a\" comes twice",
                assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1, \"a\":2}")).getMessage());
    }

    @Test
    void nestingTooDeepIsRefusedNotAStackOverflow() {
        char[] open = new char[100_000];
        Arrays.fill(open, '[');
        assertThrows(IllegalArgumentException.class, () -> Json.parse(new String(open)));
    }

    @Test
    void writingEscapesWhatJsonMustAndReadsBackTheSame() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("text", "quote \" backslash \\ newline \n tab \t bell \u0007 é 😀");
        value.put("numbers", List.of(1, -2L, 2.5, 0.1, 1e20, new BigDecimal("3.00")));
        value.put("nothing", null);
        value.put("yes", true);
        String json = Json.write(value);
        assertEquals("{\"text\":\"quote \\\" backslash \\\\ newline \\n tab \\t bell \\u0007 é 😀\","
                + "\"numbers\":[1,-2,2.5,0.1,100000000000000000000,3.00],\"nothing\":null,\"yes\":true}", json);
        Map<?, ?> back = (Map<?, ?>) Json.parse(json);
        assertEquals(value.get("text"), back.get("text"));
    }

    @Test
    void writingNanIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(Double.NaN)));
    }
}
