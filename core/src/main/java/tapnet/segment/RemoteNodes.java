package tapnet.segment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tapnet.collections.LongLongHashMap;

/**
 * The nodes other runs play, in a run of one part of a split topology: their names and the addresses
 * (IPv4, and IPv6 handles) their frames carry across VXLAN, so that a partition that names them cuts their
 * frames here too. A node behind a router is in the router's group unless a group names it, as at home.
 * Built before the engine starts; read on the engine thread.
 */
public final class RemoteNodes {
    /** What the other parts' kernels are called in a partition: each part's TAP is {@code tap}. */
    public static final String TAP = "tap";

    private record Node(String name, String parent, int[] addresses) {
    }

    private final List<Node> nodes = new ArrayList<>();
    /** The first node of each name (every part's kernel is {@code tap}): for parents and names, without a scan. */
    private final Map<String, Node> byName = new HashMap<>();

    /** A node another part plays: {@code parent} the router it is behind, null on the TAP's segment. */
    public void add(String name, String parent, int... addresses) {
        Node node = new Node(name, parent, addresses.clone());
        nodes.add(node);
        byName.putIfAbsent(name, node);
    }

    /** Whether there are any: this run plays one part of a split topology. */
    public boolean any() {
        return !nodes.isEmpty();
    }

    /** Whether a node of another part is called {@code name} (never one this run plays; {@code tap} is every part's). */
    public boolean has(String name) {
        return byName.containsKey(name);
    }

    /**
     * Each remote address's group (missing: in none), given the groups by node name ({@code tap}'s too,
     * which takes in the other parts' kernels).
     */
    LongLongHashMap groups(Map<String, Integer> groupOfName) {
        LongLongHashMap groups = new LongLongHashMap(Math.max(16, nodes.size() * 2), 0);
        for (Node node : nodes) {
            int group = groupOf(node, groupOfName);
            if (group != 0) {
                for (int address : node.addresses) {
                    groups.put(address & 0xffff_ffffL, group);
                }
            }
        }
        return groups;
    }

    private int groupOf(Node node, Map<String, Integer> groupOfName) {
        for (Node at = node; at != null; at = at.parent == null ? null : byName.get(at.parent)) {
            Integer group = groupOfName.get(at.name);
            if (group != null) {
                return group;
            }
        }
        return 0;
    }
}
