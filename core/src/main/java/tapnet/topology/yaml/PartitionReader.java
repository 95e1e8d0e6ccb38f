package tapnet.topology.yaml;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import tapnet.topology.HostSpec;

/**
 * Reads a partition, {@code [[tap, left], [right, web]]}: groups of nodes ({@code tap}, hosts, routers, ports)
 * to be cut off from each other, each node in one group at most. A script's {@code partition:} events and
 * {@code tapnet ctl partition} give them alike; names are checked against the nodes known.
 */
final class PartitionReader {
    private final Problems problems;
    private final Scalars scalars;
    private final KnownNodes nodes;

    PartitionReader(Problems problems, Scalars scalars, KnownNodes nodes) {
        this.problems = problems;
        this.scalars = scalars;
        this.nodes = nodes;
    }

    /** The groups; null when anything was reported. */
    List<List<String>> read(Node node) {
        String example = "a list of groups of nodes, like [[tap, web], [db]]";
        if (!(node instanceof SequenceNode groups) || groups.getValue().isEmpty()) {
            problems.at(node, "a partition is " + Section.describe(node) + "; expected " + example);
            return null;
        }
        Set<String> known = new LinkedHashSet<>();
        known.add(HostSpec.RESERVED_NAME);
        known.addAll(nodes.linkedNodes());
        Set<String> seen = new HashSet<>();
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
                String name = scalars.text(member, "a group", "a node's name");
                if (name == null) {
                    sound = false;
                } else if (!known.contains(name)) {
                    if (!nodes.unread(name)) {
                        problems.at(member, "there is no node named '" + name + "'; expected one of: "
                                + String.join(", ", KnownNodes.listed(nodes.withUnread(known, "host, router or port"))));
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
}
