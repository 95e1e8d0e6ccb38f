package tapnet.cli.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tapnet.tcp.ConnectionFaults;
import tapnet.topology.Action;
import tapnet.topology.HostSpec;
import tapnet.topology.HttpRoute;
import tapnet.topology.ServiceSpec;
import tapnet.topology.Topology;
import tapnet.topology.yaml.ActionText;
import tapnet.topology.yaml.ApiBodies;
import tapnet.topology.yaml.FaultYaml;
import tapnet.topology.yaml.RouteFaultsReader;
import tapnet.topology.yaml.TopologyException;

/**
 * {@code /v1/hosts/...}: hosts and their services stopped and started, services' and HTTP routes' faults
 * read and replaced. Faults answer as {@code {"faults": [...]}}, each as a file writes it.
 */
final class HostResources {
    private final Topology topology;
    private final EngineDoor engine;

    HostResources(Topology topology, EngineDoor engine) {
        this.topology = topology;
        this.engine = engine;
    }

    /** POST /v1/hosts/{host}/stop or start. */
    ApiReply host(String name, boolean running, String source) {
        String host = host(name).name();
        boolean elsewhere = engine.apply(List.of(new Action.Host(host, running)), source, e -> OtherParts.play(e, host));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("host", host);
        json.put("running", running);
        return answer(json, elsewhere, host, (running ? "started: " : "stopped: ") + host);
    }

    /** POST /v1/hosts/{host}/services/{port}/stop or start: the TCP and UDP services on that port. */
    ApiReply service(String name, String portText, boolean running, String source) {
        HostSpec host = host(name);
        int port = service(host, portText).port();
        boolean elsewhere = engine.apply(List.of(new Action.Service(host.name(), port, running)), source,
                e -> OtherParts.play(e, host.name()));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("host", host.name());
        json.put("port", port);
        json.put("running", running);
        return answer(json, elsewhere, host.name(), (running ? "started: " : "stopped: ") + host.name() + ":" + port);
    }

    /** The answer to a change: what was done, or, when another part plays the host, that it is that part's. */
    private static ApiReply answer(Map<String, Object> json, boolean elsewhere, String host, String done) {
        if (elsewhere) {
            json.put("playedHere", false);
        }
        return ApiReply.ok(json, List.of(elsewhere ? OtherParts.text(host) : done));
    }

    /** GET, PUT (body {"faults": [...]}) or DELETE (none) a service's faults. */
    ApiReply faults(String method, String name, String portText, String body, String source) {
        HostSpec host = host(name);
        ServiceSpec service = service(host, portText);
        int port = service.port();
        if (service.udp()) {
            throw new ApiException(409, host.name() + ":" + port + " is a UDP service (" + service.kind() + "); faults act on"
                    + " TCP services' connections");
        }
        if (!method.equals("GET")) {
            List<ConnectionFaults.Rule> rules;
            try {
                rules = method.equals("DELETE") ? List.of() : ApiBodies.faults(source, body);
            } catch (TopologyException mistakes) {
                throw ApiException.body(mistakes);
            }
            engine.apply(List.of(new Action.Faults(host.name(), port, rules)), source, e -> null);
        }
        return faultsAnswer(FaultYaml.list(engine.changes().state().faults(host.name(), port)));
    }

    /** GET, PUT or DELETE the faults of route {@code n} (from 1, file order) of an http service. */
    ApiReply routeFaults(String method, String name, String portText, String routeText, String body, String source) {
        HostSpec host = host(name);
        ServiceSpec service = service(host, portText);
        List<HttpRoute> routes = engine.changes().state().fileRoutes(host.name(), service.port());
        if (routes.isEmpty()) {
            throw new ApiException(409, host.name() + ":" + service.port() + " is " + (RunState.untuned(service)
                    instanceof ServiceSpec.Http ? "an http service without routes" : "not an http service ("
                    + service.kind() + ")") + "; route faults need an http service with routes");
        }
        int route = routeText.matches("[0-9]{1,4}") ? Integer.parseInt(routeText) : 0;
        if (route < 1 || route > routes.size()) {
            throw ApiException.notFound("'" + routeText + "' is not a route of " + host.name() + ":" + service.port()
                    + "; expected a number from 1 to " + routes.size() + ": " + numbered(routes));
        }
        if (!method.equals("GET")) {
            List<HttpRoute.Fault> faults;
            try {
                faults = method.equals("DELETE") ? List.of() : ApiBodies.routeFaults(source, body);
            } catch (TopologyException mistakes) {
                throw ApiException.body(mistakes);
            }
            engine.apply(List.of(new Action.RouteFaults(host.name(), service.port(), route, faults)), source, e -> null);
        }
        return faultsAnswer(FaultYaml.routeList(engine.changes().state().routeFaults(host.name(), service.port(), route)));
    }

    /** POST /v1/routes/faults: a change as a script's {@code routeFaults:} writes it (ctl's routeFaults SPEC). */
    ApiReply routeFaultsChange(String body, String source) {
        Action.RouteFaults change;
        try {
            change = RouteFaultsReader.parse(source, body, topology);
        } catch (TopologyException mistakes) {
            throw ApiException.body(mistakes);
        }
        engine.apply(List.of(change), source, e -> null);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("faults", ApiBodies.tree(FaultYaml.routeList(change.faults())));
        return ApiReply.ok(json, List.of(ActionText.of(change)));
    }

    private static ApiReply faultsAnswer(String flowYaml) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("faults", ApiBodies.tree(flowYaml));
        return ApiReply.ok(json);
    }

    /** The host called {@code name}; else 404 listing the hosts. */
    HostSpec host(String name) {
        return topology.host(name).orElseThrow(() -> ApiException.notFound("there is no host named '" + name
                + "'; expected one of: " + RunState.hostNames(topology)));
    }

    /** A service on port {@code portText} of {@code host} (TCP, else UDP); else 404 listing its services. */
    private static ServiceSpec service(HostSpec host, String portText) {
        int port = portText.matches("[0-9]{1,5}") ? Integer.parseInt(portText) : -1;
        String problem = host.servicePortProblem(port);
        if (problem != null) {
            throw ApiException.notFound(problem);
        }
        return host.services().stream().filter(s -> s.port() == port).min((a, b) -> Boolean.compare(a.udp(), b.udp()))
                .orElseThrow();
    }

    private static String numbered(List<HttpRoute> routes) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < routes.size(); i++) {
            out.append(i == 0 ? "" : ", ").append(i + 1).append(' ').append(RouteFaultsReader.describe(routes.get(i)));
        }
        return out.toString();
    }
}
