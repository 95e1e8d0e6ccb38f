package tapnet.topology.yaml;

import tapnet.topology.HostSpec;
import tapnet.topology.LinkChange;
import tapnet.topology.LinkSpec;
import tapnet.topology.PortSpec;
import tapnet.topology.RouterSpec;
import tapnet.topology.ServiceSpec;
import tapnet.topology.TapSpec;
import tapnet.topology.Topology;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import tapnet.tcp.ConnectionFaults;
import tapnet.tcp.TcpConfig;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

/**
 * Turns the YAML tree of a topology file into a {@link Topology}, checking everything on the way and
 * reporting each problem at the node it is about. It reads on after an error, so one run reports as much
 * as it can; a part that failed is left out of later checks that depend on it (hosts are not checked
 * against a TAP that did not parse).
 */
final class TopologyReader {
    static final Section.Keys TOPOLOGY = new Section.Keys("a topology",
            List.of("name", "seed", "tap", "tcp", "routers", "ports", "hosts", "links", "script"));
    /** Impairment keys of a link, named as tc-netem(8) names them where the idea is the same. */
    static final List<String> IMPAIRMENTS = List.of("down", "mtu", "delay", "jitter", "delayCorrelation",
            "distribution", "loss", "lossCorrelation", "gemodel", "lossState", "duplicate", "duplicateCorrelation",
            "reorder", "reorderCorrelation", "gap", "corrupt", "corruptCorrelation", "rate", "overhead", "limit",
            "limitBytes", "slot");
    static final Section.Keys LINK = new Section.Keys("a link", concat("between", concat("from", concat("to", IMPAIRMENTS))));
    static final Section.Keys GEMODEL = new Section.Keys("gemodel", List.of("p", "r", "lossInBad", "lossInGood"));
    static final Section.Keys SLOT = new Section.Keys("slot", List.of("min", "max", "packets", "bytes"));
    static final Section.Keys LOSS_STATE = new Section.Keys("lossState", List.of("p13", "p31", "p32", "p23", "p14"));
    static final Section.Keys TAP = new Section.Keys("tap", List.of("device", "address", "mtu"));
    static final Section.Keys TCP = new Section.Keys("tcp", List.of("maxConnections", "buffer", "bufferMemory",
            "timeWait", "initialRto", "minRto", "maxRto", "synAckRetries", "dataRetries", "initialWindow", "synRetries", "synBacklog"));
    static final Section.Keys ROUTER = new Section.Keys("a router", List.of("address", "subnet", "mac"));
    static final Section.Keys PORT = new Section.Keys("a port", List.of("netns", "address", "device"));
    static final Section.Keys HOST = new Section.Keys("a host", List.of("address", "mac", "services"),
            Map.of("handshake", "handshake faults are given per service, in its faults: list, like services: [ { port: 80,"
                    + " http: {}, faults: [ { synAckDelay: 200ms } ] } ]"));
    /** The kinds of service, as keys of a service entry; {@code sink} is another name for discard. */
    static final List<String> KINDS = List.of("echo", "discard", "sink", "chargen", "banner", "http");
    static final Section.Keys SERVICE = new Section.Keys("a service", withLast(withLast(concat("port", KINDS), "nodelay"), "faults"));
    static final List<String> FAULT_KINDS = List.of("synDrop", "refuse", "unreachable", "synAckDrop", "synAckDelay",
            "ackDrop", "resetAfter", "resetAfterSent", "stall", "window", "halfOpen", "slowClose", "corruptAt");
    static final Section.Keys FAULT = new Section.Keys("a fault", withLast(withLast(FAULT_KINDS, "first"), "probability"));
    static final Section.Keys BANNER = new Section.Keys("a banner service", List.of("text", "close"));
    static final Section.Keys HTTP = new Section.Keys("an http service", List.of("status", "body", "contentType"));

    // Bounds of the tcp: section. The engine preallocates per connection and per buffer, so the bounds keep
    // a typo from asking for all of the machine's memory.
    static final int MAX_CONNECTIONS = 1 << 22;
    static final long MIN_BUFFER = 1L << 10;
    static final long MAX_BUFFER = 64L << 20;
    /** The buffer pool keeps a slot per buffer it may lend. */
    static final long MAX_BUFFERS_IN_MEMORY = 1L << 24;
    static final Duration MAX_TIME_WAIT = Duration.ofMinutes(10);
    static final Duration MIN_RTO = Duration.ofMillis(1);
    static final Duration MAX_RTO = Duration.ofMinutes(10);
    static final int MAX_SYN_ACK_RETRIES = 20;
    static final int MAX_DATA_RETRIES = 30;
    static final int MAX_SYN_RETRIES = 20;
    static final int MAX_SYN_BACKLOG = 1 << 20;
    static final int MAX_INITIAL_WINDOW = 1000;
    /** RFC 9293 §3.7.1: the MSS is the MTU less the IPv4 and TCP headers without options (20 bytes each). */
    static final int IPV4_AND_TCP_HEADERS = 40;

    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?\\d+");
    private static final int MAX_NAME_LENGTH = 100;
    private static final String MAC_EXAMPLE = "six hex bytes like 02:00:00:00:00:10";

    private final Problems problems;
    private final String defaultName;
    /** The routers read so far: hosts and links are checked against them. */
    private List<RouterSpec> routers = List.of();
    /** The ports read so far: links are checked against them. */
    private List<PortSpec> ports = List.of();
    /** The hosts read, for the script to check its names against (also when the file had errors). */
    private List<HostSpec> hostsRead = List.of();
    /**
     * Hosts, routers and ports the file defines whose definitions had mistakes (reported): a link or an event
     * that names one is not told again that there is no such node. See {@link #unread}.
     */
    private final Map<String, String> unreadNodes = new java.util.LinkedHashMap<>();
    /** True when a whole hosts, routers or ports section was not a mapping (reported): names cannot be checked. */
    private boolean nodesUnknown;
    /** Where each host and router that was read is defined, to point a port that takes its name or address there. */
    private final Map<Object, Node> definedAt = new HashMap<>();
    /** Hosts by name, for links to find their ends: made by {@link #hostNamed} for the list it was made from. */
    private Map<String, HostSpec> hostsByName = Map.of();
    private List<HostSpec> indexedHosts;
    /** Lists of services read so far, by node (null: it had mistakes); see {@link #servicesOnce}. */
    private final Map<Node, List<ServiceSpec>> servicesRead = new java.util.IdentityHashMap<>();
    /** Node names an error message lists at most. */
    private static final int NAMES_LISTED = 30;

    TopologyReader(Problems problems, String defaultName) {
        this.problems = problems;
        this.defaultName = defaultName;
    }

    /** The topology, or null when anything was reported. */
    Topology read(Node root) {
        Section top = Section.read(root, root, "the topology", TOPOLOGY, problems);
        if (top == null) {
            return null;
        }
        String name = top.has("name") ? topologyName(top.get("name")) : defaultName;
        long seed = top.has("seed")
                ? integer(top.get("seed"), "seed", Long.MIN_VALUE, Long.MAX_VALUE, "a seed like 42 (any 64-bit whole number)", 0)
                : 0;
        Node tapNode = top.require("tap", "the kernel's side of the TAP, like tap: { address: 10.77.0.1/24 }");
        TapSpec tap = tapNode == null ? null : tap(tapNode, top.keyNode("tap"));
        int mtu = tap == null ? TapSpec.DEFAULT_MTU : tap.mtu();
        TcpConfig tcp = tcp(top.get("tcp"), top.keyNode("tcp"), mtu);
        // Routers and ports are read without a TAP too (their own mistakes, their names), checked against it with one.
        routers = top.has("routers") ? routers(top.get("routers"), tap) : List.of();
        Node hostsNode = top.require("hosts", "the virtual hosts, like hosts: { web: { address: 10.77.0.10 } }");
        List<HostSpec> hosts = hostsNode == null ? List.of() : hosts(hostsNode, top.keyNode("hosts"), tap);
        hostsRead = hosts;
        ports = top.has("ports") ? ports(top.get("ports"), tap, hosts) : List.of();
        List<LinkSpec> links = top.has("links") ? links(top.get("links"), hosts) : List.of();
        if (problems.any()) {
            if (top.has("script")) { // read whole, against the nodes that read; names of broken ones pass unremarked
                new ScriptReader(problems, this, null).read(top.get("script"), top.keyNode("script"));
            }
            return null;
        }
        Topology topology;
        try {
            topology = new Topology(name, seed, tap, tcp, hosts, links, routers, ports);
        } catch (IllegalArgumentException e) { // the checks above should have caught it; never lose it though
            problems.at(root, e.getMessage());
            return null;
        }
        if (!top.has("script")) {
            return topology;
        }
        tapnet.topology.Script script = new ScriptReader(problems, this, topology).read(top.get("script"), top.keyNode("script"));
        return script == null || problems.any() ? null
                : new Topology(name, seed, tap, tcp, hosts, links, routers, ports, script);
    }

    // ------------------------------------------------------------------------------------------------
    // name, tap, tcp
    // ------------------------------------------------------------------------------------------------

    private String topologyName(Node node) {
        String text = text(node, "name", "a short name, like shop");
        if (text == null) {
            return defaultName;
        }
        if (text.isBlank() || text.length() > MAX_NAME_LENGTH || text.chars().anyMatch(Character::isISOControl)) {
            problems.at(node, "'" + text + "' is not a topology name; expected one line of 1 to " + MAX_NAME_LENGTH
                    + " characters, like shop");
        }
        return text;
    }

    /**
     * The TAP; when only its device or MTU is wrong (reported), still the TAP with their defaults, so that
     * hosts are checked against its subnet. Null when the address is missing or wrong.
     */
    private TapSpec tap(Node value, Node keyNode) {
        Section tap = Section.read(value, keyNode, "tap", TAP, problems);
        if (tap == null) {
            return null;
        }
        String device = TapSpec.DEFAULT_DEVICE;
        if (tap.has("device")) {
            Node node = tap.get("device");
            device = text(node, "device", "an interface name, like " + TapSpec.DEFAULT_DEVICE);
            String problem = device == null ? null : TapSpec.deviceProblem(device);
            if (problem != null) {
                problems.at(node, problem);
            }
        }
        if (device == null || TapSpec.deviceProblem(device) != null) {
            device = TapSpec.DEFAULT_DEVICE;
        }
        Node addressNode = tap.require("address",
                "the kernel's address and the prefix length of the subnet routed into the TAP, like 10.77.0.1/24");
        KernelAddress kernel = addressNode == null ? null : tapAddress(addressNode);
        int mtu = tap.has("mtu")
                ? (int) integer(tap.get("mtu"), "mtu", TapSpec.MIN_MTU, TapSpec.MAX_MTU,
                        "an MTU from " + TapSpec.MIN_MTU + " to " + TapSpec.MAX_MTU + " bytes", TapSpec.DEFAULT_MTU)
                : TapSpec.DEFAULT_MTU;
        return kernel == null ? null : new TapSpec(device, kernel.address(), kernel.prefixLength(), mtu);
    }

    /** The kernel's address on the TAP and the prefix length of the subnet behind it. */
    private record KernelAddress(int address, int prefixLength) {
    }

    /** {@code a.b.c.d/n}, or null when it is not right (reported). */
    private KernelAddress tapAddress(Node node) {
        String expected = "the kernel's address and the prefix length of the subnet routed into the TAP, like 10.77.0.1/24";
        String text = text(node, "address", expected);
        if (text == null) {
            return null;
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            problems.at(node, "'" + text + "' has no prefix length; expected " + expected);
            return null;
        }
        Integer address = ipv4(node, text.substring(0, slash));
        if (address == null) {
            return null;
        }
        String prefixText = text.substring(slash + 1).strip();
        String prefixExpected = "a prefix length from " + TapSpec.MIN_PREFIX_LENGTH + " to " + TapSpec.MAX_PREFIX_LENGTH
                + ", like 10.77.0.1/24";
        if (!WHOLE_NUMBER.matcher(prefixText).matches()) {
            problems.at(node, "'/" + prefixText + "' is not a prefix length; expected " + prefixExpected);
            return null;
        }
        BigInteger prefix = new BigInteger(prefixText);
        if (prefix.compareTo(BigInteger.valueOf(TapSpec.MIN_PREFIX_LENGTH)) < 0
                || prefix.compareTo(BigInteger.valueOf(TapSpec.MAX_PREFIX_LENGTH)) > 0) {
            problems.at(node, "prefix length /" + prefixText + " is out of range; expected " + prefixExpected);
            return null;
        }
        int prefixLength = prefix.intValue();
        int first = address >>> 24;
        if (first == 0 || first == 127 || first >= 224) {
            problems.at(node, Ipv4Address.format(address) + " is " + (first == 127 ? "a loopback" : first == 0 ? "a 'this network'"
                    : "a multicast or reserved") + " address; expected a unicast address, like 10.77.0.1/24");
            return null;
        }
        int mask = Ipv4Address.mask(prefixLength);
        String subnet = Ipv4Address.format(address & mask) + "/" + prefixLength;
        String hostExpected = "expected a host address of the subnet for the kernel's side, like "
                + Ipv4Address.format((address & mask) + 1) + "/" + prefixLength;
        if (address == (address & mask)) {
            problems.at(node, Ipv4Address.format(address) + " is the network address of " + subnet + "; " + hostExpected);
            return null;
        }
        if (address == (address | ~mask)) {
            problems.at(node, Ipv4Address.format(address) + " is the broadcast address of " + subnet + "; " + hostExpected);
            return null;
        }
        return new KernelAddress(address, prefixLength);
    }

    private TcpConfig tcp(Node value, Node keyNode, int mtu) {
        TcpConfig d = TcpConfig.defaults();
        int mss = mtu - IPV4_AND_TCP_HEADERS;
        Section tcp = value == null ? null : Section.read(value, keyNode, "tcp", TCP, problems);
        if (tcp == null) {
            return d.toBuilder().mss(mss).build();
        }
        int maxConnections = (int) optionalInteger(tcp, "maxConnections", 1, MAX_CONNECTIONS, d.maxConnections());
        long buffer = optionalSize(tcp, "buffer", MIN_BUFFER, MAX_BUFFER, d.bufferSize());
        long bufferMemory = optionalSize(tcp, "bufferMemory", 0, Long.MAX_VALUE, d.bufferMemory());
        Duration timeWait = optionalDuration(tcp, "timeWait", Duration.ZERO, MAX_TIME_WAIT, d.timeWait());
        Duration initialRto = optionalDuration(tcp, "initialRto", MIN_RTO, MAX_RTO, d.initialRto());
        Duration minRto = optionalDuration(tcp, "minRto", MIN_RTO, MAX_RTO, d.minRto());
        Duration maxRto = optionalDuration(tcp, "maxRto", MIN_RTO, MAX_RTO, d.maxRto());
        int synAckRetries = (int) optionalInteger(tcp, "synAckRetries", 0, MAX_SYN_ACK_RETRIES, d.synAckRetries());
        int dataRetries = (int) optionalInteger(tcp, "dataRetries", 0, MAX_DATA_RETRIES, d.dataRetries());
        int initialWindow = (int) optionalInteger(tcp, "initialWindow", 1, MAX_INITIAL_WINDOW, d.initialWindow());
        int synRetries = (int) optionalInteger(tcp, "synRetries", 0, MAX_SYN_RETRIES, d.synRetries());
        int synBacklog = (int) optionalInteger(tcp, "synBacklog", 0, MAX_SYN_BACKLOG, d.synBacklog());

        if (bufferMemory < buffer) {
            problems.at(at(tcp, "bufferMemory", "buffer"), "bufferMemory " + Units.formatSize(bufferMemory)
                    + " is less than one buffer (" + Units.formatSize(buffer) + "); expected bufferMemory at least buffer");
        } else if (bufferMemory / buffer > MAX_BUFFERS_IN_MEMORY) {
            problems.at(at(tcp, "bufferMemory", "buffer"), "bufferMemory " + Units.formatSize(bufferMemory) + " holds more than "
                    + MAX_BUFFERS_IN_MEMORY + " buffers of " + Units.formatSize(buffer) + "; expected at most "
                    + Units.formatSize(buffer * MAX_BUFFERS_IN_MEMORY) + ", or a larger buffer");
        }
        // RFC 6298 §2: the RTO starts at initialRto and stays within [minRto, maxRto]
        if (minRto.compareTo(maxRto) > 0) {
            problems.at(at(tcp, "minRto", "maxRto"), "minRto " + Units.format(minRto) + " is more than maxRto "
                    + Units.format(maxRto) + "; expected minRto <= initialRto <= maxRto");
        } else if (initialRto.compareTo(minRto) < 0 || initialRto.compareTo(maxRto) > 0) {
            problems.at(at(tcp, "initialRto", initialRto.compareTo(minRto) < 0 ? "minRto" : "maxRto"),
                    "initialRto " + Units.format(initialRto) + " is outside [minRto " + Units.format(minRto) + ", maxRto "
                            + Units.format(maxRto) + "]; expected minRto <= initialRto <= maxRto");
        }
        if (problems.any()) {
            return d; // not used: the topology is not built
        }
        return d.toBuilder().maxConnections(maxConnections).bufferSize((int) buffer).bufferMemory(bufferMemory).mss(mss)
                .initialRto(initialRto).minRto(minRto).maxRto(maxRto).synAckRetries(synAckRetries)
                .dataRetries(dataRetries).timeWait(timeWait).initialWindow(initialWindow)
                .synRetries(synRetries).synBacklog(synBacklog).build();
    }

    /** The value of the first of {@code keys} the section has (to blame for a conflict), else the section's anchor. */
    private static Node at(Section section, String... keys) {
        for (String key : keys) {
            if (section.has(key)) {
                return section.get(key);
            }
        }
        return section.anchor();
    }

    // ------------------------------------------------------------------------------------------------
    // hosts and services
    // ------------------------------------------------------------------------------------------------

    /** Who already has an address or MAC, to report the second one. */
    private record Owner(String host, Node node) {
    }

    private List<HostSpec> hosts(Node value, Node keyNode, TapSpec tap) {
        String expected = "a mapping from host names to hosts, like hosts: { web: { address: 10.77.0.10 } }";
        if (Section.isNull(value) || value instanceof MappingNode m && m.getValue().isEmpty()) {
            problems.at(Section.isNull(value) ? keyNode : value, "'hosts' is empty; expected at least one host in " + expected);
            return List.of();
        }
        if (!(value instanceof MappingNode mapping)) {
            problems.at(value, "'hosts' is " + Section.describe(value) + "; expected " + expected);
            nodesUnknown = true;
            return List.of();
        }
        Map<Integer, Owner> addresses = new HashMap<>();
        Map<Long, Owner> macs = new HashMap<>();
        List<HostSpec> hosts = new ArrayList<>();
        for (NodeTuple entry : Section.uniqueEntries(mapping, "hosts", problems).values()) {
            HostSpec host = host(entry.getKeyNode(), entry.getValueNode(), tap, addresses, macs);
            if (host != null) {
                hosts.add(host);
                definedAt.put(host, entry.getKeyNode());
            } else {
                unreadNodes.putIfAbsent(((ScalarNode) entry.getKeyNode()).getValue(), "host");
            }
        }
        return hosts;
    }

    private HostSpec host(Node nameNode, Node value, TapSpec tap, Map<Integer, Owner> addresses, Map<Long, Owner> macs) {
        int before = problems.count();
        String name = ((ScalarNode) nameNode).getValue();
        String nameProblem = HostSpec.nameProblem(name);
        if (nameProblem != null) {
            problems.at(nameNode, nameProblem);
        }
        Section host = Section.read(value, nameNode, "host '" + name + "'", HOST, problems);
        if (host == null) {
            return null;
        }
        String addressExpected = tap == null ? "an IPv4 address like 10.77.0.10"
                : "an IPv4 address in " + tap.subnet() + ", like " + Ipv4Address.format(example(tap));
        Node addressNode = host.require("address", addressExpected);
        Integer address = null;
        if (addressNode != null) {
            String text = text(addressNode, "address", addressExpected);
            address = text == null ? null : ipv4(addressNode, text);
        }
        if (address != null && tap != null) {
            String problem = Topology.addressProblem(tap, routers, address);
            if (problem != null) {
                problems.at(addressNode, problem);
            }
        }
        boolean addressTaken = false;
        if (address != null) {
            Owner first = addresses.putIfAbsent(address, new Owner(name, addressNode));
            addressTaken = first != null;
            if (addressTaken) {
                problems.at(addressNode, Ipv4Address.format(address) + " is already the address of host '" + first.host()
                        + "' (line " + Problems.line(first.node()) + "); expected a unique address per host");
            }
        }

        Long mac = null;
        Node macNode = host.get("mac");
        if (macNode != null) {
            mac = mac(macNode);
        } else if (address != null) {
            mac = MacAddress.derivedFrom(address);
        }
        if (mac != null && !(macNode == null && addressTaken)) { // a taken address's derived MAC is taken too: said already
            Node where = macNode != null ? macNode : addressNode;
            Owner first = macs.putIfAbsent(mac, new Owner(name, where));
            if (first != null) {
                problems.at(where, (macNode != null ? "" : "the MAC derived from this address, ") + MacAddress.format(mac)
                        + ", is already the MAC of host '" + first.host() + "' (line " + Problems.line(first.node())
                        + "); expected a unique MAC per host" + (macNode != null ? "" : ": give one of them a mac"));
            }
        }

        List<ServiceSpec> services = host.has("services") ? servicesOnce(host.get("services")) : List.of();
        if (services == null || problems.count() != before) {
            return null;
        }
        return new HostSpec(name, address, mac, services);
    }

    /**
     * A host's services; null when they have mistakes (reported). A list that hosts name through an alias
     * ({@code services: *web}) is one node, read once: its hosts share the services it gives, and its
     * mistakes are reported once, where it is written, not once per host.
     */
    private List<ServiceSpec> servicesOnce(Node value) {
        if (servicesRead.containsKey(value)) {
            return servicesRead.get(value);
        }
        int before = problems.count();
        List<ServiceSpec> services = List.copyOf(services(value));
        List<ServiceSpec> result = problems.count() == before ? services : null;
        servicesRead.put(value, result);
        return result;
    }

    /** An address to suggest: the one after the kernel's, or the subnet's first host address. */
    private static int example(TapSpec tap) {
        int next = tap.address() + 1;
        return next <= tap.lastHost() ? next : tap.firstHost();
    }

    private Long mac(Node node) {
        String text = text(node, "mac", MAC_EXAMPLE);
        if (text == null) {
            return null;
        }
        long mac;
        try {
            mac = MacAddress.parse(text);
        } catch (IllegalArgumentException e) {
            problems.at(node, "'" + text + "' is not a MAC address; expected " + MAC_EXAMPLE);
            return null;
        }
        String problem = HostSpec.macProblem(mac);
        if (problem != null) {
            problems.at(node, problem);
            return null;
        }
        return mac;
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
        int port = 0;
        if (portNode != null) {
            port = (int) integer(portNode, "port", ServiceSpec.MIN_PORT, ServiceSpec.MAX_PORT, portExpected, 0);
            Node first = port == 0 ? null : ports.putIfAbsent(port, portNode);
            if (first != null) {
                problems.at(portNode, "port " + port + " is already served by this host (line " + Problems.line(first)
                        + "); expected each port once per host");
            }
        }
        List<String> kinds = entry.keys().stream().filter(KINDS::contains).toList();
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
            default -> throw new AssertionError("a kind without a reader: " + kind);
        };
        boolean noDelay = entry.has("nodelay") && bool(entry.get("nodelay"), "nodelay");
        List<ConnectionFaults.Rule> faults = entry.has("faults") ? faults(entry.get("faults")) : List.of();
        if (service == null || problems.count() != before) {
            return null;
        }
        ServiceSpec spec = service.apply(port);
        return noDelay || !faults.isEmpty() ? new ServiceSpec.Tuned(spec, noDelay, faults) : spec;
    }

    /** {@code faults: [ { refuse: {}, first: 3 }, { synAckDelay: 200ms, probability: 10% } ]} */
    private List<ConnectionFaults.Rule> faults(Node node) {
        if (!(node instanceof SequenceNode list)) {
            problems.at(node, "'faults' is " + Section.describe(node) + "; expected a list of faults, like"
                    + " [ { synAckDelay: 200ms }, { refuse: {}, first: 3 } ]");
            return List.of();
        }
        List<ConnectionFaults.Rule> rules = new ArrayList<>();
        for (Node item : list.getValue()) {
            ConnectionFaults.Rule rule = fault(item);
            if (rule != null) {
                rules.add(rule);
            }
        }
        return rules;
    }

    ConnectionFaults.Rule fault(Node item) {
        int before = problems.count();
        Section fault = Section.read(item, item, "this fault", FAULT, problems);
        if (fault == null) {
            return null;
        }
        List<String> kinds = fault.keys().stream().filter(FAULT_KINDS::contains).toList();
        if (kinds.isEmpty() && problems.count() != before) {
            return null; // a misspelt kind was reported already; "no kind" too would be noise
        }
        if (kinds.size() != 1) {
            problems.at(item, (kinds.isEmpty() ? "this fault has no kind" : "this fault has " + kinds.size()
                    + " kinds") + "; expected exactly one of: " + String.join(", ", FAULT_KINDS));
            return null;
        }
        String kind = kinds.get(0);
        Node value = fault.get(kind);
        long parameter = 0;
        ConnectionFaults.Kind type;
        boolean takesNoValue = List.of("synDrop", "refuse", "unreachable", "stall", "halfOpen").contains(kind);
        if (takesNoValue && !Section.isNull(value) && !(value instanceof MappingNode m && m.getValue().isEmpty())) {
            problems.at(value, "'" + kind + "' takes no value; write " + kind + ": {} (and first: N or probability: P% to"
                    + " choose which connections)");
            return null;
        }
        switch (kind) {
            case "synDrop" -> type = ConnectionFaults.Kind.SYN_DROP;
            case "refuse" -> type = ConnectionFaults.Kind.REFUSE;
            case "unreachable" -> type = ConnectionFaults.Kind.UNREACHABLE;
            case "stall" -> type = ConnectionFaults.Kind.STALL;
            case "halfOpen" -> type = ConnectionFaults.Kind.HALF_OPEN;
            case "synAckDrop", "ackDrop" -> {
                type = kind.equals("ackDrop") ? ConnectionFaults.Kind.ACK_DROP : ConnectionFaults.Kind.SYN_ACK_DROP;
                parameter = Section.isNull(value) || value instanceof MappingNode ? 1
                        : integer(value, kind, 1, 100, "how many to lose, from 1 to 100 (or {} for one)", 1);
            }
            case "synAckDelay" -> {
                type = ConnectionFaults.Kind.SYN_ACK_DELAY;
                Duration delay = durationValue(value, kind, Duration.ofNanos(1), Duration.ofMinutes(10));
                parameter = delay == null ? 0 : delay.toNanos();
            }
            case "resetAfter" -> {
                // a size resets after that many bytes, a duration after that long
                String text = value instanceof ScalarNode sc ? sc.getValue().strip() : "";
                if (text.matches(".*[0-9.]\\s*(ns|us|µs|ms|s|m|h)")) {
                    type = ConnectionFaults.Kind.RESET_AFTER_TIME;
                    Duration after = durationValue(value, kind, Duration.ofNanos(1), Duration.ofDays(1));
                    parameter = after == null ? 0 : after.toNanos();
                } else {
                    type = ConnectionFaults.Kind.RESET_AFTER_BYTES;
                    parameter = sizeValue(value, kind, 1, Long.MAX_VALUE);
                }
            }
            case "resetAfterSent" -> { // the other direction: a download cut mid-body
                type = ConnectionFaults.Kind.RESET_AFTER_BYTES_SENT;
                parameter = sizeValue(value, kind, 1, Long.MAX_VALUE);
            }
            case "window" -> {
                type = ConnectionFaults.Kind.WINDOW;
                parameter = sizeValue(value, kind, 1, 1L << 30);
            }
            case "slowClose" -> {
                type = ConnectionFaults.Kind.SLOW_CLOSE;
                Duration delay = durationValue(value, kind, Duration.ofNanos(1), Duration.ofMinutes(10));
                parameter = delay == null ? 0 : delay.toNanos();
            }
            case "corruptAt" -> {
                type = ConnectionFaults.Kind.CORRUPT_AT;
                parameter = value instanceof ScalarNode sc && sc.getValue().strip().equals("0") ? 0 : sizeValue(value, kind, 0, Long.MAX_VALUE);
            }
            default -> throw new AssertionError("a fault without a reader: " + kind);
        }
        if (fault.has("first") && fault.has("probability")) {
            problems.at(fault.keyNode("probability"), "this fault has both 'first' and 'probability'; expected one of them"
                    + " (or neither: every connection)");
            return null;
        }
        ConnectionFaults.Selector selector = new ConnectionFaults.Selector.All();
        if (fault.has("first")) {
            selector = new ConnectionFaults.Selector.First((int) integer(fault.get("first"), "first", 1, Integer.MAX_VALUE,
                    "how many SYNs or connections it hits first, like 3", 1));
        } else if (fault.has("probability")) {
            Node p = fault.get("probability");
            String text = text(p, "probability", "a percentage, like 10%");
            try {
                selector = new ConnectionFaults.Selector.Probability(text == null ? 0 : Units.fraction(text));
            } catch (IllegalArgumentException e) {
                problems.at(p, e.getMessage());
            }
        }
        return new ConnectionFaults.Rule(type, parameter, selector);
    }

    Duration durationValue(Node node, String key, Duration min, Duration max) {
        String text = text(node, key, "a duration, like 200ms or 1.5s");
        if (text == null) {
            return null;
        }
        try {
            Duration d = Units.duration(text);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                problems.at(node, key + " " + text + " is out of range; expected " + Units.format(min) + " to " + Units.format(max));
                return null;
            }
            return d;
        } catch (IllegalArgumentException e) {
            problems.at(node, e.getMessage());
            return null;
        }
    }

    long sizeValue(Node node, String key, long min, long max) {
        String text = text(node, key, "a size, like 1024 or 2KiB");
        if (text == null) {
            return 0;
        }
        try {
            long size = Units.size(text);
            if (size < min || size > max) {
                problems.at(node, key + " " + text + " is out of range; expected " + Units.formatSize(min) + " or more");
                return 0;
            }
            return size;
        } catch (IllegalArgumentException e) {
            problems.at(node, e.getMessage());
            return 0;
        }
    }

    /** Echo, discard and chargen take no settings: {@code echo: {}} or just {@code echo:}. */
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
        String text = textNode == null ? null : text(textNode, "text", expected);
        boolean close = banner.has("close") && bool(banner.get("close"), "close");
        return text == null ? null : port -> new ServiceSpec.Banner(port, text, close);
    }

    private IntFunction<ServiceSpec> http(Node settings, Node keyNode) {
        Section http = Section.read(settings, keyNode, "this http service", HTTP, problems);
        if (http == null) {
            return null;
        }
        int status = http.has("status")
                ? (int) integer(http.get("status"), "status", ServiceSpec.Http.MIN_STATUS, ServiceSpec.Http.MAX_STATUS,
                        "an HTTP status from " + ServiceSpec.Http.MIN_STATUS + " to " + ServiceSpec.Http.MAX_STATUS + ", like 200 or 404",
                        ServiceSpec.Http.DEFAULT_STATUS)
                : ServiceSpec.Http.DEFAULT_STATUS;
        String body = http.has("body")
                ? text(http.get("body"), "body", "the response's text, like \"hello\\n\" (write \"\" for an empty body)")
                : ServiceSpec.Http.DEFAULT_BODY;
        String contentType = ServiceSpec.Http.DEFAULT_CONTENT_TYPE;
        if (http.has("contentType")) {
            Node node = http.get("contentType");
            contentType = text(node, "contentType", "a media type like text/plain or application/json");
            String problem = contentType == null ? null : ServiceSpec.Http.contentTypeProblem(contentType);
            if (problem != null) {
                problems.at(node, problem);
                contentType = null;
            }
        }
        String type = contentType;
        return body == null || type == null ? null : port -> new ServiceSpec.Http(port, status, body, type);
    }

    // ------------------------------------------------------------------------------------------------
    // links
    // ------------------------------------------------------------------------------------------------

    /** {@code links: [ { between: [tap, web], delay: 20ms }, { from: web, to: tap, rate: 10mbit } ]} */
    private List<LinkSpec> links(Node node, List<HostSpec> hosts) {
        if (!(node instanceof SequenceNode list)) {
            problems.at(node, "'links' is " + Section.describe(node) + "; expected a list of links, like"
                    + " [ { between: [tap, web], delay: 20ms, loss: 1% } ]");
            return List.of();
        }
        Map<String, tapnet.link.Impairments[]> byHost = new java.util.LinkedHashMap<>();
        for (Node item : list.getValue()) {
            LinkChange link = link(item, hosts);
            if (link == null) {
                continue;
            }
            tapnet.link.Impairments[] directions = byHost.computeIfAbsent(link.node(), h -> new tapnet.link.Impairments[2]);
            if ((link.towardNode() && directions[0] != null) || (link.towardParent() && directions[1] != null)) {
                problems.at(item, "the link of " + (isPort(link.node()) ? "port " : "host ") + link.node() + " is given twice"
                        + " in the same direction; expected each direction once");
                continue;
            }
            if (link.towardNode()) {
                directions[0] = link.impairments();
            }
            if (link.towardParent()) {
                directions[1] = link.impairments();
            }
        }
        List<LinkSpec> links = new ArrayList<>();
        byHost.forEach((host, d) -> links.add(new LinkSpec(host,
                d[0] == null ? tapnet.link.Impairments.NONE : d[0], d[1] == null ? tapnet.link.Impairments.NONE : d[1])));
        return links;
    }

    /**
     * One link entry, {@code { between: [tap, web], delay: 20ms }} or {@code { from: web, to: tap, ... }},
     * read against {@code topology}'s nodes: for {@code tapnet ctl link}, which changes a running link.
     * Null when anything was reported.
     */
    LinkChange readLink(Node item, Topology topology) {
        routers = topology.routers();
        ports = topology.ports();
        hostsRead = topology.hosts();
        return link(item, topology.hosts());
    }

    /** One link entry against the nodes of the file read so far: for a script's {@code link:} events. */
    LinkChange readLink(Node item) {
        return link(item, hostsRead);
    }

    /**
     * A partition, {@code [[tap, left], [right, web]]}: groups of node names ({@code tap}, hosts, routers,
     * ports), each node in one group at most, against {@code topology}'s nodes. Null when anything was reported.
     */
    List<List<String>> readPartition(Node node, Topology topology) {
        return readPartition(node, topology.linkedNodes());
    }

    /** A partition against the nodes of the file read so far: for a script's {@code partition:} events. */
    List<List<String>> readPartition(Node node) {
        return readPartition(node, linkedNodes());
    }

    private List<List<String>> readPartition(Node node, List<String> linkedNodes) {
        String example = "a list of groups of nodes, like [[tap, web], [db]]";
        if (!(node instanceof SequenceNode groups) || groups.getValue().isEmpty()) {
            problems.at(node, "a partition is " + Section.describe(node) + "; expected " + example);
            return null;
        }
        java.util.Set<String> known = new java.util.LinkedHashSet<>();
        known.add(HostSpec.RESERVED_NAME);
        known.addAll(linkedNodes);
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<List<String>> result = new ArrayList<>();
        boolean sound = true;
        for (Node group : groups.getValue()) {
            if (!(group instanceof SequenceNode members) || members.getValue().isEmpty()) {
                problems.at(group, "a group is " + Section.describe(group) + "; expected a list of node names, like [tap, web]");
                sound = false;
                continue;
            }
            List<String> names = new ArrayList<>();
            for (Node member : members.getValue()) {
                String name = text(member, "a group", "a node's name");
                if (name == null) {
                    sound = false;
                } else if (!known.contains(name)) {
                    if (!unread(name)) {
                        problems.at(member, "there is no node named '" + name + "'; expected one of: "
                                + String.join(", ", listed(withUnread(known, "host, router or port"))));
                    }
                    sound = false;
                } else if (!seen.add(name)) {
                    problems.at(member, "'" + name + "' is in two groups; expected each node in one group at most");
                    sound = false;
                } else {
                    names.add(name);
                }
            }
            result.add(names);
        }
        return sound ? result : null;
    }

    /** One entry of {@code links:}: which node's link, which directions, and what they do; null when reported. */
    private LinkChange link(Node item, List<HostSpec> hosts) {
        Section link = Section.read(item, item, "this link", LINK, problems);
        if (link == null) {
            return null;
        }
        String host = null;
        boolean towardHost = false;
        boolean towardTap = false;
        if (link.has("between")) {
            if (link.has("from") || link.has("to")) {
                problems.at(link.keyNode("between"), "a link has 'between' (both directions) or 'from' and 'to' (one),"
                        + " not both");
            } else {
                host = linkEnds(link.get("between"), hosts);
                towardHost = towardTap = true;
            }
        } else if (link.has("from") && link.has("to")) {
            String from = text(link.get("from"), "from", "tap, a router's or a host's name");
            String to = text(link.get("to"), "to", "tap, a router's or a host's name");
            String port = from == null || to == null ? null : misplacedPort(from, to);
            if (from == null || to == null || unread(from) || unread(to)) {
                host = null; // reported, or a node whose own mistakes were: the pair cannot be judged
            } else if (port != null) {
                problems.at(item, notParentOfPort(from.equals(port) ? to : from, port) + "; expected from: tap and to: "
                        + port + ", or from: " + port + " and to: tap");
            } else {
                String childOfTo = childOf(hosts, from, to);
                String childOfFrom = childOf(hosts, to, from);
                if (childOfTo == null && childOfFrom == null) {
                    problems.at(item, "a link joins a node and its parent (tap, or the router whose subnet holds the"
                            + " node); '" + from + "' and '" + to + "' are not such a pair");
                } else {
                    host = childOfTo != null ? childOfTo : childOfFrom;
                    towardHost = childOfTo != null; // from the parent down to the node
                    towardTap = !towardHost;
                }
            }
        } else {
            problems.at(item, "this link says neither 'between: [PARENT, NODE]' nor 'from' and 'to'; expected one of them");
        }
        // What the link does is read whatever its ends: its mistakes are its own
        tapnet.link.Impairments impairments = impairments(link, item);
        return impairments == null || host == null ? null : new LinkChange(host, towardHost, towardTap, impairments);
    }

    /**
     * True when {@code name} is a host, router or port the file defines but whose definition had mistakes
     * (reported), or when a whole section of nodes could not be read: a reference to it is no new mistake.
     */
    boolean unread(String name) {
        return nodesUnknown || unreadNodes.containsKey(name);
    }

    /**
     * {@code names} and after them the defined but unread nodes of the kinds {@code what} names ("host",
     * "router", "port", as in "host, router or port"): every name a message may suggest.
     */
    List<String> withUnread(java.util.Collection<String> names, String what) {
        List<String> all = new ArrayList<>(names);
        unreadNodes.forEach((name, kind) -> {
            if (what.contains(kind) && !all.contains(name)) {
                all.add(name);
            }
        });
        return all;
    }

    /** The hosts read, in the file's order. */
    List<HostSpec> hosts() {
        return hostsRead;
    }

    /** The ports read, in the file's order. */
    List<PortSpec> ports() {
        return ports;
    }

    /** The nodes with a link to a parent, as {@link Topology#linkedNodes()}: routers, hosts, ports. */
    List<String> linkedNodes() {
        List<String> names = new ArrayList<>();
        routers.forEach(r -> names.add(r.name()));
        hostsRead.forEach(h -> names.add(h.name()));
        ports.forEach(p -> names.add(p.name()));
        return names;
    }

    private boolean isNode(List<HostSpec> hosts, String name) {
        return hostNamed(hosts, name) != null || routers.stream().anyMatch(r -> r.name().equals(name)) || isPort(name);
    }

    /**
     * The host called {@code name} among {@code hosts}, or null: from a map made once per list, since a file
     * may give as many links as hosts, and a walk of 100,000 hosts per link would take minutes.
     */
    private HostSpec hostNamed(List<HostSpec> hosts, String name) {
        if (indexedHosts != hosts) {
            hostsByName = new HashMap<>();
            for (HostSpec host : hosts) {
                hostsByName.putIfAbsent(host.name(), host);
            }
            indexedHosts = hosts;
        }
        return hostsByName.get(name);
    }

    private boolean isPort(String name) {
        return ports.stream().anyMatch(p -> p.name().equals(name));
    }

    /** A port hangs off the TAP's segment, so the other end of its link is tap: the port's name when it is not. */
    private String misplacedPort(String a, String b) {
        if (isPort(a) && !b.equals(HostSpec.RESERVED_NAME)) {
            return a;
        }
        return isPort(b) && !a.equals(HostSpec.RESERVED_NAME) ? b : null;
    }

    private static String notParentOfPort(String other, String port) {
        return "'" + other + "' is not the parent of port '" + port + "': a port's parent is the TAP's segment";
    }

    /**
     * {@code routers: { r1: { address: 10.77.0.254, subnet: 10.78.1.1/24 } }}: each on the TAP's subnet or
     * another router's, its own subnet overlapping nothing else.
     */
    private List<RouterSpec> routers(Node value, TapSpec tap) {
        if (!(value instanceof MappingNode mapping)) {
            problems.at(value, "'routers' is " + Section.describe(value) + "; expected a mapping from names to routers,"
                    + " like routers: { r1: { address: 10.77.0.254, subnet: 10.78.1.1/24 } }");
            nodesUnknown = true;
            return List.of();
        }
        List<RouterSpec> read = new ArrayList<>();
        Map<RouterSpec, Node> where = new HashMap<>();
        for (NodeTuple entry : Section.uniqueEntries(mapping, "routers", problems).values()) {
            String name = ((ScalarNode) entry.getKeyNode()).getValue();
            Section router = Section.read(entry.getValueNode(), entry.getKeyNode(), "router '" + name + "'", ROUTER, problems);
            if (router == null) {
                unreadNodes.putIfAbsent(name, "router");
                continue;
            }
            Node addressNode = router.require("address", "its address on its parent's subnet, like 10.77.0.254");
            Node subnetNode = router.require("subnet", "its address and prefix on the subnet it serves, like 10.78.1.1/24");
            String addressText = addressNode == null ? null : text(addressNode, "address", "an IPv4 address like 10.77.0.254");
            Integer address = addressText == null ? null : ipv4(addressNode, addressText);
            KernelAddress inside = subnetNode == null ? null : tapAddress(subnetNode);
            if (address == null || inside == null) {
                unreadNodes.putIfAbsent(name, "router");
                continue;
            }
            long mac = router.has("mac") ? orZero(mac(router.get("mac"))) : MacAddress.derivedFrom(address);
            RouterSpec spec = new RouterSpec(name, address, mac, inside.address(), inside.prefixLength());
            read.add(spec);
            where.put(spec, addressNode);
            definedAt.put(spec, entry.getKeyNode());
        }
        for (RouterSpec r : read) {
            if (tap != null && r.overlaps(tap.network(), tap.prefixLength())) {
                problems.at(where.get(r), "router " + r.name() + "'s subnet " + r.subnet() + " overlaps the TAP's "
                        + tap.subnet() + "; expected a subnet of its own");
                continue;
            }
            for (RouterSpec o : read) {
                if (o != r && r.overlaps(o.network(), o.prefixLength())) {
                    problems.at(where.get(r), "router " + r.name() + "'s subnet " + r.subnet() + " overlaps router "
                            + o.name() + "'s " + o.subnet() + "; expected subnets of their own");
                }
            }
            String problem = tap == null ? null : Topology.addressProblem(tap, read.stream().filter(o -> o != r).toList(), r.address());
            if (problem != null) {
                problems.at(where.get(r), problem);
            }
        }
        return read;
    }

    /** Who already has a name, an address or a device in a namespace, to report the port that takes it again. */
    private record Holder(String who, Node node) {
    }

    /**
     * {@code ports: { left: { address: 10.77.0.101 } }}: real ports on the TAP's segment, each with a name and
     * an address no host, router or other port has, and a device of its own in its netns ({@code {run}-left}
     * unless it gives one, see {@link PortSpec#RUN}). Without a TAP (reported), only what needs none is checked.
     */
    private List<PortSpec> ports(Node value, TapSpec tap, List<HostSpec> hosts) {
        if (!(value instanceof MappingNode mapping)) {
            problems.at(value, "'ports' is " + Section.describe(value) + "; expected a mapping from names to ports,"
                    + " like ports: { left: { address: 10.77.0.101 } }");
            nodesUnknown = true;
            return List.of();
        }
        Map<String, Holder> names = new HashMap<>();
        Map<Integer, Holder> addresses = new HashMap<>();
        for (RouterSpec r : routers) {
            Holder holder = new Holder("router '" + r.name() + "'", definedAt.get(r));
            names.putIfAbsent(r.name(), holder);
            addresses.putIfAbsent(r.address(), holder);
        }
        for (HostSpec h : hosts) {
            Holder holder = new Holder("host '" + h.name() + "'", definedAt.get(h));
            names.putIfAbsent(h.name(), holder);
            addresses.putIfAbsent(h.address(), holder);
        }
        Map<String, Holder> devices = new HashMap<>();
        List<PortSpec> read = new ArrayList<>();
        for (NodeTuple entry : Section.uniqueEntries(mapping, "ports", problems).values()) {
            PortSpec port = port(entry.getKeyNode(), entry.getValueNode(), tap, names, addresses, devices);
            if (port != null) {
                read.add(port);
            } else {
                unreadNodes.putIfAbsent(((ScalarNode) entry.getKeyNode()).getValue(), "port");
            }
        }
        return read;
    }

    private PortSpec port(Node nameNode, Node value, TapSpec tap, Map<String, Holder> names, Map<Integer, Holder> addresses,
                          Map<String, Holder> devices) {
        int before = problems.count();
        String name = ((ScalarNode) nameNode).getValue();
        Holder self = new Holder("port '" + name + "'", nameNode);
        String nameProblem = Topology.portNameProblem(name);
        if (nameProblem != null) {
            problems.at(nameNode, nameProblem);
        }
        Holder sameName = names.putIfAbsent(name, self);
        if (nameProblem == null && sameName != null) {
            problems.at(nameNode, "'" + name + "' is already the name of " + sameName.who() + " (line "
                    + Problems.line(sameName.node()) + "); expected a unique name per host, router and port");
        }
        Section port = Section.read(value, nameNode, "port '" + name + "'", PORT, problems);
        if (port == null) {
            return null;
        }
        // Without a netns, the port's namespace follows the run's: {run}-NAME, shop-left under --netns shop
        Node netnsNode = port.get("netns");
        String netns = netnsNode == null ? PortSpec.defaultNetns(name)
                : text(netnsNode, "netns", "the network namespace its device goes into, like " + PortSpec.defaultNetns(name));
        String netnsProblem = netnsNode == null || netns == null ? null : Topology.netnsProblem(netns);
        if (netnsProblem != null) {
            problems.at(netnsNode, netnsProblem);
        }
        String addressExpected = "the kernel's address in that namespace, "
                + (tap == null ? "like 10.77.0.101" : "in " + tap.subnet() + ", like " + Ipv4Address.format(example(tap)));
        Node addressNode = port.require("address", addressExpected);
        String addressText = addressNode == null ? null : text(addressNode, "address", addressExpected);
        Integer address = addressText == null ? null : ipv4(addressNode, addressText);
        if (address != null) {
            String problem = tap == null ? null : Topology.addressProblem(tap, address);
            Holder first = problem == null ? addresses.putIfAbsent(address, self) : null;
            if (problem == null && first != null) {
                problem = Ipv4Address.format(address) + " is already the address of " + first.who() + " (line "
                        + Problems.line(first.node()) + "); expected a unique address per host, router and port";
            }
            if (problem != null) {
                problems.at(addressNode, problem);
            }
        }
        String device = PortSpec.DEFAULT_DEVICE;
        Node deviceNode = port.get("device");
        if (deviceNode != null) {
            device = text(deviceNode, "device", "an interface name, like " + PortSpec.DEFAULT_DEVICE);
            String problem = device == null ? null : TapSpec.deviceProblem(device);
            if (problem != null) {
                problems.at(deviceNode, problem);
            }
        }
        if (netns != null && device != null && netnsProblem == null && TapSpec.deviceProblem(device) == null) {
            // two ports cannot be one device: the second would take the first's place in the namespace
            Holder first = devices.putIfAbsent(netns + "/" + device, self);
            if (first != null) {
                problems.at(deviceNode != null ? deviceNode : netnsNode != null ? netnsNode : nameNode, device + " in netns "
                        + netns + " is already " + first.who() + " (line " + Problems.line(first.node())
                        + "); expected another device or netns");
            }
        }
        if (problems.count() != before) {
            return null;
        }
        return new PortSpec(name, netns, device, address);
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    /** {@code between: [tap, web]} or {@code [r1, web]}: the child node's name, or null when reported. */
    private String linkEnds(Node node, List<HostSpec> hosts) {
        String expected = "the two ends, a node and its parent, like [tap, web] or [r1, db]";
        if (!(node instanceof SequenceNode ends) || ends.getValue().size() != 2) {
            problems.at(node, "'between' is " + Section.describe(node) + "; expected " + expected);
            return null;
        }
        String a = text(ends.getValue().get(0), "between", expected);
        String b = text(ends.getValue().get(1), "between", expected);
        if (a == null || b == null) {
            return null;
        }
        boolean unknown = false;
        for (int i = 0; i < 2; i++) {
            String name = i == 0 ? a : b;
            if (!name.equals(HostSpec.RESERVED_NAME) && !isNode(hosts, name)) {
                if (!unread(name)) { // a node with mistakes of its own was reported where it is defined
                    problems.at(ends.getValue().get(i), "there is no " + (ports.isEmpty() ? "host or router" : "host, router or port")
                            + " named '" + name + "'; expected one of: " + String.join(", ", nodeNames(hosts)));
                }
                unknown = true;
            }
        }
        if (unknown) {
            return null;
        }
        String port = misplacedPort(a, b);
        if (port != null) {
            problems.at(node, notParentOfPort(a.equals(port) ? b : a, port) + "; expected between: [tap, " + port + "]");
            return null;
        }
        String child = childOf(hosts, a, b);
        if (child == null) {
            child = childOf(hosts, b, a);
        }
        if (child == null) {
            problems.at(node, "a link joins a node and its parent (tap, or the router whose subnet holds the node);"
                    + " '" + a + "' and '" + b + "' are not such a pair");
        }
        return child;
    }

    /** {@code child} when {@code parent} is its parent (tap, or the router whose subnet holds it); else null. */
    private String childOf(List<HostSpec> hosts, String parent, String child) {
        HostSpec host = hostNamed(hosts, child);
        Integer address = host != null ? Integer.valueOf(host.address())
                : routers.stream().filter(r -> r.name().equals(child)).map(RouterSpec::address).findFirst()
                        .orElse(ports.stream().filter(p -> p.name().equals(child)).map(PortSpec::address).findFirst().orElse(null));
        if (address == null) {
            return null;
        }
        String actualParent = routers.stream().filter(r -> r.contains(address)).map(RouterSpec::name).findFirst()
                .orElse(HostSpec.RESERVED_NAME);
        return actualParent.equals(parent) ? child : null;
    }

    /** The nodes' names for a message: every one, or the first {@value #NAMES_LISTED} and how many more. */
    private List<String> nodeNames(List<HostSpec> hosts) {
        List<String> names = new ArrayList<>();
        names.add(HostSpec.RESERVED_NAME);
        routers.forEach(r -> names.add(r.name()));
        hosts.forEach(h -> names.add(h.name()));
        ports.forEach(p -> names.add(p.name()));
        return listed(withUnread(names, "host, router or port"));
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

    /** The impairments a link entry gives; null when something was reported. */
    private tapnet.link.Impairments impairments(Section link, Node anchor) {
        int before = problems.count();
        tapnet.link.Impairments i = tapnet.link.Impairments.NONE;
        try {
            if (link.has("down")) {
                i = i.withDown(bool(link.get("down"), "down"));
            }
            if (link.has("mtu")) {
                i = i.withMtu((int) integer(link.get("mtu"), "mtu", tapnet.link.Impairments.MIN_MTU,
                        tapnet.link.Impairments.MAX_MTU, "an MTU from 68 to 65535", 1500));
            }
            Duration delay = optionalDuration(link, "delay", Duration.ZERO, tapnet.link.Impairments.MAX_DELAY, Duration.ZERO);
            Duration jitter = optionalDuration(link, "jitter", Duration.ZERO, tapnet.link.Impairments.MAX_DELAY, Duration.ZERO);
            double delayCorrelation = optionalFraction(link, "delayCorrelation");
            if (!delay.isZero() || !jitter.isZero()) {
                i = i.withDelay(delay, jitter, delayCorrelation);
            }
            if (link.has("distribution")) {
                Node node = link.get("distribution");
                String text = text(node, "distribution", "uniform, normal, pareto or paretonormal");
                if (text != null) {
                    try {
                        i = i.withDistribution(tapnet.link.DelayDistribution.valueOf(text.strip().toUpperCase(java.util.Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        problems.at(node, "'" + text + "' is not a delay distribution; expected uniform, normal, pareto"
                                + " or paretonormal");
                    }
                }
            }
            if (link.has("loss")) {
                i = i.withLoss(optionalFraction(link, "loss"), optionalFraction(link, "lossCorrelation"));
            }
            if (link.has("gemodel")) {
                Section ge = Section.read(link.get("gemodel"), link.keyNode("gemodel"), "gemodel", GEMODEL, problems);
                if (ge != null) {
                    i = i.withLoss(tapnet.link.LossModel.gilbertElliott(optionalFraction(ge, "p"),
                            ge.has("r") ? optionalFraction(ge, "r") : 1 - optionalFraction(ge, "p"),
                            ge.has("lossInBad") ? optionalFraction(ge, "lossInBad") : 1,
                            optionalFraction(ge, "lossInGood")));
                }
            }
            if (link.has("lossState")) {
                Section st = Section.read(link.get("lossState"), link.keyNode("lossState"), "lossState", LOSS_STATE, problems);
                if (st != null) {
                    i = i.withLoss(tapnet.link.LossModel.fourState(optionalFraction(st, "p13"),
                            st.has("p31") ? optionalFraction(st, "p31") : 1 - optionalFraction(st, "p13"),
                            optionalFraction(st, "p32"), optionalFraction(st, "p23"), optionalFraction(st, "p14")));
                }
            }
            if (link.has("duplicate")) {
                i = i.withDuplicate(optionalFraction(link, "duplicate"), optionalFraction(link, "duplicateCorrelation"));
            }
            if (link.has("reorder")) {
                i = i.withReorder(optionalFraction(link, "reorder"), optionalFraction(link, "reorderCorrelation"),
                        (int) optionalInteger(link, "gap", 0, Integer.MAX_VALUE, 0));
            }
            if (link.has("corrupt")) {
                i = i.withCorrupt(optionalFraction(link, "corrupt"), optionalFraction(link, "corruptCorrelation"));
            }
            if (link.has("rate")) {
                Node node = link.get("rate");
                String text = text(node, "rate", "a rate like 100mbit");
                long bits = 0;
                try {
                    bits = text == null ? 0 : Units.rate(text);
                } catch (IllegalArgumentException e) {
                    problems.at(node, e.getMessage());
                }
                i = i.withRate(bits, (int) optionalInteger(link, "overhead", -65535, 65535, 0));
                if (link.has("limit") || link.has("limitBytes")) {
                    i = i.withQueueLimit((int) optionalInteger(link, "limit", 1, 1 << 24, tapnet.link.Impairments.Rate.DEFAULT_LIMIT),
                            optionalSize(link, "limitBytes", 0, Long.MAX_VALUE, 0));
                }
            }
            if (link.has("slot")) {
                Section slot = Section.read(link.get("slot"), link.keyNode("slot"), "slot", SLOT, problems);
                if (slot != null) {
                    Duration min = optionalDuration(slot, "min", Duration.ZERO, tapnet.link.Impairments.MAX_DELAY, Duration.ZERO);
                    Duration max = slot.has("max")
                            ? optionalDuration(slot, "max", Duration.ZERO, tapnet.link.Impairments.MAX_DELAY, min) : min;
                    int packets = (int) optionalInteger(slot, "packets", 0, 1 << 24, 0);
                    long bytes = optionalSize(slot, "bytes", 0, Long.MAX_VALUE, 0);
                    if (packets == 0 && bytes == 0) {
                        problems.at(link.keyNode("slot"), "a slot needs packets or bytes, how much one slot carries;"
                                + " expected slot: { min: 10ms, packets: 4 }");
                    } else {
                        i = i.withSlot(new tapnet.link.Impairments.Slot(min, max, packets, bytes));
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            problems.at(anchor, e.getMessage());
        }
        return problems.count() == before ? i : null;
    }

    /** An optional percentage, 0 when absent. */
    private double optionalFraction(Section section, String key) {
        if (!section.has(key)) {
            return 0;
        }
        Node node = section.get(key);
        String text = text(node, key, "a percentage, like 1% or 0.5%");
        if (text == null) {
            return 0;
        }
        try {
            return Units.fraction(text);
        } catch (IllegalArgumentException e) {
            problems.at(node, e.getMessage());
            return 0;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // scalars
    // ------------------------------------------------------------------------------------------------

    /** The text of a scalar; when the value is missing, a list or a mapping, reports that and gives null. */
    String text(Node node, String key, String expected) {
        if (node instanceof ScalarNode scalar && !Section.isNull(node)) {
            return scalar.getValue();
        }
        problems.at(node, "'" + key + "' " + (Section.isNull(node) ? "has no value" : "is " + Section.describe(node))
                + "; expected " + expected);
        return null;
    }

    /** A whole number in [min, max]; {@code fallback} when reported. */
    long integer(Node node, String key, long min, long max, String expected, long fallback) {
        String text = text(node, key, expected);
        if (text == null) {
            return fallback;
        }
        String trimmed = text.strip();
        if (!WHOLE_NUMBER.matcher(trimmed).matches()) {
            problems.at(node, "'" + text + "' is not a whole number; expected " + expected);
            return fallback;
        }
        BigInteger value = new BigInteger(trimmed);
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            problems.at(node, key + " " + trimmed + " is out of range; expected " + expected);
            return fallback;
        }
        return value.longValueExact();
    }

    private long optionalInteger(Section section, String key, long min, long max, long fallback) {
        return section.has(key) ? integer(section.get(key), key, min, max, "a whole number from " + min + " to " + max, fallback) : fallback;
    }

    private long optionalSize(Section section, String key, long min, long max, long fallback) {
        if (!section.has(key)) {
            return fallback;
        }
        Node node = section.get(key);
        String text = text(node, key, "a size, like 1500 or 64KiB");
        if (text == null) {
            return fallback;
        }
        long size;
        try {
            size = Units.size(text);
        } catch (IllegalArgumentException e) {
            problems.at(node, e.getMessage());
            return fallback;
        }
        if (size < min || size > max) {
            problems.at(node, key + " " + text + " is out of range; expected " + Units.formatSize(min) + " to " + Units.formatSize(max));
            return fallback;
        }
        return size;
    }

    private Duration optionalDuration(Section section, String key, Duration min, Duration max, Duration fallback) {
        if (!section.has(key)) {
            return fallback;
        }
        Node node = section.get(key);
        String text = text(node, key, "a duration, like 200ms or 1.5s");
        if (text == null) {
            return fallback;
        }
        Duration duration;
        try {
            duration = Units.duration(text);
        } catch (IllegalArgumentException e) {
            problems.at(node, e.getMessage());
            return fallback;
        }
        if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
            problems.at(node, key + " " + text + " is out of range; expected " + Units.format(min) + " to " + Units.format(max));
            return fallback;
        }
        return duration;
    }

    boolean bool(Node node, String key) {
        String text = text(node, key, "true or false");
        if (text == null) {
            return false;
        }
        switch (text) {
            case "true", "True", "TRUE":
                return true;
            case "false", "False", "FALSE":
                return false;
            default:
                problems.at(node, "'" + text + "' is not true or false; expected true or false");
                return false;
        }
    }

    /** Dotted-quad text as an address; reports and gives null when it is not one. */
    Integer ipv4(Node node, String text) {
        try {
            return Ipv4Address.parse(text);
        } catch (IllegalArgumentException e) {
            problems.at(node, "'" + text.strip() + "' is not an IPv4 address; expected four numbers from 0 to 255, like 10.77.0.10");
            return null;
        }
    }

    private static List<String> withLast(List<String> list, String last) {
        List<String> all = new ArrayList<>(list);
        all.add(last);
        return List.copyOf(all);
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return List.copyOf(all);
    }
}
