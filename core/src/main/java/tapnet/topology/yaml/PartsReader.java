package tapnet.topology.yaml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import tapnet.topology.Address6;
import tapnet.topology.HostSpec;
import tapnet.topology.PartSpec;
import tapnet.wire.Ipv4Address;

/**
 * Reads {@code parts: { east: { nodes: [web, r1], underlay: 192.168.50.1 }, west: { ... } }}: a topology
 * split over several runs joined by VXLAN. Every host, router and port is in exactly one part; underlay
 * addresses are one per part and no segment's remote; and some segment must have a {@code vxlan:} for the
 * parts to join over. Read after the nodes it names and the segments' vxlans ({@link VxlanReader}).
 */
final class PartsReader {
    static final Section.Keys PART = new Section.Keys("a part", List.of("nodes", "underlay", "tap", "tap6"));
    private static final String EXAMPLE = "parts: { east: { nodes: [web], underlay: 192.168.50.1 } }";

    private final Problems problems;
    private final Scalars scalars;
    private final KnownNodes nodes;
    private final VxlanReader vxlans;
    /** Whether a part's nodes could not be read (reported): then a node may be in it, and none is said to be in none. */
    private boolean nodesUnknown;

    PartsReader(Problems problems, Scalars scalars, KnownNodes nodes, VxlanReader vxlans) {
        this.problems = problems;
        this.scalars = scalars;
        this.nodes = nodes;
        this.vxlans = vxlans;
    }

    /** Where a name or address was taken first, to report the second. */
    private record First(String part, Node node) {
    }

    /**
     * The parts that read. {@code keyNode} is the {@code parts} key, where mistakes of the whole are
     * reported; {@code segmentsRead} is false when the TAP or a router did not read (a vxlan may be among them).
     */
    List<PartSpec> read(Node value, Node keyNode, boolean segmentsRead) {
        if (!(value instanceof MappingNode mapping) || mapping.getValue().isEmpty()) {
            problems.at(value, "'parts' is " + (value instanceof MappingNode ? "empty" : Section.describe(value))
                    + "; expected a mapping from part names to parts, like " + EXAMPLE);
            return List.of();
        }
        if (segmentsRead && vxlans.segments().isEmpty()) {
            problems.at(keyNode, "parts join over VXLAN, and no segment has a vxlan; expected one on the TAP's segment or"
                    + " a router's subnet, like tap: { address: 10.77.0.1/24, vxlan: { vni: 42 } }");
        }
        Map<String, First> partOf = new HashMap<>();
        Map<Integer, First> underlays = new HashMap<>();
        List<PartSpec> read = new ArrayList<>();
        for (NodeTuple entry : Section.uniqueEntries(mapping, "parts", problems).values()) {
            PartSpec part = part(entry.getKeyNode(), entry.getValueNode(), partOf, underlays);
            if (part != null) {
                read.add(part);
            }
        }
        List<String> missing = nodes.linkedNodes().stream().filter(n -> !partOf.containsKey(n)).toList();
        if (!missing.isEmpty() && !nodesUnknown) {
            problems.at(keyNode, String.join(", ", KnownNodes.listed(missing)) + (missing.size() == 1 ? " is" : " are")
                    + " in no part; expected every host, router and port in one part's nodes");
        }
        return read;
    }

    private PartSpec part(Node nameNode, Node value, Map<String, First> partOf, Map<Integer, First> underlays) {
        int before = problems.count();
        String name = ((ScalarNode) nameNode).getValue();
        String nameProblem = PartSpec.nameProblem(name);
        if (nameProblem != null) {
            problems.at(nameNode, nameProblem);
        }
        Section part = Section.read(value, nameNode, "part '" + name + "'", PART, problems);
        if (part == null) {
            nodesUnknown = true;
            return null;
        }
        Node nodesNode = part.require("nodes", "the hosts, routers and ports it plays, like nodes: [web, r1]");
        nodesUnknown |= nodesNode == null;
        List<String> members = nodesNode == null ? List.of() : members(nodesNode, name, partOf);
        Node underlayNode = part.require("underlay", "its IPv4 address on the underlay, like underlay: "
                + VxlanReader.UNDERLAY_EXAMPLE);
        Integer underlay = underlayNode == null ? null : vxlans.underlay(underlayNode, "underlay");
        if (underlay != null) {
            String text = Ipv4Address.format(underlay);
            First first = underlays.putIfAbsent(underlay, new First(name, underlayNode));
            if (first != null) {
                problems.at(underlayNode, text + " is already part '" + first.part() + "''s underlay (line "
                        + Problems.line(first.node()) + "); expected an underlay address per part");
            }
            for (VxlanReader.Segment segment : vxlans.segments()) {
                if (segment.spec().remotes().contains(underlay)) {
                    problems.at(underlayNode, text + " is also a remote of " + segment.segment() + "'s vxlan (line "
                            + Problems.line(segment.where()) + "); expected it left out of remotes, parts reach each other"
                            + " without them");
                }
            }
        }
        // each part's kernel needs addresses of its own on the one segment; one part may keep the file's tap.address
        Integer tap = part.has("tap") ? scalars.ipv4(part.get("tap"), "tap", "the kernel's IPv4 address on this part's TAP,"
                + " like tap: 10.77.0.2") : Integer.valueOf(0);
        Address6 tap6 = part.has("tap6") ? scalars.ipv6(part.get("tap6"), "tap6", "fd77::2") : null;
        return problems.count() != before || members.isEmpty() ? null
                : new PartSpec(name, members, underlay, tap == null ? 0 : tap, tap6);
    }

    /** The nodes of part {@code part}, each a host, router or port in no other part. */
    private List<String> members(Node node, String part, Map<String, First> partOf) {
        if (!(node instanceof SequenceNode list) || list.getValue().isEmpty()) {
            nodesUnknown |= !(node instanceof SequenceNode);
            problems.at(node, "'nodes' is " + (node instanceof SequenceNode ? "empty" : Section.describe(node))
                    + "; expected a list of the hosts, routers and ports part '" + part + "' plays, like nodes: [web, r1]");
            return List.of();
        }
        List<String> members = new ArrayList<>();
        for (Node item : list.getValue()) {
            String name = scalars.text(item, "nodes", "the name of a host, router or port");
            if (name == null || nodes.unread(name) && !nodes.isNode(name)) {
                continue; // reported, here or where the node is defined
            }
            if (name.equals(HostSpec.RESERVED_NAME)) {
                problems.at(item, "tap is the kernel's side of the TAP, which every part has; expected hosts, routers and ports");
            } else if (!nodes.isNode(name)) {
                problems.at(item, "'" + name + "' is not a host, router or port; expected one of: "
                        + String.join(", ", KnownNodes.listed(nodes.withUnread(nodes.linkedNodes(), "host, router or port"))));
            } else {
                First first = partOf.putIfAbsent(name, new First(part, item));
                if (first != null) {
                    problems.at(item, name + " is already in part '" + first.part() + "' (line " + Problems.line(first.node())
                            + "); expected each node in one part");
                } else {
                    members.add(name);
                }
            }
        }
        return members;
    }
}
