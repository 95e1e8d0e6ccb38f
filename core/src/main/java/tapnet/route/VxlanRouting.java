package tapnet.route;

import java.nio.ByteBuffer;
import tapnet.capture.Capture;
import tapnet.frame.FrameSink;
import tapnet.frame.Offload;
import tapnet.frame.WireFrames;
import tapnet.node.HostTable;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;
import tapnet.segment.Partition;
import tapnet.wire.EthernetFrame;
import tapnet.wire.FrameAddresses;
import tapnet.wire.Ipv4Address;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.Ipv6Addresses;
import tapnet.wire.Ipv6Packet;
import tapnet.wire.VxlanHeader;

/**
 * How packets cross between the nodes and the machines on routers' subnets extended over VXLAN
 * ({@link VxlanSubnet}): a router passes a packet for an address on its subnet where no node is to the
 * subnet's VXLAN (forwarding it, TTL minus one, when it comes from another subnet), and routes what arrives
 * from there as it routes any packet, through {@link Paths}. Engine thread only.
 */
public final class VxlanRouting {
    private final Paths paths;
    private final NodeTree tree;
    private final HostTable hosts;
    private final Counters counters;
    /** The groups kept apart: a machine on a subnet is in its router's. */
    private final Partition partition;
    private final int frameCapacity;
    private final VxlanSubnets subnets = new VxlanSubnets();
    private final EthernetFrame ethernet = new EthernetFrame();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final Ipv6Packet ip6 = new Ipv6Packet();
    private final FrameAddresses addresses;
    private final int[] chain = new int[NodeTree.MAX_DEPTH];
    /** Makes offloaded frames for a VXLAN subnet into the wire frames they stand for. */
    private final WireFrames wireFrames;

    VxlanRouting(Paths paths, NodeTree tree, HostTable hosts, Counters counters, Partition partition, int frameCapacity) {
        this.paths = paths;
        this.partition = partition;
        this.tree = tree;
        this.hosts = hosts;
        this.counters = counters;
        this.frameCapacity = frameCapacity;
        this.addresses = new FrameAddresses(hosts.addresses6());
        this.wireFrames = new WireFrames(frameCapacity);
    }

    /** The routers' subnets extended over VXLAN, and the devices their datagrams come as. */
    public VxlanSubnets subnets() {
        return subnets;
    }

    /**
     * Extends the subnet of the router whose address on it is {@code routerAddress} over VXLAN {@code vni}: its
     * remotes go out through {@code remotes}, each an interface {@code remoteNames[i]} in captures;
     * {@code remoteOfPeer} gives each underlay peer's remote number, or -1. After every node is added.
     *
     * @throws IllegalArgumentException when no router has that address
     */
    public void addVxlanSubnet(int routerAddress, int prefixLength, int vni, FrameSink[] remotes, String[] remoteNames,
                               int[] remoteOfPeer) {
        VirtualHost router = hosts.byAddress(routerAddress);
        if (router == null || !tree.isRouter(router)) {
            throw new IllegalArgumentException("no router has " + Ipv4Address.format(routerAddress));
        }
        int mask = Ipv4Address.mask(prefixLength);
        long[] subnet6 = tree.subnet6Of(tree.nodeOf(router));
        subnets.add(new VxlanSubnet(router, tree.nodeOf(router), routerAddress, mask, subnet6, vni, remotes, remoteNames,
                remoteOfPeer, tree, hosts, counters, frameCapacity));
        partition.addMachineSubnet(routerAddress, mask, subnet6, tree.nodeOf(router));
    }

    /** Starts capturing every router subnet's remotes into {@code capture}, one interface each. */
    public void capture(Capture capture) {
        for (VxlanSubnet subnet : subnets.all()) {
            subnet.capture(capture);
        }
    }

    public void stopCapture(Capture capture) {
        for (VxlanSubnet subnet : subnets.all()) {
            subnet.stopCapture(capture);
        }
    }

    /**
     * The VXLAN subnet of router node {@code node} when the frame is an IP packet for a machine on it (an
     * address on the subnet that no node has); else null.
     */
    VxlanSubnet beyondRouter(int node, ByteBuffer frame, int offset, int length) {
        VxlanSubnet subnet = subnets.of(node);
        if (subnet == null) {
            return null;
        }
        int type = ethernet.wrap(frame, offset, length).etherType();
        if (type == EthernetFrame.TYPE_IPV6) {
            ip6.wrap(frame, ethernet.payloadOffset(), ethernet.payloadLength());
            return ethernet.payloadLength() >= Ipv6Packet.HEADER_LENGTH && ip6.version() == 6
                    && subnet.beyond6(ip6.destinationHigh(), ip6.destinationLow()) ? subnet : null;
        }
        if (type != EthernetFrame.TYPE_IPV4) {
            return null;
        }
        ip.wrap(frame, ethernet.payloadOffset(), ethernet.payloadLength());
        return ip.check() != Ipv4Packet.Validity.MALFORMED && subnet.beyond(ip.destination()) ? subnet : null;
    }

    /** A packet out to a machine on a router's VXLAN subnet; an offloaded one as the wire frames it stands for. */
    void overVxlan(VxlanSubnet subnet, ByteBuffer frame, int offset, int length, long offload, long now) {
        if (severed(frame, offset, length)) {
            return;
        }
        int destination = destination(frame, offset, length);
        if (destination == Ipv6Addresses.NONE) {
            counters.drop(DropReason.IPV6_ADDRESS_TABLE_FULL);
            return;
        }
        if (offload == Offload.NONE) {
            subnet.send(frame, offset, length, destination, now);
            return;
        }
        if (wireFrames.begin(frame, offset, length, offload) < 0) {
            counters.drop(DropReason.OFFLOAD_MALFORMED);
            return;
        }
        for (int n; (n = wireFrames.next()) > 0; ) {
            subnet.send(wireFrames.buffer(), 0, n, destination, now);
        }
    }

    /** Whether a partition keeps the frame's sender and receiver apart: then it is counted and dropped. */
    private boolean severed(ByteBuffer frame, int offset, int length) {
        if (!partition.active() || !addresses.read(frame, offset, length) || !partition.severs(addresses, Partition.HOSTS,
                Partition.HOSTS)) {
            return false;
        }
        counters.drop(DropReason.PARTITIONED);
        return true;
    }

    /** An IP packet's destination as the engine names it: IPv4, or an IPv6 handle (made now if new; none when full). */
    private int destination(ByteBuffer frame, int offset, int length) {
        if (ethernet.wrap(frame, offset, length).etherType() == EthernetFrame.TYPE_IPV6) {
            return hosts.addresses6().intern(frame, ethernet.payloadOffset() + Ipv6Packet.DESTINATION);
        }
        return ip.wrap(frame, ethernet.payloadOffset(), ethernet.payloadLength()).destination();
    }

    /**
     * A datagram from the underlay, as device {@code device}: true when it is for a router's VXLAN subnet (by
     * its VNI), which takes it; false: it is the TAP's segment's.
     */
    public boolean takeFromUnderlay(int device, ByteBuffer datagram, int offset, int length, long now) {
        VxlanSubnet subnet = subnets.forDatagram(datagram, offset, length);
        if (subnet == null) {
            return false;
        }
        int remote = subnet.remoteOf(subnets.peerOf(device));
        if (remote < 0) {
            counters.drop(DropReason.VXLAN_UNKNOWN_REMOTE);
        } else if (length < VxlanHeader.LENGTH + EthernetFrame.HEADER_LENGTH) {
            counters.drop(DropReason.VXLAN_MALFORMED);
        } else {
            counters.increment(Counter.FRAMES_IN); // the inner frame, as a remote's of the TAP's segment
            counters.add(Counter.BYTES_IN, length - VxlanHeader.LENGTH);
            fromVxlan(subnet, remote, datagram, offset + VxlanHeader.LENGTH, length - VxlanHeader.LENGTH, now);
        }
        return true;
    }

    /**
     * A frame from a machine on a router's VXLAN subnet, as the router and the nodes on the subnet see it: to
     * a node on the subnet, across that node's link alone; to the router, to its own input; anywhere else,
     * forwarded by the router (TTL minus one) down to a subnet below it or up its own link toward the TAP's
     * segment. Between two machines behind the remotes it is theirs, not ours: dropped.
     */
    private void fromVxlan(VxlanSubnet subnet, int remote, ByteBuffer frame, int offset, int length, long now) {
        if (!subnet.arrive(remote, frame, offset, length, now)) {
            return; // ARP answered, or counted and dropped
        }
        int router = subnet.routerNode();
        addresses.read(frame, offset, length);
        VirtualHost host = addresses.known() ? hosts.byAddress(addresses.destination()) : null;
        if (!addresses.known()) {
            counters.drop(addresses.etherType() == EthernetFrame.TYPE_IPV6 ? DropReason.IPV6_MALFORMED : DropReason.IPV4_MALFORMED);
            return;
        }
        if (host == null && subnet.beyond(addresses)) {
            counters.drop(DropReason.NO_SUCH_HOST); // between two machines behind the remotes: theirs, not ours
            return;
        }
        int node = host == null ? -1 : tree.nodeOf(host);
        if (node >= 0 && severed(frame, offset, length)) {
            return; // to a node, it may not cross the TAP's segment, which would cut it there
        }
        if (node == router) {
            paths.deliver(frame, offset, length, Offload.NONE, host.index(), 1, now);
            return;
        }
        int depth = node < 0 ? 0 : tree.chainDown(node, chain);
        int at = 0;
        while (at < depth && chain[at] != router) {
            at++;
        }
        boolean onSubnet = at == depth - 2; // the node's parent is the router
        if (!onSubnet && !paths.forward(frame, offset, length, router, true)) {
            return;
        }
        if (at < depth) {
            paths.down(frame, offset, length, Offload.NONE, host.index(), at + 1, now);
            return;
        }
        long toward = paths.towardOnSegment(frame, offset, length);
        ethernet.wrap(frame, offset, length).setSource(hosts.get(tree.topOf(router)).mac());
        if (toward >= 0) {
            ethernet.setDestination(toward);
        }
        paths.up(frame, offset, length, router, 0, now, false);
    }
}
