package tapnet.topology.yaml;

import java.util.List;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import tapnet.tcp.TcpConfig;
import tapnet.topology.DnsSpec;
import tapnet.topology.HostSpec;
import tapnet.topology.LinkChange;
import tapnet.topology.LinkSpec;
import tapnet.topology.PartSpec;
import tapnet.topology.PortSpec;
import tapnet.topology.RouterSpec;
import tapnet.topology.Script;
import tapnet.topology.TapSpec;
import tapnet.topology.Topology;

/**
 * Turns the YAML tree of a topology file into a {@link Topology}: reads its name and seed, and has each
 * section read by its reader, in the order their checks need (the TAP, then routers, hosts, ports, parts, links,
 * and the script against them all). It reads on after an error, so one run reports as much as it can; a
 * part that failed is left out of later checks that depend on it (hosts are not checked against a TAP that
 * did not parse). It also reads the two documents {@code tapnet ctl} sends alone, a link entry and a
 * partition, against a topology read before.
 */
final class TopologyReader {
    static final Section.Keys TOPOLOGY = new Section.Keys("a topology",
            List.of("name", "seed", "tap", "tcp", "routers", "ports", "hosts", "links", "dns", "script", "parts"));
    /** The keys of a link entry, which {@code tapnet ctl link} sends alone (see {@link #readLink}). */
    static final Section.Keys LINK = LinksReader.LINK;

    private static final int MAX_NAME_LENGTH = 100;

    private final Problems problems;
    private final Scalars scalars;
    private final String defaultName;

    TopologyReader(Problems problems, String defaultName) {
        this.problems = problems;
        this.scalars = new Scalars(problems);
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
                ? scalars.integer(top.get("seed"), "seed", Long.MIN_VALUE, Long.MAX_VALUE, "a seed like 42 (any 64-bit whole number)", 0)
                : 0;
        Node tapNode = top.require("tap", "the kernel's side of the TAP, like tap: { address: 10.77.0.1/24 }");
        VxlanReader vxlans = new VxlanReader(problems, scalars, top.has("parts"));
        TapSpec tap = tapNode == null ? null : new TapReader(problems, scalars, vxlans).read(tapNode, top.keyNode("tap"));
        int mtu = tap == null ? TapSpec.DEFAULT_MTU : tap.mtu();
        TcpConfig tcp = new TcpReader(problems, scalars).read(top.get("tcp"), top.keyNode("tcp"), mtu);
        // Routers and ports are read without a TAP too (their own mistakes, their names), checked against it with one.
        KnownNodes nodes = new KnownNodes();
        List<RouterSpec> routers = top.has("routers")
                ? new RoutersReader(problems, scalars, nodes, vxlans).read(top.get("routers"), tap) : List.of();
        nodes.routersRead(routers);
        Node hostsNode = top.require("hosts", "the virtual hosts, like hosts: { web: { address: 10.77.0.10 } }");
        List<HostSpec> hosts = hostsNode == null ? List.of()
                : new HostsReader(problems, scalars, nodes).read(hostsNode, top.keyNode("hosts"), tap);
        nodes.hostsRead(hosts);
        List<PortSpec> ports = top.has("ports") ? new PortsReader(problems, scalars, nodes).read(top.get("ports"), tap, hosts) : List.of();
        nodes.portsRead(ports);
        // a TAP or router that did not read may have had a vxlan: then parts are not said to lack one
        boolean segmentsRead = tap != null && !vxlans.anyUnread() && (!(top.get("routers") instanceof MappingNode given)
                ? !top.has("routers") : routers.size() == given.getValue().size());
        List<PartSpec> parts = top.has("parts")
                ? new PartsReader(problems, scalars, nodes, vxlans).read(top.get("parts"), top.keyNode("parts"), segmentsRead)
                : List.of();
        List<LinkSpec> links = top.has("links") ? new LinksReader(problems, scalars, nodes).read(top.get("links")) : List.of();
        DnsSpec dns = top.has("dns")
                ? new DnsReader(problems, scalars).read(top.get("dns"), top.keyNode("dns"), tap, hosts, routers, ports) : null;
        if (problems.any()) {
            if (top.has("script")) { // read whole, against the nodes that read; names of broken ones pass unremarked
                new ScriptReader(problems, scalars, nodes, null).read(top.get("script"), top.keyNode("script"));
            }
            return null;
        }
        Topology topology;
        try {
            topology = new Topology(name, seed, tap, tcp, hosts, links, routers, ports, null, dns, parts);
        } catch (IllegalArgumentException e) { // the checks above should have caught it; never lose it though
            problems.at(root, e.getMessage());
            return null;
        }
        if (!top.has("script")) {
            return topology;
        }
        Script script = new ScriptReader(problems, scalars, nodes, topology).read(top.get("script"), top.keyNode("script"));
        return script == null || problems.any() ? null
                : new Topology(name, seed, tap, tcp, hosts, links, routers, ports, script, dns, parts);
    }

    /**
     * One link entry, {@code { between: [tap, web], delay: 20ms }} or {@code { from: web, to: tap, ... }},
     * read against {@code topology}'s nodes: for {@code tapnet ctl link}, which changes a running link.
     * Null when anything was reported.
     */
    LinkChange readLink(Node item, Topology topology) {
        return new LinksReader(problems, scalars, KnownNodes.of(topology)).link(item);
    }

    /**
     * A partition, {@code [[tap, left], [right, web]]}, against {@code topology}'s nodes: for {@code tapnet ctl
     * partition}. Null when anything was reported.
     */
    List<List<String>> readPartition(Node node, Topology topology) {
        return new PartitionReader(problems, scalars, KnownNodes.of(topology)).read(node);
    }

    private String topologyName(Node node) {
        String text = scalars.text(node, "name", "a short name, like shop");
        if (text == null) {
            return defaultName;
        }
        if (text.isBlank() || text.length() > MAX_NAME_LENGTH || text.chars().anyMatch(Character::isISOControl)) {
            problems.at(node, "'" + text + "' is not a topology name; expected one line of 1 to " + MAX_NAME_LENGTH
                    + " characters, like shop");
        }
        return text;
    }
}
