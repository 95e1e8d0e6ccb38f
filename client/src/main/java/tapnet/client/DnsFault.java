package tapnet.client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One fault of the run's DNS server, as an entry of a {@code dns:} section's {@code faults:}: {@code {"name": "db",
 * "nxdomain": {}, "first": 2}}. The name is as the file writes it ({@code db}, {@code "*.shop.test"}); null for
 * every name.
 * Immutable; {@link #first(int)} and {@link #probabilityPercent(double)} return a new fault.
 */
public final class DnsFault {
    private final String name;
    private final String kind;
    private final Object value;
    private final Selection selection;

    private DnsFault(String name, String kind, Object value, Selection selection) {
        this.name = name;
        this.kind = kind;
        this.value = Values.normalized(value);
        this.selection = selection;
    }

    /** Any kind the server knows, with its value as a file writes it ({@code Map.of()} for none). */
    public static DnsFault of(String kind, String name, Object value) {
        return new DnsFault(name, kind, value, Selection.ALL);
    }

    /** The name does not exist (rcode NXDOMAIN). */
    public static DnsFault nxdomain(String name) {
        return of("nxdomain", name, Map.of());
    }

    /** The server failed (rcode SERVFAIL): a resolver may ask again. */
    public static DnsFault servfail(String name) {
        return of("servfail", name, Map.of());
    }

    /** The server refuses (rcode REFUSED). */
    public static DnsFault refused(String name) {
        return of("refused", name, Map.of());
    }

    /** No answer at all: the client's resolver times out. */
    public static DnsFault timeout(String name) {
        return of("timeout", name, Map.of());
    }

    /** Over UDP, TC and no answers, for the resolver to ask again over TCP. */
    public static DnsFault truncate(String name) {
        return of("truncate", name, Map.of());
    }

    /** The answer leaves that much later. */
    public static DnsFault delay(String name, java.time.Duration delay) {
        return of("delay", name, Values.duration(delay));
    }

    /** A records answer with this IPv4 address instead. */
    public static DnsFault wrongAddress(String name, String address) {
        return of("wrongAddress", name, address);
    }

    /** Every answer record carries this TTL, in seconds. */
    public static DnsFault ttl(String name, long seconds) {
        return of("ttl", name, seconds);
    }

    /** Only the first {@code queries} queries for the name. */
    public DnsFault first(int queries) {
        return new DnsFault(name, kind, value, Selection.first(queries));
    }

    /** Each query with that chance, in percent. */
    public DnsFault probabilityPercent(double percent) {
        return new DnsFault(name, kind, value, Selection.probabilityPercent(percent));
    }

    /** A fault as the API gives it back: the one key that is not name, first, probability is its kind. */
    static DnsFault fromJson(Object json) {
        Map<String, Object> fault = Fields.of(json, "a fault").map();
        String kind = Selection.kindOf(fault, java.util.Set.of("name"));
        return new DnsFault((String) fault.get("name"), kind, fault.get(kind), Selection.of(fault));
    }

    /** As the API takes it: {"name": "db", "nxdomain": {}, "first": 2}. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        if (name != null) {
            json.put("name", name);
        }
        json.put(kind, value);
        selection.addTo(json);
        return json;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DnsFault f && f.toJson().equals(toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        return Json.write(toJson());
    }
}
