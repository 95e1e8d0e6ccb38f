package tapnet.topology.yaml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import tapnet.tcp.ConnectionFaults;
import tapnet.topology.ServiceSpec;

/**
 * Reads a host's {@code services: [ { port: 80, http: {} }, { port: 7, echo: {}, faults: [...] } ]}: each
 * entry a port, one kind of service with its settings, and how its connections behave (nodelay, faults).
 * The UDP kinds ({@code udpEcho}, {@code udpDiscard}) number their ports apart and take neither setting.
 * One instance reads a file's services: a list that hosts share through an alias is read once.
 */
final class ServicesReader {
    /** The kinds of service, as keys of a service entry; {@code sink} is another name for discard. */
    static final List<String> KINDS = List.of("echo", "discard", "sink", "chargen", "banner", "http", "udpEcho", "udpDiscard");
    /** The kinds that serve a UDP port: their ports are apart from TCP's, and TCP's settings do not apply. */
    static final List<String> UDP_KINDS = List.of("udpEcho", "udpDiscard");
    static final Section.Keys SERVICE = new Section.Keys("a service",
            Section.concat(List.of("port"), KINDS, List.of("nodelay", "faults")));
    static final Section.Keys BANNER = new Section.Keys("a banner service", List.of("text", "close"));
    static final Section.Keys HTTP = new Section.Keys("an http service", List.of("status", "body", "contentType", "routes"));

    private final Problems problems;
    private final Scalars scalars;
    private final FaultsReader faults;
    private final HttpRoutesReader routes;
    /** Lists of services read so far, by node (null: it had mistakes); see {@link #read}. */
    private final Map<Node, List<ServiceSpec>> read = new IdentityHashMap<>();

    ServicesReader(Problems problems, Scalars scalars) {
        this.problems = problems;
        this.scalars = scalars;
        this.faults = new FaultsReader(problems, scalars);
        this.routes = new HttpRoutesReader(problems, scalars);
    }

    /**
     * A host's services; null when they have mistakes (reported). A list that hosts name through an alias
     * ({@code services: *web}) is one node, read once: its hosts share the services it gives, and its
     * mistakes are reported once, where it is written, not once per host.
     */
    List<ServiceSpec> read(Node value) {
        if (read.containsKey(value)) {
            return read.get(value);
        }
        int before = problems.count();
        List<ServiceSpec> services = List.copyOf(services(value));
        List<ServiceSpec> result = problems.count() == before ? services : null;
        read.put(value, result);
        return result;
    }

    private List<ServiceSpec> services(Node value) {
        if (Section.isNull(value)) {
            return List.of();
        }
        if (!(value instanceof SequenceNode list)) {
            problems.at(value, "'services' is " + Section.describe(value)
                    + "; expected a list of services, like [ { port: 80, http: {} }, { port: 7, echo: {} } ]");
            return List.of();
        }
        Map<Integer, Node> ports = new HashMap<>();
        List<ServiceSpec> services = new ArrayList<>();
        for (Node item : list.getValue()) {
            ServiceSpec service = service(item, ports);
            if (service != null) {
                services.add(service);
            }
        }
        return services;
    }

    private ServiceSpec service(Node item, Map<Integer, Node> ports) {
        int before = problems.count();
        Section entry = Section.read(item, item, "this service", SERVICE, problems);
        if (entry == null) {
            return null;
        }
        boolean strangeKeys = problems.count() != before;
        String portExpected = "a port number from " + ServiceSpec.MIN_PORT + " to " + ServiceSpec.MAX_PORT;
        Node portNode = entry.require("port", portExpected);
        List<String> kinds = entry.keys().stream().filter(KINDS::contains).toList();
        boolean udp = !kinds.isEmpty() && UDP_KINDS.contains(kinds.get(0));
        int port = 0;
        if (portNode != null) {
            port = (int) scalars.integer(portNode, "port", ServiceSpec.MIN_PORT, ServiceSpec.MAX_PORT, portExpected, 0);
            // TCP and UDP ports are apart (RFC 768 and 9293 each number their own): UDP's are keyed above 65535
            Node first = port == 0 ? null : ports.putIfAbsent(port + (udp ? 0x1_0000 : 0), portNode);
            if (first != null) {
                String transport = udp ? "UDP port " : "port ";
                problems.at(portNode, transport + port + " is already served by this host (line " + Problems.line(first)
                        + "); expected each " + transport.strip() + " once per host");
            }
        }
        if (kinds.isEmpty()) {
            if (!strangeKeys) { // a misspelt kind was reported already; saying "no kind" too would be noise
                problems.at(item, "this service has no kind; expected one of: " + String.join(", ", KINDS));
            }
            return null;
        }
        for (String extra : kinds.subList(1, kinds.size())) {
            problems.at(entry.keyNode(extra), "'" + extra + "' is a second kind for this service, which is already '"
                    + kinds.get(0) + "'; expected one kind per service (give each its own entry and port)");
        }
        String kind = kinds.get(0);
        Node settings = entry.get(kind);
        Node keyNode = entry.keyNode(kind);
        // the settings are read (and checked) whether or not the port was right; the service is made only if all was
        IntFunction<ServiceSpec> service = switch (kind) {
            case "echo" -> noSettings(settings, keyNode, "an echo service") ? ServiceSpec.Echo::new : null;
            case "discard", "sink" -> noSettings(settings, keyNode, "a " + kind + " service") ? ServiceSpec.Discard::new : null;
            case "chargen" -> noSettings(settings, keyNode, "a chargen service") ? ServiceSpec.Chargen::new : null;
            case "banner" -> banner(settings, keyNode);
            case "http" -> http(settings, keyNode);
            case "udpEcho" -> noSettings(settings, keyNode, "a udpEcho service") ? ServiceSpec.UdpEcho::new : null;
            case "udpDiscard" -> noSettings(settings, keyNode, "a udpDiscard service") ? ServiceSpec.UdpDiscard::new : null;
            default -> throw new AssertionError("a kind without a reader: " + kind);
        };
        for (String tcpOnly : List.of("nodelay", "faults")) {
            if (udp && entry.has(tcpOnly)) {
                problems.at(entry.keyNode(tcpOnly), "'" + tcpOnly + "' is a TCP setting, and '" + kind
                        + "' serves UDP; expected it on TCP services only");
            }
        }
        boolean noDelay = entry.has("nodelay") && scalars.bool(entry.get("nodelay"), "nodelay");
        List<ConnectionFaults.Rule> rules = entry.has("faults") ? faults.read(entry.get("faults")) : List.of();
        if (service == null || problems.count() != before) {
            return null;
        }
        ServiceSpec spec = service.apply(port);
        return noDelay || !rules.isEmpty() ? new ServiceSpec.Tuned(spec, noDelay, rules) : spec;
    }

    /** Echo, discard, chargen, udpEcho and udpDiscard take no settings: {@code echo: {}} or just {@code echo:}. */
    private boolean noSettings(Node settings, Node keyNode, String owner) {
        return Section.read(settings, keyNode, "this service", new Section.Keys(owner, List.of()), problems) != null;
    }

    private IntFunction<ServiceSpec> banner(Node settings, Node keyNode) {
        if (settings instanceof ScalarNode scalar && !Section.isNull(settings)) {
            return port -> new ServiceSpec.Banner(port, scalar.getValue(), false); // the short form: banner: "220 ready\r\n"
        }
        Section banner = Section.read(settings, keyNode, "this banner service", BANNER, problems);
        if (banner == null) {
            return null;
        }
        String expected = "the text to send, like \"220 ready\\r\\n\"";
        Node textNode = banner.require("text", expected);
        String text = textNode == null ? null : scalars.text(textNode, "text", expected);
        boolean close = banner.has("close") && scalars.bool(banner.get("close"), "close");
        return text == null ? null : port -> new ServiceSpec.Banner(port, text, close);
    }

    private IntFunction<ServiceSpec> http(Node settings, Node keyNode) {
        Section http = Section.read(settings, keyNode, "this http service", HTTP, problems);
        if (http == null) {
            return null;
        }
        if (http.has("routes")) {
            for (String single : List.of("status", "body", "contentType")) {
                if (http.has(single)) {
                    problems.at(http.keyNode(single), "'" + single + "' answers every request, but this http service"
                            + " has routes; expected it in each route instead");
                }
            }
            List<tapnet.topology.HttpRoute> list = routes.read(http.get("routes"));
            return list == null ? null : port -> new ServiceSpec.Http(port, list);
        }
        int status = http.has("status")
                ? (int) scalars.integer(http.get("status"), "status", ServiceSpec.Http.MIN_STATUS, ServiceSpec.Http.MAX_STATUS,
                        "an HTTP status from " + ServiceSpec.Http.MIN_STATUS + " to " + ServiceSpec.Http.MAX_STATUS + ", like 200 or 404",
                        ServiceSpec.Http.DEFAULT_STATUS)
                : ServiceSpec.Http.DEFAULT_STATUS;
        String body = http.has("body")
                ? scalars.text(http.get("body"), "body", "the response's text, like \"hello\\n\" (write \"\" for an empty body)")
                : ServiceSpec.Http.DEFAULT_BODY;
        String contentType = ServiceSpec.Http.DEFAULT_CONTENT_TYPE;
        if (http.has("contentType")) {
            Node node = http.get("contentType");
            contentType = scalars.text(node, "contentType", "a media type like text/plain or application/json");
            String problem = contentType == null ? null : ServiceSpec.Http.contentTypeProblem(contentType);
            if (problem != null) {
                problems.at(node, problem);
                contentType = null;
            }
        }
        String type = contentType;
        return body == null || type == null ? null : port -> new ServiceSpec.Http(port, status, body, type);
    }
}
