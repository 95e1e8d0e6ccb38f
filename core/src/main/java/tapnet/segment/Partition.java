package tapnet.segment;

import java.util.Arrays;
import tapnet.node.HostTable;
import tapnet.node.VirtualHost;
import tapnet.wire.FrameAddresses;

/**
 * Groups of nodes cut off from each other: a frame whose sender and receiver sit in different groups does
 * not arrive; nodes in no group, and nodes of one group, talk as before. Nodes are the segment's devices
 * (the TAP, the ports) and the virtual hosts and routers, which a frame names by its IPv4 or ARP
 * addresses. Engine thread only.
 */
public final class Partition {
    /** A frame's end that is the virtual hosts: which one, its addresses say. */
    public static final int HOSTS = -1;
    private static final int NO_GROUP = 0;

    private final HostTable hosts;
    private int[] deviceGroup = new int[0];
    private int[] hostGroup = new int[0];
    private boolean active;

    public Partition(HostTable hosts) {
        this.hosts = hosts;
    }

    /** Group numbers from 1 (0: in no group), by device number and by host-table index. */
    public void set(int[] deviceGroups, int[] hostGroups) {
        deviceGroup = deviceGroups.clone();
        hostGroup = hostGroups.clone();
        active = Arrays.stream(deviceGroups).anyMatch(g -> g != NO_GROUP) || Arrays.stream(hostGroups).anyMatch(g -> g != NO_GROUP);
    }

    public void heal() {
        deviceGroup = new int[0];
        hostGroup = new int[0];
        active = false;
    }

    public boolean active() {
        return active;
    }

    /**
     * Whether the partition keeps a frame from device {@code from} to device {@code to} (either may be
     * {@link #HOSTS}, which one the frame's {@code addresses} say).
     */
    public boolean severs(FrameAddresses addresses, int from, int to) {
        int fromGroup = from == HOSTS ? groupOfHost(addresses, false) : group(deviceGroup, from);
        if (fromGroup == NO_GROUP) {
            return false;
        }
        int toGroup = to == HOSTS ? groupOfHost(addresses, true) : group(deviceGroup, to);
        return toGroup != NO_GROUP && toGroup != fromGroup;
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
        return host == null ? NO_GROUP : group(hostGroup, host.index());
    }
}
