package tapnet.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One fault of a TCP service, as an entry of a service's {@code faults:} in a topology file: its kind and
 * value ({@code resetAfter: 1000B}), and which connections it hits: {@link #first(int) the first N}, each
 * {@link #probabilityPercent(double) with a chance}, or (neither) all. Immutable: {@code first} and
 * {@code probabilityPercent} return a new fault.
 *
 * <pre>net.service("api", 80).faults(Fault.refuse().first(2), Fault.resetAfterBytes(1000))</pre>
 */
public final class Fault {
    private static final Map<String, Object> NO_VALUE = Map.of();

    private final String kind;
    private final Object value;
    private final Selection selection;

    private Fault(String kind, Object value, Selection selection) {
        this.kind = kind;
        this.value = Values.normalized(value);
        this.selection = selection;
    }

    /** Any kind the server knows, with its value as a file writes it ({@code of("window", "4KiB")}; {@code Map.of()} for none). */
    public static Fault of(String kind, Object value) {
        return new Fault(kind, value, Selection.ALL);
    }

    /** No answer to the SYN: the client retransmits, then times out. */
    public static Fault synDrop() {
        return of("synDrop", NO_VALUE);
    }

    /** RST to the SYN: "connection refused". */
    public static Fault refuse() {
        return of("refuse", NO_VALUE);
    }

    /** ICMP port unreachable to the SYN. */
    public static Fault unreachable() {
        return of("unreachable", NO_VALUE);
    }

    /** The SYN-ACK is lost once: it comes with the server's retransmission, 1 s later. */
    public static Fault synAckDrop() {
        return synAckDrop(1);
    }

    /** The first {@code count} SYN-ACKs of a connection are lost (1 to 100). */
    public static Fault synAckDrop(int count) {
        return of("synAckDrop", count);
    }

    public static Fault synAckDelay(Duration delay) {
        return of("synAckDelay", Values.duration(delay));
    }

    /** The client's final ACK of the handshake is lost {@code count} times. */
    public static Fault ackDrop(int count) {
        return of("ackDrop", count);
    }

    /** Exactly {@code bytes} bytes of the request reach the service, then RST. */
    public static Fault resetAfterBytes(long bytes) {
        return of("resetAfter", Values.bytes(bytes));
    }

    /** RST that long after the handshake. */
    public static Fault resetAfter(Duration after) {
        return of("resetAfter", Values.duration(after));
    }

    /** Exactly {@code bytes} bytes of the service's reply arrive, then RST. */
    public static Fault resetAfterSentBytes(long bytes) {
        return of("resetAfterSent", Values.bytes(bytes));
    }

    /** The server stops reading: the window fills and closes. */
    public static Fault stall() {
        return of("stall", NO_VALUE);
    }

    /** The handshake completes, then the server has forgotten the connection. */
    public static Fault halfOpen() {
        return of("halfOpen", NO_VALUE);
    }

    public static Fault slowClose(Duration delay) {
        return of("slowClose", Values.duration(delay));
    }

    /** This fault hits only the first {@code connections} connections (or SYNs), then no more. */
    public Fault first(int connections) {
        return new Fault(kind, value, Selection.first(connections));
    }

    /** This fault hits each connection with that chance, in percent (10.0 is one in ten), drawn from the run's seed. */
    public Fault probabilityPercent(double percent) {
        return new Fault(kind, value, Selection.probabilityPercent(percent));
    }

    public String kind() {
        return kind;
    }

    /** A fault as the API gives it back: the one key that is not first, probability is its kind. */
    static Fault fromJson(Object json) {
        Map<String, Object> fault = Fields.of(json, "a fault").map();
        String kind = Selection.kindOf(fault, java.util.Set.of());
        return new Fault(kind, fault.get(kind), Selection.of(fault));
    }

    /** As the API takes it: {@code {"resetAfter": "1000B", "first": 2}}. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(kind, value);
        selection.addTo(json);
        return json;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Fault f && f.toJson().equals(toJson());
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
