package tapnet.cli.control;

import tapnet.topology.Action;
import tapnet.topology.HostSpec;
import tapnet.topology.Topology;
import tapnet.topology.yaml.RouteFaultsReader;
import tapnet.topology.yaml.TopologyException;
import tapnet.topology.yaml.TopologyLoader;

/**
 * The changes {@code tapnet ctl} asks for, read into the {@link Action}s a script's events are: a change
 * from ctl and one from a timeline take the same path to the engine ({@code EngineActions}). Names are
 * checked against the topology here, so a mistake is answered before the engine is asked.
 */
final class ControlActions {
    /** Errors in a spec name this as their source: {@code ctl:1:23: ...}. */
    static final String SOURCE = "ctl";

    private ControlActions() {
    }

    /**
     * The action {@code request} asks for, in {@code topology}'s names.
     *
     * @throws TopologyException        a link, partition or route faults spec with mistakes, each at its line and column
     * @throws IllegalArgumentException a name the topology does not have
     */
    static Action of(ControlRequest request, Topology topology) throws TopologyException {
        String argument = request.argument();
        return switch (request.command()) {
            case "link" -> new Action.Link(TopologyLoader.parseLink(SOURCE, argument, topology));
            case "down" -> new Action.LinkDown(linkedNode(argument, topology), true);
            case "up" -> new Action.LinkDown(linkedNode(argument, topology), false);
            case "partition" -> new Action.Partition(TopologyLoader.parsePartition(SOURCE, argument, topology));
            case "heal" -> new Action.Heal();
            case "stop", "start" -> new Action.Host(host(argument, topology), request.command().equals("start"));
            case "stopService", "startService" -> service(argument, topology, request.command().equals("startService"));
            case "routeFaults" -> RouteFaultsReader.parse(SOURCE, argument, topology);
            case "dnsFaults" -> new Action.DnsFaults(TopologyLoader.parseDnsFaults(SOURCE, argument, topology));
            default -> throw new IllegalStateException("a request tapnet knows but does not handle: " + request.command());
        };
    }

    /** A virtual host, which a script's {@code stop:} and {@code start:} name too. */
    private static String host(String name, Topology topology) {
        String host = name.strip();
        if (topology.host(host).isEmpty()) {
            throw new IllegalArgumentException("there is no host named '" + host + "'; expected one of: "
                    + String.join(", ", topology.hosts().stream().map(HostSpec::name).toList()));
        }
        return host;
    }

    /** {@code web:80}: a host and the port of one of its services, as a script's {@code stopService:} names it. */
    private static Action.Service service(String text, Topology topology, boolean running) {
        String service = text.strip();
        int colon = service.lastIndexOf(':');
        int port = colon <= 0 ? -1 : port(service.substring(colon + 1));
        if (port < 0) {
            throw new IllegalArgumentException("'" + service + "' is not a service; expected a host and the port of one"
                    + " of its services, like web:80");
        }
        HostSpec host = topology.host(host(service.substring(0, colon), topology)).orElseThrow();
        if (host.service(port).isEmpty()) {
            throw new IllegalArgumentException("host '" + host.name() + "' has no service on port " + port + "; expected "
                    + (host.services().stream().allMatch(s -> s.udp()) ? "a host with services (" + host.name() + " has none)"
                    : "one of: " + String.join(", ", host.services().stream().filter(s -> !s.udp()).map(s -> host.name() + ":" + s.port()).toList())));
        }
        return new Action.Service(host.name(), port, running);
    }

    /** A TCP port, 1 to 65535; -1 when the text is not one. */
    private static int port(String text) {
        if (!text.matches("[0-9]{1,5}")) {
            return -1;
        }
        int port = Integer.parseInt(text);
        return port >= 1 && port <= 65535 ? port : -1;
    }

    /** A node that has (or may have) a link: a host, a router or a port. */
    private static String linkedNode(String name, Topology topology) {
        String node = name.strip();
        if (!topology.linkedNodes().contains(node)) {
            throw new IllegalArgumentException("there is no host, router or port named '" + node + "'; expected one of: "
                    + String.join(", ", topology.linkedNodes()));
        }
        return node;
    }
}
