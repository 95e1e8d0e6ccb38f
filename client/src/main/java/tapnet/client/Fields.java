package tapnet.client;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of one JSON object of an answer. Lenient about keys a server leaves out (an older or newer
 * one): a missing string is "", a missing number 0, a missing list empty; strict about types, since a
 * key with the wrong type is a server that does not follow the contract.
 */
record Fields(Map<String, Object> map, String what) {

    static Fields of(Object json, String what) {
        if (!(json instanceof Map<?, ?> map)) {
            throw new TapnetException("expected " + what + " as a JSON object, got: " + Json.write(json), null);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) map;
        return new Fields(fields, what);
    }

    boolean has(String key) {
        return map.get(key) != null;
    }

    String string(String key) {
        Object value = map.get(key);
        return value == null ? "" : value instanceof String s ? s : Json.write(value);
    }

    long number(String key) {
        Object value = map.get(key);
        if (value == null) {
            return 0;
        }
        if (value instanceof Long l) {
            return l;
        }
        if (value instanceof BigDecimal d) {
            return d.longValue();
        }
        throw wrong(key, "a number");
    }

    double decimal(String key) {
        Object value = map.get(key);
        return value instanceof Number n ? n.doubleValue() : 0;
    }

    boolean bool(String key) {
        Object value = map.get(key);
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw wrong(key, "true or false");
    }

    Fields object(String key) {
        Object value = map.get(key);
        return value == null ? new Fields(Map.of(), what + "." + key) : of(value, what + "." + key);
    }

    List<Object> list(String key) {
        Object value = map.get(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return java.util.Collections.unmodifiableList(list); // null items kept: JSON's null
        }
        throw wrong(key, "a list");
    }

    private TapnetException wrong(String key, String expected) {
        return new TapnetException(what + ": '" + key + "' is " + Json.write(map.get(key)) + ", expected " + expected, null);
    }
}
