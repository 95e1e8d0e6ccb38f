package tapnet.segment;

import java.nio.ByteBuffer;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;
import tapnet.wire.EthernetFrame;
import tapnet.wire.VxlanHeader;

/**
 * The segment's VXLAN remotes (RFC 7348), seen from the engine: each remote is a device of the segment, so
 * that the switch learns which MACs sit behind which remote (as the kernel's vxlan device keeps its forwarding
 * table per remote) and floods broadcast and unknown unicast to each (head-end replication). The underlay
 * hands in every UDP payload whole, under the device of the remote that sent it, or of another peer of the
 * underlay (a router's subnet's remote), or under the device after the last peer when its sender is none of
 * them; here the VXLAN header is checked and what is not this segment's VXLAN is counted and dropped. Engine
 * thread only.
 *
 * <p>The underlay may read several datagrams at once (UDP GRO: same-size datagrams from one sender, back to
 * back, the last one maybe shorter): it then hands them in together, under the sender's device, with the
 * size of each in the {@code offload} a device's frame comes with ({@link #batchOf}); 0 is one datagram.
 * Each datagram of a batch is then checked and counted alone ({@link #datagramSize}).
 */
public final class VxlanRemotes {
    private final Counters counters;
    private final VxlanHeader header = new VxlanHeader();
    private int vni = -1;
    private int first = -1;
    private int count;

    public VxlanRemotes(Counters counters) {
        this.counters = counters;
    }

    /** Device {@code device} is the next remote, of VNI {@code vni}; remotes are numbered one after another. */
    void add(int device, int vni) {
        if (count > 0 && (device != first + count || vni != this.vni)) {
            throw new IllegalStateException("VXLAN remotes are devices in a row, of one VNI: device " + device + ", VNI " + vni);
        }
        if (count == 0) {
            first = device;
            this.vni = vni;
        }
        count++;
    }

    /** The {@code offload} that tells a batch of datagrams of {@code datagramSize} bytes each (0: one datagram). */
    public static long batchOf(int datagramSize) {
        return datagramSize;
    }

    /** The size of each datagram of a remote's batch, from the {@code offload} it came with; 0: one datagram. */
    public static int datagramSize(long offload) {
        return (int) (offload & 0xffff);
    }

    /** Whether the segment has remotes. */
    public boolean any() {
        return count > 0;
    }

    /**
     * Whether {@code device} is a remote, or the device right after the last: the underlay's unknown sender
     * when no router's subnet has peers of its own ({@code route.VxlanSubnets} knows the devices past that).
     */
    public boolean isRemote(int device) {
        return count > 0 && device >= first && device <= first + count;
    }

    /**
     * Where the inner Ethernet frame of a datagram from remote {@code device} starts, or -1 when it is dropped
     * and counted: too short or without the I flag, of another VNI, or from no remote of this segment. {@code length} 0 stands for
     * a datagram too long to take whole.
     */
    public int innerOffset(int device, ByteBuffer datagram, int offset, int length) {
        DropReason drop;
        if (length < VxlanHeader.LENGTH + EthernetFrame.HEADER_LENGTH
                || !header.wrap(datagram, offset, length).isValid()) {
            drop = DropReason.VXLAN_MALFORMED;
        } else if (header.vni() != vni) {
            drop = DropReason.VXLAN_OTHER_VNI;
        } else if (device < first || device >= first + count) { // the unknown sender, or a peer of a router's subnet alone
            drop = DropReason.VXLAN_UNKNOWN_REMOTE;
        } else {
            return header.payloadOffset();
        }
        counters.drop(drop);
        return -1;
    }
}
