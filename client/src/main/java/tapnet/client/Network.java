package tapnet.client;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A tapnet run's network, driven through its control API (made by {@link Tapnet#connect()}): links,
 * partitions, hosts and services, faults, counters, events, captures, and {@link #reset()} back to the
 * topology file's state. Each call is one HTTP request, answered once the run has made the change; a
 * refusal is a {@link TapnetException} with the server's message. Safe to share between threads.
 */
public final class Network {
    private final Transport transport;

    Network(Transport transport) {
        this.transport = transport;
    }

    /** The network as the file made it, and what runs now. */
    public Topology topology() {
        return Topology.from(call("GET", "/v1/topology", null));
    }

    /** Every node's link that has, or may have, settings. */
    public List<Link> links() {
        Object json = call("GET", "/v1/links", null);
        if (!(json instanceof List<?> links)) {
            throw new TapnetException("GET /v1/links: expected a list of links, got: " + Json.write(json), null);
        }
        return links.stream().map(Link::from).toList();
    }

    /** The node's link: read it ({@code get()}) or change it ({@code .delay(...).apply()}). */
    public LinkChange link(String node) {
        return new LinkChange(this, node, Map.of());
    }

    /** The node's link carries nothing, either way, until {@link #up}; the link as it is now. */
    public Link down(String node) {
        return Link.from(call("POST", "/v1/nodes/" + segment(node) + "/down", null));
    }

    public Link up(String node) {
        return Link.from(call("POST", "/v1/nodes/" + segment(node) + "/up", null));
    }

    /**
     * Only nodes of one group reach each other: {@code partition(Set.of("tap", "web"), Set.of("db"))} cuts db
     * off. Replaces any partition there was; the groups as the run has them now.
     */
    @SafeVarargs
    public final List<Set<String>> partition(Set<String>... groups) {
        List<Set<String>> list = new java.util.ArrayList<>();
        for (Set<String> group : groups) { // not Arrays.asList: lint sees the generic array escape
            list.add(group);
        }
        return partition(list);
    }

    public List<Set<String>> partition(List<Set<String>> groups) {
        return groups(call("PUT", "/v1/partition", Map.of("groups", groups.stream().map(List::copyOf).toList())));
    }

    /** The partition's groups now; empty when there is none. */
    public List<Set<String>> partition() {
        return groups(call("GET", "/v1/partition", null));
    }

    /** Every node reaches every other again. */
    public void heal() {
        call("DELETE", "/v1/partition", null);
    }

    public HostControl host(String name) {
        return new HostControl(this, name);
    }

    /** The service on that port of the host: its faults, stop and start, its routes. */
    public ServiceControl service(String host, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("a port from 1 to 65535, not " + port);
        }
        return new ServiceControl(this, host, port);
    }

    public DnsControl dns() {
        return new DnsControl(this);
    }

    /** Every counter the engine and the run keep, zeros included. */
    public Counters counters() {
        Fields counters = Fields.of(call("GET", "/v1/counters", null), "counters").object("counters");
        Map<String, Long> values = new TreeMap<>();
        counters.map().keySet().forEach(name -> values.put(name, counters.number(name)));
        return new Counters(values);
    }

    /** The changes made to the network numbered after {@code since} (0: all the run keeps). */
    public Events events(long since) {
        Fields answer = Fields.of(call("GET", "/v1/events?since=" + since, null), "events");
        List<Event> events = answer.list("events").stream().map(e -> Fields.of(e, "an event"))
                .map(e -> new Event(e.number("seq"), e.decimal("time"), e.string("at"), e.string("source"), e.string("action")))
                .toList();
        return new Events(events, answer.number("next"), answer.number("dropped"));
    }

    /**
     * Back to the topology file's state: links, partition, service, route and DNS faults, hosts and services
     * running (connections are kept). Returns how many changes that took.
     */
    public long reset() {
        return Fields.of(call("POST", "/v1/reset", null), "reset").number("events");
    }

    /**
     * Starts writing the frames of the TAP's devices to {@code file} (pcapng), from now until the capture is
     * closed. The run writes the file, so the path is made absolute here, for the run's working directory
     * may not be this one.
     */
    public Capture capture(Path file) {
        return capture(file, List.of());
    }

    /** As {@link #capture(Path)}, of the frames crossing these nodes' links (none given: the TAP's devices). */
    public Capture capture(Path file, Collection<String> links) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("path", file.toAbsolutePath().toString());
        if (!links.isEmpty()) {
            body.put("links", List.copyOf(links));
        }
        Fields answer = Fields.of(call("POST", "/v1/captures", body), "a capture");
        return new Capture(this, answer.number("id"), Path.of(answer.string("path")));
    }

    Capture.Summary stopCapture(long id) {
        Fields answer = Fields.of(call("DELETE", "/v1/captures/" + id, null), "a capture");
        return new Capture.Summary(id, Path.of(answer.string("path")), answer.number("frames"), answer.number("bytes"));
    }

    /** Where this client connects: the socket's path, or the URL. */
    public String address() {
        return transport.describe();
    }

    @Override
    public String toString() {
        return "tapnet at " + address();
    }

    /** One call: its answer's JSON when the status is 2xx; otherwise a TapnetException with the server's words. */
    Object call(String method, String path, Object body) {
        String call = method + " " + path;
        HttpAnswer answer;
        try {
            answer = transport.exchange(method, path, body == null ? null : Json.write(body));
        } catch (IOException e) {
            throw new TapnetException(call + ": no answer from " + transport.describe() + ": " + e.getMessage(), e);
        }
        Object json = null;
        IllegalArgumentException unreadable = null;
        try {
            json = answer.body().isBlank() ? Map.of() : Json.parse(answer.body());
        } catch (IllegalArgumentException e) {
            unreadable = e;
        }
        if (answer.status() / 100 != 2) {
            throw refusal(call, answer, json);
        }
        if (unreadable != null) {
            throw new TapnetException(call + ": the answer is not JSON (" + unreadable.getMessage() + "): " + answer.body(), unreadable);
        }
        return json;
    }

    private static TapnetException refusal(String call, HttpAnswer answer, Object json) {
        if (!(json instanceof Map<?, ?>)) {
            String text = answer.body().strip();
            return new TapnetException(call, answer.status(), text.isEmpty() ? "(no message)" : text, List.of());
        }
        Fields error = Fields.of(json, "an error");
        List<TapnetException.Problem> problems = error.list("errors").stream().map(p -> Fields.of(p, "an error"))
                .map(p -> new TapnetException.Problem((int) p.number("line"), (int) p.number("column"), p.string("message")))
                .toList();
        String message = error.string("error");
        return new TapnetException(call, answer.status(), message.isEmpty() ? answer.body().strip() : message, problems);
    }

    private static List<Set<String>> groups(Object json) {
        return Fields.of(json, "a partition").list("groups").stream()
                .map(group -> {
                    if (!(group instanceof List<?> names)) {
                        throw new TapnetException("a partition's group is not a list: " + Json.write(group), null);
                    }
                    Set<String> set = new LinkedHashSet<>();
                    names.forEach(n -> set.add(String.valueOf(n)));
                    return java.util.Collections.unmodifiableSet(set);
                })
                .toList();
    }

    /** A name as one segment of a path: encoded, so "a/b" cannot reach another resource. */
    static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
