package tapnet.engine;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tapnet.node.HostTable;
import tapnet.node.VirtualHost;
import tapnet.route.NodeTree;
import tapnet.segment.Partition;
import tapnet.segment.Segment;

/**
 * Turns a partition given by node names into the groups of devices and host-table entries the segment's
 * {@link Partition} decides by: a router's group takes in the nodes behind it that no group names.
 */
final class PartitionGroups {
    private PartitionGroups() {
    }

    /** Sets {@code partition} to {@code groups}; throws naming a node that does not exist, or one in two groups. */
    static void apply(List<? extends Collection<String>> groups, Segment wire, HostTable hosts, NodeTree tree,
                      Partition partition) {
        int[] deviceGroups = new int[wire.devices()];
        int[] hostGroups = new int[hosts.size()];
        Set<String> seen = new HashSet<>();
        java.util.Map<String, Integer> remoteGroups = new java.util.HashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            for (String name : groups.get(g)) {
                if (!seen.add(name)) {
                    throw new IllegalArgumentException(name + " is in two groups of the partition");
                }
                int device = wire.device(name);
                VirtualHost host = hosts.byName(name);
                if (device < 0 && host == null && !partition.remoteNodes().has(name)) {
                    throw new IllegalArgumentException("no node " + name + " to partition (tap, a port, a host or a router)");
                }
                if (device == Segment.TAP || device < 0 && host == null) {
                    remoteGroups.put(name, g + 1); // another part's node; or tap, every part's kernel
                }
                if (device >= 0) {
                    deviceGroups[device] = g + 1;
                } else if (host != null) {
                    for (VirtualHost entry : tree.entriesOf(host)) {
                        hostGroups[entry.index()] = g + 1;
                    }
                }
            }
        }
        for (int entry = 0; entry < hostGroups.length; entry++) { // behind a router: in its group, unless named
            for (int up = tree.parentOf(entry); hostGroups[entry] == 0 && up >= 0; up = tree.parentOf(up)) {
                hostGroups[entry] = hostGroups[up];
            }
        }
        partition.set(deviceGroups, hostGroups, remoteGroups);
    }
}
