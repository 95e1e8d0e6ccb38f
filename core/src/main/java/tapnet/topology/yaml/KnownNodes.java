package tapnet.topology.yaml;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;
import tapnet.topology.HostSpec;
import tapnet.topology.PortSpec;
import tapnet.topology.RouterSpec;
import tapnet.topology.Topology;

/**
 * The nodes of a file as far as they have been read (routers, then hosts, then ports), for the sections
 * after them and the script to check names against. It also remembers the nodes the file defines whose
 * definitions had mistakes, already reported there, so that a link or an event naming one is not told again
 * that there is no such node.
 */
final class KnownNodes {
    /** Node names an error message lists at most. */
    private static final int NAMES_LISTED = 30;

    private List<RouterSpec> routers = List.of();
    private List<HostSpec> hosts = List.of();
    private List<PortSpec> ports = List.of();
    /** Names of defined nodes that did not read, with their kind: "host", "router" or "port". */
    private final Map<String, String> unread = new LinkedHashMap<>();
    /** True when a whole hosts, routers or ports section was not a mapping (reported): names cannot be checked. */
    private boolean namesUnknown;
    /** Where each host and router that was read is defined, to point a port that takes its name or address there. */
    private final Map<Object, Node> definedAt = new HashMap<>();
    /** Hosts by name, for links to find their ends: made once for the hosts, since a file may give a link per host. */
    private Map<String, HostSpec> hostsByName;

    /** The nodes of a topology read before: for {@code tapnet ctl}, which changes a running one. */
    static KnownNodes of(Topology topology) {
        KnownNodes nodes = new KnownNodes();
        nodes.routersRead(topology.routers());
        nodes.hostsRead(topology.hosts());
        nodes.portsRead(topology.ports());
        return nodes;
    }

    void routersRead(List<RouterSpec> read) {
        routers = read;
    }

    void hostsRead(List<HostSpec> read) {
        hosts = read;
        hostsByName = null;
    }

    void portsRead(List<PortSpec> read) {
        ports = read;
    }

    /** A host's or router's definition, for a port that takes its name or address to point at. */
    void definedAt(Object node, Node nameNode) {
        definedAt.put(node, nameNode);
    }

    Node definitionOf(Object node) {
        return definedAt.get(node);
    }

    /** A node the file defines whose definition had mistakes (reported); {@code kind} is host, router or port. */
    void markUnread(String name, String kind) {
        unread.putIfAbsent(name, kind);
    }

    /** A whole section of nodes could not be read (reported): from now on no name is known to be wrong. */
    void markNamesUnknown() {
        namesUnknown = true;
    }

    /**
     * True when {@code name} is a host, router or port the file defines but whose definition had mistakes
     * (reported), or when a whole section of nodes could not be read: a reference to it is no new mistake.
     */
    boolean unread(String name) {
        return namesUnknown || unread.containsKey(name);
    }

    /**
     * {@code names} and after them the defined but unread nodes of the kinds {@code what} names ("host",
     * "router", "port", as in "host, router or port"): every name a message may suggest.
     */
    List<String> withUnread(Collection<String> names, String what) {
        List<String> all = new ArrayList<>(names);
        unread.forEach((name, kind) -> {
            if (what.contains(kind) && !all.contains(name)) {
                all.add(name);
            }
        });
        return all;
    }

    /** Names for a message: every one, or the first {@value #NAMES_LISTED} and how many more. */
    static List<String> listed(List<String> names) {
        if (names.size() <= NAMES_LISTED) {
            return names;
        }
        List<String> listed = new ArrayList<>(names.subList(0, NAMES_LISTED));
        listed.add("and " + (names.size() - NAMES_LISTED) + " more");
        return listed;
    }

    List<RouterSpec> routers() {
        return routers;
    }

    /** The hosts read, in the file's order. */
    List<HostSpec> hosts() {
        return hosts;
    }

    /** The ports read, in the file's order. */
    List<PortSpec> ports() {
        return ports;
    }

    /** The nodes with a link to a parent, as {@link Topology#linkedNodes()}: routers, hosts, ports. */
    List<String> linkedNodes() {
        List<String> names = new ArrayList<>();
        routers.forEach(r -> names.add(r.name()));
        hosts.forEach(h -> names.add(h.name()));
        ports.forEach(p -> names.add(p.name()));
        return names;
    }

    /** Every node's name for a message, tap first: all, or the first {@value #NAMES_LISTED} and how many more. */
    List<String> nodeNames() {
        List<String> names = new ArrayList<>();
        names.add(HostSpec.RESERVED_NAME);
        names.addAll(linkedNodes());
        return listed(withUnread(names, "host, router or port"));
    }

    boolean isNode(String name) {
        return hostNamed(name) != null || routers.stream().anyMatch(r -> r.name().equals(name)) || isPort(name);
    }

    boolean isPort(String name) {
        return ports.stream().anyMatch(p -> p.name().equals(name));
    }

    /** The host called {@code name}, or null: from a map, since a walk of 100,000 hosts per link would take minutes. */
    HostSpec hostNamed(String name) {
        if (hostsByName == null) {
            hostsByName = new HashMap<>();
            for (HostSpec host : hosts) {
                hostsByName.putIfAbsent(host.name(), host);
            }
        }
        return hostsByName.get(name);
    }

    /** The address of the host, router or port called {@code name}, or null when there is none. */
    Integer addressOf(String name) {
        HostSpec host = hostNamed(name);
        return host != null ? Integer.valueOf(host.address())
                : routers.stream().filter(r -> r.name().equals(name)).map(RouterSpec::address).findFirst()
                        .orElse(ports.stream().filter(p -> p.name().equals(name)).map(PortSpec::address).findFirst().orElse(null));
    }

    /** The parent of a node at {@code address}: the router whose subnet holds it, else tap. */
    String parentAt(int address) {
        return routers.stream().filter(r -> r.contains(address)).map(RouterSpec::name).findFirst()
                .orElse(HostSpec.RESERVED_NAME);
    }
}
