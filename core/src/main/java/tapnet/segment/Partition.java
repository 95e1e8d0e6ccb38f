package tapnet.segment;

import java.util.Arrays;
import tapnet.collections.LongLongHashMap;
import tapnet.node.HostTable;
import tapnet.node.VirtualHost;
import tapnet.wire.FrameAddresses;

/**
 * Groups of nodes cut off from each other: a frame whose sender and receiver sit in different groups does
 * not arrive; nodes in no group, and nodes of one group, talk as before. Nodes are the segment's devices
 * (the TAP, the ports) and the virtual hosts and routers, which a frame names by its IPv4 or ARP
 * addresses; a machine on a router's subnet over VXLAN is in its router's group. Engine thread only.
 */
public final class Partition {
    /** A frame's end that is the virtual hosts: which one, its addresses say. */
    public static final int HOSTS = -1;
    private static final int NO_GROUP = 0;

    private final HostTable hosts;
    private int[] deviceGroup = new int[0];
    private int[] hostGroup = new int[0];
    private boolean active;
    /** Devices from this number on are VXLAN remotes: a frame's end there is a node of another part, by its address. */
    private int firstRemote = Integer.MAX_VALUE;
    private final RemoteNodes remoteNodes = new RemoteNodes();
    /** The groups of the other parts' nodes, by address; empty when no partition names them. */
    private LongLongHashMap remoteGroup = new LongLongHashMap(16, NO_GROUP);
    /** Routers' subnets extended over VXLAN: network, mask and the router's host-table index, each. */
    private int[][] machineSubnets = new int[0][];
    /** Their IPv6 subnets: high, low, prefix length and the router's host-table index, each. */
    private long[][] machineSubnets6 = new long[0][];

    public Partition(HostTable hosts) {
        this.hosts = hosts;
    }

    /** Group numbers from 1 (0: in no group), by device number and by host-table index. */
    public void set(int[] deviceGroups, int[] hostGroups) {
        set(deviceGroups, hostGroups, java.util.Map.of());
    }

    /** As above, and the groups of the other parts' nodes ({@link #remoteNodes()}) by name. */
    public void set(int[] deviceGroups, int[] hostGroups, java.util.Map<String, Integer> remoteGroups) {
        deviceGroup = deviceGroups.clone();
        hostGroup = hostGroups.clone();
        remoteGroup = remoteNodes.groups(remoteGroups);
        active = Arrays.stream(deviceGroups).anyMatch(g -> g != NO_GROUP) || Arrays.stream(hostGroups).anyMatch(g -> g != NO_GROUP)
                || remoteGroup.size() > 0;
    }

    public void heal() {
        deviceGroup = new int[0];
        hostGroup = new int[0];
        remoteGroup = new LongLongHashMap(16, NO_GROUP);
        active = false;
    }

    /**
     * Addresses under {@code mask} equal to {@code network}, or in {@code subnet6} (high, low, prefix length;
     * null: none), that no node has are machines behind router {@code routerEntry}'s subnet over VXLAN: they
     * are in the router's group. Before the engine starts.
     */
    public void addMachineSubnet(int network, int mask, long[] subnet6, int routerEntry) {
        machineSubnets = Arrays.copyOf(machineSubnets, machineSubnets.length + 1);
        machineSubnets[machineSubnets.length - 1] = new int[] {network & mask, mask, routerEntry};
        if (subnet6 != null) {
            machineSubnets6 = Arrays.copyOf(machineSubnets6, machineSubnets6.length + 1);
            machineSubnets6[machineSubnets6.length - 1] = new long[] {subnet6[0], subnet6[1], subnet6[2], routerEntry};
        }
    }

    /** The nodes other parts play, which partitions may name. */
    public RemoteNodes remoteNodes() {
        return remoteNodes;
    }

    /** Devices from {@code device} on are VXLAN remotes. Before the engine starts. */
    void remotesFrom(int device) {
        firstRemote = Math.min(firstRemote, device);
    }

    /** Whether the partition must read a frame's addresses to place its end at {@code device}. */
    boolean placesByAddress(int device) {
        return device == HOSTS || device >= firstRemote;
    }

    public boolean active() {
        return active;
    }

    /**
     * Whether the partition keeps a frame from device {@code from} to device {@code to} (either may be
     * {@link #HOSTS}, which one the frame's {@code addresses} say).
     */
    public boolean severs(FrameAddresses addresses, int from, int to) {
        int fromGroup = groupOf(addresses, from, false);
        if (fromGroup == NO_GROUP) {
            return false;
        }
        int toGroup = groupOf(addresses, to, true);
        return toGroup != NO_GROUP && toGroup != fromGroup;
    }

    /** The group of a frame's end at {@code device}: the receiving end when {@code receiver}. */
    private int groupOf(FrameAddresses addresses, int device, boolean receiver) {
        if (device == HOSTS) {
            return groupOfHost(addresses, receiver);
        }
        if (device >= firstRemote && addresses.known()) { // a node of another part, or else the remote as a device
            long group = remoteGroup.get((receiver ? addresses.destination() : addresses.source()) & 0xffff_ffffL);
            if (group != NO_GROUP) {
                return (int) group;
            }
        }
        return group(deviceGroup, device);
    }

    private static int group(int[] groups, int index) {
        return index >= 0 && index < groups.length ? groups[index] : NO_GROUP;
    }

    /** The group of the host a frame is for ({@code receiver}) or from, by its addresses. */
    private int groupOfHost(FrameAddresses addresses, boolean receiver) {
        if (!addresses.known()) {
            return NO_GROUP;
        }
        VirtualHost host = hosts.byAddress(receiver ? addresses.destination() : addresses.source());
        return host != null ? group(hostGroup, host.index()) : machineGroup(addresses, receiver);
    }

    /** The group of a machine behind a router's subnet over VXLAN: its router's; else none. */
    private int machineGroup(FrameAddresses addresses, boolean receiver) {
        if (addresses.isIpv6()) {
            long high = receiver ? addresses.destinationHigh() : addresses.sourceHigh();
            long low = receiver ? addresses.destinationLow() : addresses.sourceLow();
            for (long[] subnet : machineSubnets6) {
                if (tapnet.wire.Ipv6Address.samePrefix(high, low, subnet[0], subnet[1], (int) subnet[2])) {
                    return group(hostGroup, (int) subnet[3]);
                }
            }
            return NO_GROUP;
        }
        int address = receiver ? addresses.destination() : addresses.source();
        for (int[] subnet : machineSubnets) {
            if ((address & subnet[1]) == subnet[0]) {
                return group(hostGroup, subnet[2]);
            }
        }
        return NO_GROUP;
    }
}
