package tapnet.route;

import java.nio.ByteBuffer;
import java.util.Arrays;
import tapnet.wire.VxlanHeader;

/**
 * The routers' subnets extended over VXLAN ({@link VxlanSubnet}), by router and by VNI, and the devices
 * the underlay's datagrams arrive under. One underlay serves every segment of a run, as the kernel's vxlan
 * devices share one UDP socket per port: its peers (the remotes of every segment, the TAP's first) come as
 * devices {@code firstPeerDevice} on, one more for a sender that is none of them, and each datagram's VNI
 * says which segment it is for. Engine thread only.
 */
public final class VxlanSubnets {
    private final VxlanHeader header = new VxlanHeader();
    private VxlanSubnet[] byNode = new VxlanSubnet[0];
    private VxlanSubnet[] all = new VxlanSubnet[0];
    private int firstPeerDevice = -1;
    private int peers;

    /** The underlay's {@code count} peers come as devices {@code firstDevice} on; before the engine starts. */
    public void peers(int firstDevice, int count) {
        this.firstPeerDevice = firstDevice;
        this.peers = count;
    }

    void add(VxlanSubnet subnet) {
        int node = subnet.routerNode();
        if (node >= byNode.length) {
            byNode = Arrays.copyOf(byNode, node + 1);
        }
        byNode[node] = subnet;
        all = Arrays.copyOf(all, all.length + 1);
        all[all.length - 1] = subnet;
    }

    /** Every router's subnet over VXLAN, in the order added; the caller does not change it. */
    VxlanSubnet[] all() {
        return all;
    }

    /** Whether any router's subnet is extended over VXLAN. */
    public boolean any() {
        return all.length > 0;
    }

    /** Whether datagrams from the underlay come as {@code device}: one of its peers, or its unknown sender. */
    public boolean isUnderlay(int device) {
        return all.length > 0 && device >= firstPeerDevice && device <= firstPeerDevice + peers;
    }

    /** The underlay peer that {@code device} stands for, or -1 for the unknown sender. */
    int peerOf(int device) {
        int peer = device - firstPeerDevice;
        return peer >= 0 && peer < peers ? peer : -1;
    }

    /** Router {@code node}'s subnet over VXLAN, or null when it has none. */
    VxlanSubnet of(int node) {
        return node >= 0 && node < byNode.length ? byNode[node] : null;
    }

    /**
     * The router's subnet a datagram is for, by its VNI; null when its header is not valid or its VNI is none
     * of theirs: then it is the TAP's segment's to check (and count).
     */
    VxlanSubnet forDatagram(ByteBuffer datagram, int offset, int length) {
        if (length < VxlanHeader.LENGTH || !header.wrap(datagram, offset, length).isValid()) {
            return null;
        }
        int vni = header.vni();
        for (VxlanSubnet subnet : all) {
            if (subnet.vni() == vni) {
                return subnet;
            }
        }
        return null;
    }
}
