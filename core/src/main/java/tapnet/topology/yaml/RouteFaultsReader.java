package tapnet.topology.yaml;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.nodes.Node;
import tapnet.topology.Action;
import tapnet.topology.HostSpec;
import tapnet.topology.HttpRoute;
import tapnet.topology.ServiceSpec;
import tapnet.topology.Topology;

/**
 * Reads a live change of one HTTP route's faults, {@code { service: web:80, route: 2, faults: [ { status: 503,
 * probability: 50% } ] }}: a script's {@code routeFaults:} event and {@code tapnet ctl routeFaults SPEC}. The
 * route is named by its number, from 1 in the order of the service's {@code routes:} (the number its counters
 * carry, {@code http.web.80.route.2.requests}); the faults read as a route's own, and an empty list clears them.
 */
public final class RouteFaultsReader {
    static final Section.Keys CHANGE = new Section.Keys("a route faults change", List.of("service", "route", "faults"));
    private static final String EXAMPLE = "{ service: web:80, route: 2, faults: [ { status: 503, probability: 50% } ] }";

    private final Problems problems;
    private final Scalars scalars;
    private final KnownNodes nodes;

    RouteFaultsReader(Problems problems, Scalars scalars, KnownNodes nodes) {
        this.problems = problems;
        this.scalars = scalars;
        this.nodes = nodes;
    }

    /**
     * Reads {@code yaml} against {@code topology}'s hosts: how {@code tapnet ctl routeFaults} changes a running
     * route. Errors name {@code source} and give line and column as a file's errors do.
     */
    public static Action.RouteFaults parse(String source, String yaml, Topology topology) throws TopologyException {
        Problems problems = new Problems(source);
        Node root = TopologyLoader.compose(yaml, problems, "no change given; expected a mapping like " + EXAMPLE,
                "route faults change");
        Action.RouteFaults change = root == null ? null
                : new RouteFaultsReader(problems, new Scalars(problems), KnownNodes.of(topology)).read(root, root);
        if (change == null || problems.any()) {
            if (!problems.any()) {
                problems.at(1, 1, "the route faults change could not be read");
            }
            throw new TopologyException(problems.inFileOrder());
        }
        return change;
    }

    /** The change {@code value} asks for; null when reported. */
    Action.RouteFaults read(Node value, Node keyNode) {
        int before = problems.count();
        Section change = Section.read(value, keyNode, "this route faults change", CHANGE, problems);
        if (change == null) {
            return null;
        }
        Node serviceNode = change.require("service", "the http service whose route changes, like service: web:80");
        Node routeNode = change.require("route", "the route's number, from 1 in the order of its routes, like route: 2");
        Node faultsNode = change.require("faults", "the route's faults from now on, like faults: [ { status: 503 } ]"
                + " (faults: [] clears them)");
        List<HttpRoute.Fault> faults = faultsNode == null ? null
                : new HttpRoutesReader(problems, scalars).faults(faultsNode);
        if (serviceNode == null || routeNode == null || problems.count() != before) {
            return null;
        }
        String text = scalars.text(serviceNode, "service", "a host and the port of its http service, like web:80");
        int colon = text == null ? -1 : text.lastIndexOf(':');
        if (text != null && (colon <= 0 || !Scalars.isTcpPort(text.substring(colon + 1).strip()))) {
            problems.at(serviceNode, "'" + text + "' is not a service; expected a host and the port of its http service,"
                    + " like web:80");
        }
        if (problems.count() != before) {
            return null;
        }
        String hostName = text.substring(0, colon).strip();
        int port = Integer.parseInt(text.substring(colon + 1).strip());
        List<HttpRoute> routes = routes(serviceNode, hostName, port);
        if (routes == null) {
            return null;
        }
        int route = (int) scalars.integer(routeNode, "route", 1, routes.size(), "the number of one of the " + routes.size()
                + " routes of " + text + ", from 1 in their order: " + numbered(routes), 1);
        return problems.count() != before ? null : new Action.RouteFaults(hostName, port, route, faults);
    }

    /** The routes of the http service on {@code host:port}; null when reported. */
    private List<HttpRoute> routes(Node node, String hostName, int port) {
        Optional<HostSpec> host = nodes.hosts().stream().filter(h -> h.name().equals(hostName)).findFirst();
        if (host.isEmpty()) {
            if (!nodes.unread(hostName)) { // a host with mistakes of its own was reported where it is defined
                problems.at(node, "there is no host named '" + hostName + "'; expected one of: " + String.join(", ",
                        KnownNodes.listed(nodes.withUnread(nodes.hosts().stream().map(HostSpec::name).toList(), "host"))));
            }
            return null;
        }
        ServiceSpec service = host.get().service(port).map(s -> s instanceof ServiceSpec.Tuned t ? t.service() : s).orElse(null);
        if (service instanceof ServiceSpec.Http http && !http.routes().isEmpty()) {
            return http.routes();
        }
        List<String> routed = nodes.hosts().stream().flatMap(h -> h.services().stream()
                .map(s -> s instanceof ServiceSpec.Tuned t ? t.service() : s)
                .filter(s -> s instanceof ServiceSpec.Http http && !http.routes().isEmpty())
                .map(s -> h.name() + ":" + s.port())).toList();
        problems.at(node, hostName + ":" + port + (service == null ? " is no service" : service instanceof ServiceSpec.Http
                ? " is an http service without routes" : " is not an http service (" + service.kind() + ")")
                + "; expected an http service with routes: " + (routed.isEmpty() ? "this topology has none"
                : "one of: " + String.join(", ", KnownNodes.listed(routed))));
        return null;
    }

    /** {@code 1 GET /health, 2 /api/*}: routes as a message lists them. */
    private static String numbered(List<HttpRoute> routes) {
        return java.util.stream.IntStream.range(0, routes.size()).mapToObj(i -> (i + 1) + " " + describe(routes.get(i)))
                .collect(Collectors.joining(", "));
    }

    /** A route's method and path, as reports name it: {@code GET /health}, {@code /api/*} for any method. */
    public static String describe(HttpRoute route) {
        return route.method() == null ? route.path() : route.method() + " " + route.path();
    }
}
