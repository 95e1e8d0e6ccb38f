package tapnet.topology.yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import tapnet.link.Impairments;
import tapnet.topology.HostSpec;
import tapnet.topology.LinkChange;
import tapnet.topology.LinkSpec;

/**
 * Reads {@code links: [ { between: [tap, web], delay: 20ms }, { from: web, to: tap, rate: 10mbit } ]}: which
 * node's link to its parent each entry is about, in which directions, and (through {@link ImpairmentsReader})
 * what it does. One entry reads the same in a file, in a script's {@code link:} event and from
 * {@code tapnet ctl link}; its ends are checked against the nodes known.
 */
final class LinksReader {
    static final Section.Keys LINK = new Section.Keys("a link",
            Section.concat(List.of("between", "from", "to"), ImpairmentsReader.IMPAIRMENTS));

    private final Problems problems;
    private final Scalars scalars;
    private final KnownNodes nodes;
    private final ImpairmentsReader impairments;

    LinksReader(Problems problems, Scalars scalars, KnownNodes nodes) {
        this.problems = problems;
        this.scalars = scalars;
        this.nodes = nodes;
        this.impairments = new ImpairmentsReader(problems, scalars);
    }

    /** The links of a file, one per node whose link is given: each direction given once at most. */
    List<LinkSpec> read(Node node) {
        if (!(node instanceof SequenceNode list)) {
            problems.at(node, "'links' is " + Section.describe(node) + "; expected a list of links, like"
                    + " [ { between: [tap, web], delay: 20ms, loss: 1% } ]");
            return List.of();
        }
        Map<String, Impairments[]> byNode = new LinkedHashMap<>();
        for (Node item : list.getValue()) {
            LinkChange link = link(item);
            if (link == null) {
                continue;
            }
            Impairments[] directions = byNode.computeIfAbsent(link.node(), h -> new Impairments[2]);
            if ((link.towardNode() && directions[0] != null) || (link.towardParent() && directions[1] != null)) {
                problems.at(item, "the link of " + (nodes.isPort(link.node()) ? "port " : "host ") + link.node() + " is given twice"
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
        byNode.forEach((name, d) -> links.add(new LinkSpec(name,
                d[0] == null ? Impairments.NONE : d[0], d[1] == null ? Impairments.NONE : d[1])));
        return links;
    }

    /** One entry of {@code links:}: which node's link, which directions, and what they do; null when reported. */
    LinkChange link(Node item) {
        Section link = Section.read(item, item, "this link", LINK, problems);
        if (link == null) {
            return null;
        }
        String node = null;
        boolean towardNode = false;
        boolean towardParent = false;
        if (link.has("between")) {
            if (link.has("from") || link.has("to")) {
                problems.at(link.keyNode("between"), "a link has 'between' (both directions) or 'from' and 'to' (one),"
                        + " not both");
            } else {
                node = between(link.get("between"));
                towardNode = towardParent = true;
            }
        } else if (link.has("from") && link.has("to")) {
            String from = scalars.text(link.get("from"), "from", "tap, a router's or a host's name");
            String to = scalars.text(link.get("to"), "to", "tap, a router's or a host's name");
            String port = from == null || to == null ? null : misplacedPort(from, to);
            if (from == null || to == null || nodes.unread(from) || nodes.unread(to)) {
                node = null; // reported, or a node whose own mistakes were: the pair cannot be judged
            } else if (port != null) {
                problems.at(item, notParentOfPort(from.equals(port) ? to : from, port) + "; expected from: tap and to: "
                        + port + ", or from: " + port + " and to: tap");
            } else {
                String childOfTo = childOf(from, to);
                String childOfFrom = childOf(to, from);
                if (childOfTo == null && childOfFrom == null) {
                    problems.at(item, "a link joins a node and its parent (tap, or the router whose subnet holds the"
                            + " node); '" + from + "' and '" + to + "' are not such a pair");
                } else {
                    node = childOfTo != null ? childOfTo : childOfFrom;
                    towardNode = childOfTo != null; // from the parent down to the node
                    towardParent = !towardNode;
                }
            }
        } else {
            problems.at(item, "this link says neither 'between: [PARENT, NODE]' nor 'from' and 'to'; expected one of them");
        }
        // What the link does is read whatever its ends: its mistakes are its own
        Impairments does = impairments.read(link, item);
        return does == null || node == null ? null : new LinkChange(node, towardNode, towardParent, does);
    }

    /** {@code between: [tap, web]} or {@code [r1, web]}: the child node's name, or null when reported. */
    private String between(Node node) {
        String expected = "the two ends, a node and its parent, like [tap, web] or [r1, db]";
        if (!(node instanceof SequenceNode ends) || ends.getValue().size() != 2) {
            problems.at(node, "'between' is " + Section.describe(node) + "; expected " + expected);
            return null;
        }
        String a = scalars.text(ends.getValue().get(0), "between", expected);
        String b = scalars.text(ends.getValue().get(1), "between", expected);
        if (a == null || b == null) {
            return null;
        }
        boolean unknown = false;
        for (int i = 0; i < 2; i++) {
            String name = i == 0 ? a : b;
            if (!name.equals(HostSpec.RESERVED_NAME) && !nodes.isNode(name)) {
                if (!nodes.unread(name)) { // a node with mistakes of its own was reported where it is defined
                    problems.at(ends.getValue().get(i), "there is no " + (nodes.ports().isEmpty() ? "host or router" : "host, router or port")
                            + " named '" + name + "'; expected one of: " + String.join(", ", nodes.nodeNames()));
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
        String child = childOf(a, b);
        if (child == null) {
            child = childOf(b, a);
        }
        if (child == null) {
            problems.at(node, "a link joins a node and its parent (tap, or the router whose subnet holds the node);"
                    + " '" + a + "' and '" + b + "' are not such a pair");
        }
        return child;
    }

    /** {@code child} when {@code parent} is its parent (tap, or the router whose subnet holds it); else null. */
    private String childOf(String parent, String child) {
        Integer address = nodes.addressOf(child);
        return address != null && nodes.parentAt(address).equals(parent) ? child : null;
    }

    /** A port hangs off the TAP's segment, so the other end of its link is tap: the port's name when it is not. */
    private String misplacedPort(String a, String b) {
        if (nodes.isPort(a) && !b.equals(HostSpec.RESERVED_NAME)) {
            return a;
        }
        return nodes.isPort(b) && !a.equals(HostSpec.RESERVED_NAME) ? b : null;
    }

    private static String notParentOfPort(String other, String port) {
        return "'" + other + "' is not the parent of port '" + port + "': a port's parent is the TAP's segment";
    }
}
