package tapnet.segment;

import java.nio.ByteBuffer;
import java.util.Arrays;
import tapnet.node.HostTable;
import tapnet.node.VirtualHost;
import tapnet.wire.ArpPacket;
import tapnet.wire.EthernetFrame;
import tapnet.wire.Ipv4Packet;

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
    private final EthernetFrame ethernet = new EthernetFrame();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final ArpPacket arp = new ArpPacket();
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

    /** Whether the partition keeps this frame from device {@code from} to device {@code to} (either may be {@link #HOSTS}). */
    public boolean severs(ByteBuffer frame, int offset, int length, int from, int to) {
        int fromGroup = from == HOSTS ? groupOfHost(frame, offset, length, false) : group(deviceGroup, from);
        if (fromGroup == NO_GROUP) {
            return false;
        }
        int toGroup = to == HOSTS ? groupOfHost(frame, offset, length, true) : group(deviceGroup, to);
        return toGroup != NO_GROUP && toGroup != fromGroup;
    }

    private static int group(int[] groups, int index) {
        return index >= 0 && index < groups.length ? groups[index] : NO_GROUP;
    }

    /** The group of the host a frame is for ({@code receiver}) or from, by its addresses. */
    private int groupOfHost(ByteBuffer frame, int offset, int length, boolean receiver) {
        ethernet.wrap(frame, offset, length);
        if (!ethernet.isComplete()) {
            return NO_GROUP;
        }
        int address;
        if (ethernet.etherType() == EthernetFrame.TYPE_IPV4) {
            ip.wrap(frame, ethernet.payloadOffset(), ethernet.payloadLength());
            if (ip.length() < Ipv4Packet.MIN_HEADER_LENGTH) {
                return NO_GROUP;
            }
            address = receiver ? ip.destination() : ip.source();
        } else if (ethernet.etherType() == EthernetFrame.TYPE_ARP) {
            arp.wrap(frame, ethernet.payloadOffset(), ethernet.payloadLength());
            if (!arp.isValidEthernetIpv4()) {
                return NO_GROUP;
            }
            address = receiver ? arp.targetIp() : arp.senderIp();
        } else {
            return NO_GROUP;
        }
        VirtualHost host = hosts.byAddress(address);
        return host == null ? NO_GROUP : group(hostGroup, host.index());
    }
}
