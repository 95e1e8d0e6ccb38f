package tapnet.report;

import java.util.List;
import java.util.Map;

/**
 * A JSON object as the YAML parser gave it, read by key and type; a missing key or a wrong type is a
 * {@link ReportFormatException} naming where it is ({@code probes[1].samples[3].ok}).
 */
record JsonObject(String where, Map<?, ?> map) {
    static JsonObject of(String where, Object value) throws ReportFormatException {
        if (value instanceof Map<?, ?> map) {
            return new JsonObject(where, map);
        }
        throw new ReportFormatException(where + ": expected an object");
    }

    String string(String key) throws ReportFormatException {
        Object value = required(key);
        if (value instanceof String s) {
            return s;
        }
        throw wrong(key, "a string");
    }

    /** A string that may be null. */
    String optionalString(String key) throws ReportFormatException {
        return map.get(key) == null ? null : string(key);
    }

    long integer(String key) throws ReportFormatException {
        return integer(key, required(key));
    }

    /** A whole number that may be missing (reports written before it was there): then {@code otherwise}. */
    long optionalInteger(String key, long otherwise) throws ReportFormatException {
        return map.get(key) == null ? otherwise : integer(key);
    }

    boolean bool(String key) throws ReportFormatException {
        if (required(key) instanceof Boolean b) {
            return b;
        }
        throw wrong(key, "true or false");
    }

    /** true or false, or {@code otherwise} when missing (reports written before it was there). */
    boolean optionalBool(String key, boolean otherwise) throws ReportFormatException {
        return map.get(key) == null ? otherwise : bool(key);
    }

    /** A number, or null for NaN (JSON has no NaN). */
    double number(String key) throws ReportFormatException {
        if (!map.containsKey(key)) {
            throw missing(key);
        }
        Object value = map.get(key);
        if (value == null) {
            return Double.NaN;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        throw wrong(key, "a number or null");
    }

    List<JsonObject> objects(String key) throws ReportFormatException {
        if (!(required(key) instanceof List<?> list)) {
            throw wrong(key, "a list");
        }
        List<JsonObject> objects = new java.util.ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            objects.add(of(path(key) + "[" + i + "]", list.get(i)));
        }
        return objects;
    }

    /** An object of integers, {@code {"drop.loss": 3}}, in its order. */
    Map<String, Long> counts(String key) throws ReportFormatException {
        JsonObject counts = of(path(key), required(key));
        Map<String, Long> result = new java.util.LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : counts.map.entrySet()) {
            result.put(entry.getKey().toString(), counts.integer(entry.getKey().toString(), entry.getValue()));
        }
        return result;
    }

    private long integer(String key, Object value) throws ReportFormatException {
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        throw wrong(key, "an integer");
    }

    private Object required(String key) throws ReportFormatException {
        Object value = map.get(key);
        if (value == null) {
            throw missing(key);
        }
        return value;
    }

    private ReportFormatException missing(String key) {
        return new ReportFormatException(path(key) + ": missing");
    }

    private ReportFormatException wrong(String key, String expected) {
        return new ReportFormatException(path(key) + ": expected " + expected);
    }

    private String path(String key) {
        return where.isEmpty() ? key : where + "." + key;
    }
}
