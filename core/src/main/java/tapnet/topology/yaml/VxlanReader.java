package tapnet.topology.yaml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import tapnet.topology.PortSpec;
import tapnet.topology.Topology;
import tapnet.topology.VxlanSpec;
import tapnet.wire.Ipv4Address;

/**
 * Reads a segment's {@code vxlan: { vni: 42, local: 192.168.50.1, remotes: [192.168.50.2], port: 4789,
 * netns: underlay }}, under {@code tap:} or a router. In a file with {@code parts:} each part's underlay
 * address is the local one, so {@code local} is left out and {@code remotes} may be. One reader serves every
 * segment of a file, to find a VNI given twice and to let {@link PartsReader} check remotes against parts.
 */
final class VxlanReader {
    static final Section.Keys VXLAN = new Section.Keys("vxlan", List.of("vni", "local", "remotes", "port", "netns"));
    static final String UNDERLAY_EXAMPLE = "192.168.50.1";
    private static final String VNI_EXPECTED = "a VNI from " + VxlanSpec.MIN_VNI + " to " + VxlanSpec.MAX_VNI + " (24 bits), like 42";

    /** A segment's vxlan as read: {@code segment} names it in messages ("the TAP's segment"). */
    record Segment(String segment, VxlanSpec spec, Node where) {
    }

    private final Problems problems;
    private final Scalars scalars;
    private final boolean parted;
    private final Map<Integer, Segment> byVni = new HashMap<>();
    private final List<Segment> read = new ArrayList<>();
    private boolean anyUnread;

    /** @param parted whether the file has {@code parts:} */
    VxlanReader(Problems problems, Scalars scalars, boolean parted) {
        this.problems = problems;
        this.scalars = scalars;
        this.parted = parted;
    }

    /** Whether a segment's vxlan had mistakes (reported): then {@link #segments} may lack one the file gives. */
    boolean anyUnread() {
        return anyUnread;
    }

    /** The segments read so far, in the file's order. */
    List<Segment> segments() {
        return read;
    }

    /** The vxlan of {@code segment} ("the TAP's segment", "router r1's subnet"); null when reported. */
    VxlanSpec read(Node value, Node keyNode, String segment) {
        VxlanSpec spec = vxlan(value, keyNode, segment);
        anyUnread |= spec == null;
        return spec;
    }

    private VxlanSpec vxlan(Node value, Node keyNode, String segment) {
        int before = problems.count();
        Section vxlan = Section.read(value, keyNode, "the vxlan of " + segment, VXLAN, problems);
        if (vxlan == null) {
            return null;
        }
        Node vniNode = vxlan.require("vni", "its VXLAN network identifier, " + VNI_EXPECTED);
        int vni = vniNode == null ? -1 : (int) scalars.integer(vniNode, "vni", VxlanSpec.MIN_VNI, VxlanSpec.MAX_VNI, VNI_EXPECTED, -1);
        int local = VxlanSpec.FROM_PART;
        if (parted && vxlan.has("local")) {
            problems.at(vxlan.keyNode("local"), "with parts:, each part's underlay address is the local one; expected no"
                    + " 'local' here (give each part its underlay, like underlay: " + UNDERLAY_EXAMPLE + ")");
        } else if (!parted) {
            Node localNode = vxlan.require("local", "this run's IPv4 address on the underlay, like local: " + UNDERLAY_EXAMPLE);
            Integer address = localNode == null ? null : underlay(localNode, "local");
            local = address == null ? VxlanSpec.FROM_PART : address;
        }
        List<Integer> remotes = parted && !vxlan.has("remotes") ? List.of()
                : remotes(vxlan.require("remotes", "the underlay addresses of the other ends, like remotes: [192.168.50.2]"), local);
        int port = vxlan.has("port") ? (int) scalars.integer(vxlan.get("port"), "port", 1, 65535,
                "a UDP port from 1 to 65535 (" + VxlanSpec.DEFAULT_PORT + ", IANA's VXLAN port, when not given)",
                VxlanSpec.DEFAULT_PORT) : VxlanSpec.DEFAULT_PORT;
        String netns = vxlan.has("netns") ? netns(vxlan.get("netns")) : null;
        if (problems.count() != before) {
            return null;
        }
        VxlanSpec spec = new VxlanSpec(vni, local, remotes, port, netns);
        Segment self = new Segment(segment, spec, vniNode);
        Segment first = byVni.putIfAbsent(vni, self);
        if (first != null) {
            problems.at(vniNode, "vni " + vni + " is already " + first.segment() + "'s (line " + Problems.line(first.where())
                    + "); expected a VNI per segment");
            return null;
        }
        if (!read.isEmpty() && !sameUnderlay(read.get(0).spec(), spec)) {
            Segment one = read.get(0);
            problems.at(keyNode, "the vxlan of " + segment + " has another underlay than " + one.segment() + "'s (line "
                    + Problems.line(one.where()) + "): every segment goes through one UDP socket, as the kernel's vxlan"
                    + " devices share one per port; expected the same local, port and netns");
            return null;
        }
        read.add(self);
        return spec;
    }

    private static boolean sameUnderlay(VxlanSpec one, VxlanSpec other) {
        return one.local() == other.local() && one.port() == other.port() && java.util.Objects.equals(one.netns(), other.netns());
    }

    /** The remotes, each once and none the local address; empty when reported. */
    private List<Integer> remotes(Node node, int local) {
        if (node == null) {
            return List.of();
        }
        if (!(node instanceof SequenceNode list)) {
            problems.at(node, "'remotes' is " + Section.describe(node) + "; expected a list of underlay addresses, like"
                    + " remotes: [192.168.50.2]");
            return List.of();
        }
        if (list.getValue().isEmpty() && !parted) {
            problems.at(node, "no remotes; expected at least one underlay address of another end, like remotes: [192.168.50.2]");
        }
        List<Integer> remotes = new ArrayList<>();
        for (Node item : list.getValue()) {
            Integer remote = underlay(item, "remotes");
            if (remote == null) {
                continue;
            }
            String text = Ipv4Address.format(remote);
            if (remote == local) {
                problems.at(item, text + " is the local address; expected the addresses of the other ends");
            } else if (remotes.contains(remote)) {
                problems.at(item, text + " appears twice in remotes; expected each remote once");
            } else {
                remotes.add(remote);
            }
        }
        return remotes;
    }

    /** An IPv4 unicast address on the underlay under {@code key}; null when reported. */
    Integer underlay(Node node, String key) {
        String expected = "an IPv4 address on the underlay, like " + UNDERLAY_EXAMPLE;
        String text = scalars.text(node, key, expected);
        if (text == null) {
            return null;
        }
        if (text.contains(":")) {
            problems.at(node, "'" + text.strip() + "' is not an IPv4 address (IPv6 underlays are not read yet); expected "
                    + expected);
            return null;
        }
        Integer address = scalars.ipv4(node, text);
        int first = address == null ? 0 : address >>> 24;
        if (address != null && (first == 0 || first >= 224)) {
            problems.at(node, Ipv4Address.format(address) + " is not a unicast address; expected " + expected);
            return null;
        }
        return address;
    }

    private String netns(Node node) {
        String netns = scalars.text(node, "netns", "the network namespace the underlay is in, like underlay");
        if (netns == null) {
            return null;
        }
        String problem = netns.contains(PortSpec.RUN)
                ? "'" + netns + "' names the run; expected a namespace that holds the underlay already, like underlay"
                : Topology.netnsProblem(netns.replace(VxlanSpec.PART, "p"));
        if (problem != null) {
            problems.at(node, problem);
            return null;
        }
        return netns;
    }
}
