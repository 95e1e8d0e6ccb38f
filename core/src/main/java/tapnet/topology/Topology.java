package tapnet.topology;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tapnet.tcp.TcpConfig;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

/**
 * One network to emulate: virtual hosts behind a TAP, and how TCP behaves on them. Immutable; made by
 * {@code tapnet.topology.yaml.TopologyLoader} from a file, or directly in code. The constructor checks what the loader checks
 * (without file positions): unique names, addresses and MACs, every address a host address of the TAP's
 * subnet other than the kernel's; a port also needs a valid namespace name, and a device there no other port has.
 *
 * @param seed   seeds every random choice the engine makes, so the same seed replays the same run
 * @param script the scripted run's timeline, probes and expectations; null when the file has none
 * @param dns    the emulated DNS server; null when the file has none ({@code dns:} absent: no DNS server)
 * @param parts  the parts the topology is split into, to run over several processes joined by VXLAN; empty:
 *               it runs whole. With parts, every host, router and port is in exactly one.
 */
public record Topology(String name, long seed, TapSpec tap, TcpConfig tcp, List<HostSpec> hosts, List<LinkSpec> links,
                       List<RouterSpec> routers, List<PortSpec> ports, tapnet.topology.Script script, DnsSpec dns,
                       List<PartSpec> parts) {

    /** A topology run whole. */
    public Topology(String name, long seed, TapSpec tap, TcpConfig tcp, List<HostSpec> hosts, List<LinkSpec> links,
                    List<RouterSpec> routers, List<PortSpec> ports, tapnet.topology.Script script, DnsSpec dns) {
        this(name, seed, tap, tcp, hosts, links, routers, ports, script, dns, List.of());
    }

    /** A topology without a DNS server. */
    public Topology(String name, long seed, TapSpec tap, TcpConfig tcp, List<HostSpec> hosts, List<LinkSpec> links,
                    List<RouterSpec> routers, List<PortSpec> ports, tapnet.topology.Script script) {
        this(name, seed, tap, tcp, hosts, links, routers, ports, script, null);
    }

    /** A topology without a script. */
    public Topology(String name, long seed, TapSpec tap, TcpConfig tcp, List<HostSpec> hosts, List<LinkSpec> links,
                    List<RouterSpec> routers, List<PortSpec> ports) {
        this(name, seed, tap, tcp, hosts, links, routers, ports, null);
    }
    /** iproute2 names a namespace after a file in /run/netns: no '/', and not the directory's own entries. */
    private static final int MAX_NETNS_LENGTH = 255;
    private static final Pattern NETNS = Pattern.compile("[A-Za-z0-9_.-]{1," + MAX_NETNS_LENGTH + "}");

    /** A topology without real ports. */
    public Topology(String name, long seed, TapSpec tap, TcpConfig tcp, List<HostSpec> hosts, List<LinkSpec> links,
                    List<RouterSpec> routers) {
        this(name, seed, tap, tcp, hosts, links, routers, List.of(), null);
    }

    /** A topology whose hosts all sit on the TAP's segment with perfect links. */
    public Topology(String name, long seed, TapSpec tap, TcpConfig tcp, List<HostSpec> hosts) {
        this(name, seed, tap, tcp, hosts, List.of(), List.of());
    }

    /** A topology without routers. */
    public Topology(String name, long seed, TapSpec tap, TcpConfig tcp, List<HostSpec> hosts, List<LinkSpec> links) {
        this(name, seed, tap, tcp, hosts, links, List.of());
    }

    public Topology {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tap, "tap");
        Objects.requireNonNull(tcp, "tcp");
        hosts = List.copyOf(hosts);
        links = List.copyOf(links);
        routers = List.copyOf(routers);
        ports = List.copyOf(ports);
        parts = List.copyOf(parts);
        String routerProblem = routerProblem(tap, routers);
        if (routerProblem != null) {
            throw new IllegalArgumentException("invalid topology " + name + ": " + routerProblem);
        }
        Map<String, HostSpec> names = new HashMap<>();
        Map<Integer, HostSpec> addresses = new HashMap<>();
        Map<Long, HostSpec> macs = new HashMap<>();
        Set<Address6> addresses6 = new HashSet<>();
        for (HostSpec host : hosts) {
            String problem = addressProblem(tap, routers, host.address());
            if (problem == null && names.putIfAbsent(host.name(), host) != null) {
                problem = "two hosts are named " + host.name();
            }
            if (problem == null && addresses.putIfAbsent(host.address(), host) != null) {
                problem = "two hosts have the address " + Ipv4Address.format(host.address());
            }
            if (problem == null && macs.putIfAbsent(host.mac(), host) != null) {
                problem = "two hosts have the MAC " + MacAddress.format(host.mac());
            }
            Prefix6 prefix6 = host.address6() == null ? null : prefix6For(tap, routers, host.address());
            for (Address6 address6 : host.addresses6()) {
                if (problem == null) {
                    problem = prefix6 == null ? "host " + host.name() + " has an IPv6 address but its segment has no IPv6 prefix"
                            : !prefix6.contains(address6) || prefix6.address().equals(address6)
                            ? "host " + host.name() + "'s " + address6 + " is not a host address of " + prefix6.subnet()
                            : !addresses6.add(address6) ? "two hosts have the address " + address6 : null;
                }
            }
            if (problem != null) {
                throw new IllegalArgumentException("invalid topology " + name + ": " + problem);
            }
        }
        String portProblem = portProblem(tap, hosts, routers, ports);
        if (portProblem != null) {
            throw new IllegalArgumentException("invalid topology " + name + ": " + portProblem);
        }
        String problem = linkProblem(hosts, routers, ports, links);
        if (problem == null && dns != null) {
            problem = dnsProblem(tap, hosts, routers, ports, dns.address());
        }
        if (problem == null) {
            problem = PartSpec.vxlanProblem(parts, vxlanSegments(tap, routers));
        }
        if (problem == null && !parts.isEmpty()) {
            problem = PartSpec.splitProblem(parts, new HashSet<>(linkedNodes(hosts, routers, ports)));
        }
        if (problem == null && !parts.isEmpty()) {
            Set<Integer> taken = new HashSet<>(addresses.keySet());
            routers.forEach(r -> taken.add(r.address()));
            ports.forEach(p -> taken.add(p.address()));
            routers.stream().filter(RouterSpec::hasIpv6).forEach(r -> addresses6.add(r.address6()));
            ports.stream().filter(p -> p.address6() != null).forEach(p -> addresses6.add(p.address6()));
            problem = PartSpec.tapProblem(parts, tap, taken, addresses6);
        }
        if (problem != null) {
            throw new IllegalArgumentException("invalid topology " + name + ": " + problem);
        }
    }

    /** The segments extended over VXLAN: the TAP's, then routers' subnets, in the file's order. */
    public List<VxlanSpec> vxlanSegments() {
        return vxlanSegments(tap, routers);
    }

    private static List<VxlanSpec> vxlanSegments(TapSpec tap, List<RouterSpec> routers) {
        List<VxlanSpec> segments = new java.util.ArrayList<>();
        if (tap.vxlan() != null) {
            segments.add(tap.vxlan());
        }
        routers.stream().map(RouterSpec::vxlan).filter(Objects::nonNull).forEach(segments::add);
        return segments;
    }

    /**
     * The hosts, routers and ports the part called {@code part} plays, in the file's order: what
     * {@code tapnet run --part NAME} runs. Empty when the topology has no such part.
     */
    public Optional<List<String>> nodesOfPart(String part) {
        return parts.stream().filter(p -> p.name().equals(part)).map(PartSpec::nodes).findFirst();
    }

    /**
     * Ports sit on the TAP's subnet with names and addresses no host, router or other port has, and no two
     * are the same device in the same namespace.
     */
    private static String portProblem(TapSpec tap, List<HostSpec> hosts, List<RouterSpec> routers, List<PortSpec> ports) {
        Map<String, String> names = new HashMap<>();
        Map<Integer, String> addresses = new HashMap<>();
        for (RouterSpec r : routers) {
            names.putIfAbsent(r.name(), "router " + r.name());
            addresses.putIfAbsent(r.address(), "router " + r.name());
        }
        for (HostSpec h : hosts) {
            names.putIfAbsent(h.name(), "host " + h.name());
            addresses.putIfAbsent(h.address(), "host " + h.name());
        }
        Map<String, String> devices = new HashMap<>();
        for (PortSpec port : ports) {
            String self = "port " + port.name();
            String problem = portNameProblem(port.name());
            if (problem == null) {
                problem = netnsProblem(port.netns());
            }
            if (problem == null) {
                problem = addressProblem(tap, port.address());
            }
            if (problem != null) {
                return self + ": " + problem;
            }
            String other = names.putIfAbsent(port.name(), self);
            if (other != null) {
                return other.equals(self) ? "two ports are named " + port.name() : self + " has the name of " + other;
            }
            other = addresses.putIfAbsent(port.address(), self);
            if (other != null) {
                return self + " has the address " + Ipv4Address.format(port.address()) + " of " + other;
            }
            other = devices.putIfAbsent(port.netns() + "/" + port.device(), self);
            if (other != null) {
                return other + " and " + self + " are both " + port.device() + " in netns " + port.netns();
            }
        }
        return null;
    }

    /** Port names follow host names' rules, since links name both: plain, and not tap. */
    public static String portNameProblem(String name) {
        String problem = HostSpec.nameProblem(name);
        return problem == null ? null : problem.replace("host name", "port name").replace("like web or db-1", "like left");
    }

    /**
     * Null when {@code name} can name a network namespace, as iproute2 allows, or will once {@value PortSpec#RUN}
     * in it is filled in (the run's name counted as one character here; {@link #inRun} checks the whole):
     * else what is wrong with it.
     */
    public static String netnsProblem(String name) {
        String filled = name == null ? null : name.replace(PortSpec.RUN, "r");
        if (filled == null || !NETNS.matcher(filled).matches() || name.equals(".") || name.equals("..")) {
            return "'" + name + "' is not a network namespace name; expected 1 to " + MAX_NETNS_LENGTH
                    + " letters, digits, '-', '_' or '.' (" + PortSpec.RUN + " standing for the run's name), like "
                    + PortSpec.RUN + "-left";
        }
        return null;
    }

    /**
     * This topology as the run called {@code run} (its {@code --netns} name, else its TAP device's) makes it:
     * each port's {@value PortSpec#RUN} replaced by {@code run}, so {@code {run}-left} becomes {@code shop-left}.
     *
     * @throws IllegalArgumentException when a port's namespace name becomes too long, or two ports the same
     *                                  device in one namespace; the message says which
     */
    public Topology inRun(String run) {
        if (ports.stream().noneMatch(PortSpec::followsRun)) {
            return this;
        }
        List<PortSpec> filled = new java.util.ArrayList<>();
        for (PortSpec port : ports) {
            PortSpec p = port.inRun(run);
            String problem = netnsProblem(p.netns());
            if (problem != null) {
                throw new IllegalArgumentException("port " + port.name() + "'s network namespace " + port.netns()
                        + ", in a run called " + run + ": " + problem);
            }
            filled.add(p);
        }
        try {
            return new Topology(name, seed, tap, tcp, hosts, links, routers, filled, script, dns, parts);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("in a run called " + run + ", " + e.getMessage(), e);
        }
    }

    /** Null when the DNS server may answer on {@code address}: a host address of the TAP's subnet no node has. */
    public static String dnsProblem(TapSpec tap, List<HostSpec> hosts, List<RouterSpec> routers, List<PortSpec> ports,
                                    int address) {
        String problem = addressProblem(tap, address);
        if (problem != null) {
            return "DNS server: " + problem;
        }
        String text = Ipv4Address.format(address);
        for (HostSpec h : hosts) {
            if (h.address() == address) {
                return "the DNS server's address " + text + " is host " + h.name() + "'s";
            }
        }
        for (RouterSpec r : routers) {
            if (r.address() == address) {
                return "the DNS server's address " + text + " is router " + r.name() + "'s";
            }
        }
        for (PortSpec p : ports) {
            if (p.address() == address) {
                return "the DNS server's address " + text + " is port " + p.name() + "'s";
            }
        }
        return null;
    }

    /** Links name nodes (hosts, routers, ports) that exist, each at most once. */
    private static String linkProblem(List<HostSpec> hosts, List<RouterSpec> routers, List<PortSpec> ports,
                                      List<LinkSpec> links) {
        if (links.isEmpty()) {
            return null;
        }
        java.util.Set<String> nodes = new java.util.HashSet<>(); // a walk per link would be links x hosts
        hosts.forEach(h -> nodes.add(h.name()));
        routers.forEach(r -> nodes.add(r.name()));
        ports.forEach(p -> nodes.add(p.name()));
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (LinkSpec link : links) {
            if (!nodes.contains(link.host())) {
                return "a link names " + link.host() + ", which is not a host, router or port";
            }
            if (!seen.add(link.host())) {
                return "host " + link.host() + " has two links";
            }
        }
        return null;
    }

    /**
     * The router on the TAP's subnet through which the kernel reaches {@code router}'s subnet: the top of
     * the chain of routers above it.
     */
    public RouterSpec gatewayTo(RouterSpec router) {
        RouterSpec current = router;
        for (int i = 0; i < routers.size(); i++) {
            RouterSpec node = current;
            RouterSpec parent = routers.stream().filter(r -> r != node && r.contains(node.address())).findFirst().orElse(null);
            if (parent == null) {
                return current;
            }
            current = parent;
        }
        throw new IllegalStateException("routers form a cycle");
    }

    /** The same topology with another seed: how {@code tapnet run --seed} replays or varies a run. */
    public Topology withSeed(long newSeed) {
        return new Topology(name, newSeed, tap, tcp, hosts, links, routers, ports, script, dns, parts);
    }

    /** The nodes with a link to a parent, routers, then hosts, then ports, each in the file's order. */
    public List<String> linkedNodes() {
        return linkedNodes(hosts, routers, ports);
    }

    private static List<String> linkedNodes(List<HostSpec> hosts, List<RouterSpec> routers, List<PortSpec> ports) {
        List<String> names = new java.util.ArrayList<>();
        routers.forEach(r -> names.add(r.name()));
        hosts.forEach(h -> names.add(h.name()));
        ports.forEach(p -> names.add(p.name()));
        return names;
    }

    /**
     * The parent of the node called {@code node}, as links name it: the router whose subnet holds a host's
     * or router's address, else {@code tap}; {@code tap} for a port, whose parent is the TAP's segment.
     * Empty when no node has that name.
     */
    public Optional<String> parentOf(String node) {
        Integer address = host(node).map(HostSpec::address)
                .or(() -> routers.stream().filter(r -> r.name().equals(node)).map(RouterSpec::address).findFirst())
                .orElse(null);
        if (address == null) {
            return port(node).map(p -> HostSpec.RESERVED_NAME);
        }
        return Optional.of(routers.stream().filter(r -> r.contains(address)).map(RouterSpec::name).findFirst()
                .orElse(HostSpec.RESERVED_NAME)); // routers' subnets never overlap: at most one holds it
    }

    /** The port called {@code portName}, if any. */
    public Optional<PortSpec> port(String portName) {
        return ports.stream().filter(p -> p.name().equals(portName)).findFirst();
    }

    /** The host called {@code hostName}, if any. */
    public Optional<HostSpec> host(String hostName) {
        return hosts.stream().filter(h -> h.name().equals(hostName)).findFirst();
    }

    /** Routers sit on the TAP's subnet or another router's; their subnets overlap nothing. */
    static String routerProblem(TapSpec tap, List<RouterSpec> routers) {
        for (RouterSpec r : routers) {
            if (r.overlaps(tap.network(), tap.prefixLength())) {
                return "router " + r.name() + "'s subnet " + r.subnet() + " overlaps the TAP's " + tap.subnet();
            }
            for (RouterSpec other : routers) {
                if (other != r && r.overlaps(other.network(), other.prefixLength())) {
                    return "routers " + r.name() + " and " + other.name() + " serve overlapping subnets";
                }
            }
            List<RouterSpec> others = routers.stream().filter(o -> o != r).toList();
            String problem = addressProblem(tap, others, r.address());
            if (problem == null && r.hasIpv6()) {
                problem = router6Problem(r, prefix6For(tap, others, r.address()), tap, others);
            }
            if (problem != null) {
                return "router " + r.name() + ": " + problem;
            }
        }
        return null;
    }

    /**
     * Null when router {@code r}'s IPv6 addresses fit: {@code address6} a host address of its parent's
     * prefix ({@code parent6}), {@code subnet6} overlapping neither the TAP's prefix nor another router's.
     */
    public static String router6Problem(RouterSpec r, Prefix6 parent6, TapSpec tap, List<RouterSpec> others) {
        if (parent6 == null) {
            return "it has IPv6 addresses but the segment above it has no IPv6 prefix (give the TAP address6, or its parent router subnet6)";
        }
        if (!parent6.contains(r.address6()) || parent6.address().equals(r.address6())) {
            return "address6 " + r.address6() + " is not a host address of " + parent6.subnet();
        }
        if (r.advertise() && others.stream().anyMatch(o -> o.contains(r.address()))) {
            return "advertise: only a router on the TAP's segment advertises routes (the kernel hears no other)";
        }
        if (tap.hasIpv6() && overlap(r.subnet6(), tap.address6())) {
            return "subnet6 " + r.subnet6().subnet() + " overlaps the TAP's " + tap.address6().subnet();
        }
        for (RouterSpec o : others) {
            if (o.hasIpv6() && overlap(r.subnet6(), o.subnet6())) {
                return "subnet6 " + r.subnet6().subnet() + " overlaps router " + o.name() + "'s " + o.subnet6().subnet();
            }
        }
        return null;
    }

    private static boolean overlap(Prefix6 a, Prefix6 b) {
        return a.address().within(b.address(), Math.min(a.length(), b.length()));
    }

    /** Null when a node may have {@code address}: in the TAP's subnet or a router's. */
    public static String addressProblem(TapSpec tap, List<RouterSpec> routers, int address) {
        for (RouterSpec r : routers) {
            if (r.contains(address)) {
                String text = Ipv4Address.format(address);
                if (address == r.inside()) {
                    return text + " is router " + r.name() + "'s own address on " + r.subnet();
                }
                if (address == r.network() || address == r.broadcast()) {
                    return text + " is the " + (address == r.network() ? "network" : "broadcast") + " address of "
                            + r.subnet() + " (behind router " + r.name() + ")";
                }
                return null;
            }
        }
        return addressProblem(tap, address);
    }

    /**
     * The IPv6 prefix of the segment a node at IPv4 {@code address} sits on: the subnet6 of the most
     * specific router whose subnet holds it, else the TAP's; null when that segment has no IPv6.
     */
    public static Prefix6 prefix6For(TapSpec tap, List<RouterSpec> routers, int address) {
        RouterSpec best = null;
        for (RouterSpec r : routers) {
            if (r.contains(address) && (best == null || r.prefixLength() > best.prefixLength())) {
                best = r;
            }
        }
        return best == null ? tap.address6() : best.subnet6();
    }

    /** Null when a virtual host may have {@code address} behind {@code tap}, else what is wrong with it. */
    public static String addressProblem(TapSpec tap, int address) {
        String text = Ipv4Address.format(address);
        String range = "expected " + hostRange(tap);
        if (!tap.contains(address)) {
            return text + " is outside the TAP's subnet " + tap.subnet() + "; " + range;
        }
        if (address == tap.address()) {
            return text + " is the kernel's side of the TAP (tap.address); " + range;
        }
        if (address == tap.network()) {
            return text + " is the network address of " + tap.subnet() + "; " + range;
        }
        if (address == tap.broadcast()) {
            return text + " is the broadcast address of " + tap.subnet() + "; " + range;
        }
        return null;
    }

    /** The addresses hosts may have, in words: "an address from 10.77.0.2 to 10.77.0.254". */
    static String hostRange(TapSpec tap) {
        int first = tap.firstHost();
        int last = tap.lastHost();
        if (tap.address() == first) {
            return "an address from " + Ipv4Address.format(first + 1) + " to " + Ipv4Address.format(last);
        }
        if (tap.address() == last) {
            return "an address from " + Ipv4Address.format(first) + " to " + Ipv4Address.format(last - 1);
        }
        return "an address from " + Ipv4Address.format(first) + " to " + Ipv4Address.format(last)
                + " other than " + Ipv4Address.format(tap.address());
    }
}
