package tapnet.route;

import java.nio.ByteBuffer;
import tapnet.capture.Capture;
import tapnet.collections.LongLongHashMap;
import tapnet.frame.FrameSink;
import tapnet.node.HostTable;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;
import tapnet.wire.ArpPacket;
import tapnet.wire.EthernetFrame;
import tapnet.wire.FrameAddresses;
import tapnet.wire.Icmpv6Message;
import tapnet.wire.Ipv6Address;
import tapnet.wire.Ipv6Addresses;
import tapnet.wire.Ipv6Packet;
import tapnet.wire.MacAddress;
import tapnet.wire.NeighborDiscovery;

/**
 * The Ethernet side of a router's subnet extended over VXLAN (RFC 7348): beside the nodes tapnet plays on
 * the subnet, machines behind the remotes (a Linux vxlan device and what sits behind it) have addresses on
 * it. The router and the nodes on the subnet answer their ARP and neighbour solicitations (RFC 4861) with
 * their own MACs; a packet for an address on the subnet that no node has goes to the MAC ARP or a
 * solicitation found for it, asked of every remote (head-end replication); and which remote each MAC sits
 * behind is learned from what it sends, as the kernel's vxlan device keeps its forwarding table. Made after
 * every node is added. What to do with the IP packets that arrive is {@link Paths}'s: it routes them as the
 * router would. IPv6 is carried when the router has a {@code subnet6}. Addresses are the engine's: IPv4, or
 * IPv6 handles ({@link Ipv6Addresses}). Engine thread only; nothing is allocated per frame: a packet that
 * waits for its neighbour is copied into one of {@value SubnetNeighbors#WAITING} buffers made at the start.
 */
public final class VxlanSubnet {
    /** An NS or NA with one link-layer option, in its Ethernet frame. */
    private static final int NDP_FRAME_LENGTH = EthernetFrame.HEADER_LENGTH + Ipv6Packet.HEADER_LENGTH
            + NeighborDiscovery.LENGTH_WITH_LINK_LAYER;

    private final VirtualHost router;
    private final int routerNode;
    private final int network;
    private final int mask;
    private final int vni;
    /** The remotes, which MACs are behind which, and the captures that watch them. */
    private final SubnetStations stations;
    /** The machines' MACs, and the packets waiting for one. */
    private final SubnetNeighbors neighbors;
    /** Per underlay peer, the remote it is here, or -1: the underlay's peers are the remotes of every segment. */
    private final int[] remoteOfPeer;
    private final NodeTree tree;
    private final HostTable hosts;
    private final Counters counters;
    /** The MACs of the nodes on the subnet, to their host-table index: found once, the nodes are all added first. */
    private final LongLongHashMap nodeMacs = new LongLongHashMap(16, -1);
    /** An ARP request or neighbour solicitation the router asks, or an advertisement it answers: one at a time. */
    private final ByteBuffer question = ByteBuffer.allocate(NDP_FRAME_LENGTH);
    /** The router's subnet6: prefix and length; {@code prefixLength} -1 without one (IPv6 is then dropped). */
    private final long prefixHigh;
    private final long prefixLow;
    private final int prefixLength;
    private final Ipv6Addresses addresses6;
    private final Ipv6Packet ip6 = new Ipv6Packet();
    private final Icmpv6Message icmp6 = new Icmpv6Message();
    private final NeighborDiscovery discovery = new NeighborDiscovery();
    private final EthernetFrame ethernet = new EthernetFrame();
    private final ArpPacket arp = new ArpPacket();

    /**
     * @param router       the router's entry on this subnet (its address here, its MAC)
     * @param routerNode   the router's node in {@code tree}
     * @param remotes      one sink per remote, each sending with {@code vni}, and each one's name in captures
     * @param remoteOfPeer per underlay peer, its remote number in {@code remotes}, or -1
     * @param subnet6      the router's subnet6 (high, low, prefix length), or null
     * @param frameLength  the longest wire frame that may wait for ARP
     */
    VxlanSubnet(VirtualHost router, int routerNode, int network, int mask, long[] subnet6, int vni, FrameSink[] remotes,
                String[] remoteNames, int[] remoteOfPeer, NodeTree tree, HostTable hosts, Counters counters, int frameLength) {
        this.prefixHigh = subnet6 == null ? 0 : subnet6[0];
        this.prefixLow = subnet6 == null ? 0 : subnet6[1];
        this.prefixLength = subnet6 == null ? -1 : (int) subnet6[2];
        this.addresses6 = hosts.addresses6();
        this.router = router;
        this.routerNode = routerNode;
        this.network = network & mask;
        this.mask = mask;
        this.vni = vni;
        this.stations = new SubnetStations(remotes, remoteNames, counters);
        this.neighbors = new SubnetNeighbors(stations, counters, frameLength);
        this.remoteOfPeer = remoteOfPeer.clone();
        this.tree = tree;
        this.hosts = hosts;
        this.counters = counters;
        for (VirtualHost host : hosts.all()) {
            if (onSubnet(host)) {
                nodeMacs.put(host.mac(), host.index());
            }
        }
    }

    public int vni() {
        return vni;
    }

    int routerNode() {
        return routerNode;
    }

    /** The remote underlay peer {@code peer} is on this subnet, or -1 when it is none of its remotes. */
    int remoteOf(int peer) {
        return peer >= 0 && peer < remoteOfPeer.length ? remoteOfPeer[peer] : -1;
    }

    /** Whether {@code address} lies on this subnet where no node is: a machine behind the remotes may have it. */
    boolean beyond(int address) {
        return (address & mask) == network && hosts.byAddress(address) == null;
    }

    /** As {@link #beyond(int)}, for the IPv6 address high/low. */
    boolean beyond6(long high, long low) {
        return onPrefix6(high, low) && hosts.byAddress(addresses6.find(high, low)) == null;
    }

    /** Whether a frame's {@code read} destination is {@link #beyond} (either family). */
    boolean beyond(FrameAddresses read) {
        return read.isIpv6() ? beyond6(read.destinationHigh(), read.destinationLow()) : beyond(read.destination());
    }

    private boolean onPrefix6(long high, long low) {
        return prefixLength >= 0 && Ipv6Address.samePrefix(high, low, prefixHigh, prefixLow, prefixLength);
    }

    // ------------------------------------------------------------------------------------------------
    // Out, toward the remotes
    // ------------------------------------------------------------------------------------------------

    /**
     * Sends an IP wire frame for an address {@link #beyond} (IPv4, or an IPv6 handle) to the MAC that has it,
     * from the MAC of the node on the subnet that sent it, or else the router's; while the MAC is not known, the
     * frame waits (the latest one per address) and ARP or a neighbour solicitation asks every remote.
     */
    void send(ByteBuffer frame, int offset, int length, int destination, long now) {
        ethernet.wrap(frame, offset, length);
        if (!nodeMacs.containsKey(ethernet.source())) {
            ethernet.setSource(router.mac());
        }
        long mac = neighbors.mac(destination);
        if (mac >= 0) {
            ethernet.setDestination(mac);
            stations.toStation(mac, frame, offset, length, now);
        } else if (neighbors.wait(destination, frame, offset, length, now)) {
            if (Ipv6Addresses.isHandle(destination)) {
                solicit(destination, now);
            } else {
                ask(destination, now);
            }
        }
    }

    /** Starts capturing the remotes into {@code capture}, one interface each. */
    void capture(Capture capture) {
        stations.capture(capture);
    }

    void stopCapture(Capture capture) {
        stations.stopCapture(capture);
    }

    /** ARP "who has {@code address}", broadcast to every remote. */
    private void ask(int address, long now) {
        ethernet.wrap(question, 0, EthernetFrame.MIN_FRAME_LENGTH).setDestination(MacAddress.BROADCAST)
                .setSource(router.mac()).setEtherType(EthernetFrame.TYPE_ARP);
        arp.wrap(question, EthernetFrame.HEADER_LENGTH, ArpPacket.LENGTH)
                .write(ArpPacket.OPERATION_REQUEST, router.mac(), router.address(), 0, address);
        stations.flood(question, 0, EthernetFrame.MIN_FRAME_LENGTH, now);
    }

    /** A neighbour solicitation for the IPv6 address {@code handle}: to its solicited-node group, on every remote. */
    private void solicit(int handle, long now) {
        long groupLow = Ipv6Address.solicitedNodeLow(addresses6.low(handle));
        writeNeighborDiscovery(Icmpv6Message.TYPE_NEIGHBOR_SOLICITATION, 0, Ipv6Address.multicastMac(groupLow), router.mac(),
                addresses6.high(router.address6()), addresses6.low(router.address6()), Ipv6Address.ALL_NODES_HIGH, groupLow,
                addresses6.high(handle), addresses6.low(handle), NeighborDiscovery.OPTION_SOURCE_LINK_LAYER);
        stations.flood(question, 0, NDP_FRAME_LENGTH, now);
        counters.increment(Counter.NDP_SOLICITATIONS);
    }

    /**
     * Writes a solicitation or an advertisement with one link-layer option, {@code from}'s MAC, into
     * {@link #question}: {@value #NDP_FRAME_LENGTH} bytes, hop limit 255 (RFC 4861 §7.1), checksum made.
     */
    private void writeNeighborDiscovery(int type, int flags, long toMac, long from, long sourceHigh, long sourceLow,
                                        long destinationHigh, long destinationLow, long targetHigh, long targetLow, int option) {
        ethernet.wrap(question, 0, NDP_FRAME_LENGTH).setDestination(toMac).setSource(from).setEtherType(EthernetFrame.TYPE_IPV6);
        int length = NeighborDiscovery.LENGTH_WITH_LINK_LAYER;
        ip6.wrap(question, EthernetFrame.HEADER_LENGTH, Ipv6Packet.HEADER_LENGTH + length)
                .writeHeader(length, Ipv6Packet.NEXT_ICMPV6, NeighborDiscovery.HOP_LIMIT)
                .setSource(sourceHigh, sourceLow).setDestination(destinationHigh, destinationLow);
        int at = EthernetFrame.HEADER_LENGTH + Ipv6Packet.HEADER_LENGTH;
        discovery.wrap(question, at, length).writeBody(targetHigh, targetLow, option, from);
        icmp6.wrap(question, at, length).writeHeader(type, 0, flags, ip6.pseudoHeader(Ipv6Packet.NEXT_ICMPV6, length));
    }

    // ------------------------------------------------------------------------------------------------
    // In, from the remotes
    // ------------------------------------------------------------------------------------------------

    /**
     * A frame from remote {@code remote}: its source MAC learned; ARP and neighbour discovery answered for the
     * router and the nodes on the subnet, and learned from; true for an IPv4 or IPv6 packet to the MAC of the
     * router or of a node on the subnet, for {@link Paths} to carry on. Anything else is counted and dropped.
     */
    boolean arrive(int remote, ByteBuffer frame, int offset, int length, long now) {
        ethernet.wrap(frame, offset, length);
        if (!ethernet.isComplete()) {
            counters.drop(DropReason.ETHERNET_TRUNCATED);
            return false;
        }
        stations.arrived(remote, frame, offset, length, now);
        stations.learn(ethernet.source(), remote);
        switch (ethernet.etherType()) {
            case EthernetFrame.TYPE_ARP -> {
                answerArp(remote, frame, ethernet.payloadOffset(), ethernet.payloadLength(), now);
                return false;
            }
            case EthernetFrame.TYPE_IPV4 -> {
                long to = ethernet.destination();
                if (to == router.mac() || localMac(to)) {
                    return true;
                }
                counters.drop(MacAddress.isGroup(to) ? DropReason.IPV4_NOT_UNICAST : DropReason.NOT_OUR_MAC);
                return false;
            }
            case EthernetFrame.TYPE_IPV6 -> {
                return arriveIpv6(remote, frame, now);
            }
            default -> {
                counters.drop(DropReason.ETHERTYPE_UNSUPPORTED);
                return false;
            }
        }
    }

    /** An IPv6 frame: neighbour discovery answered or learned from; true for a packet to a MAC of ours. */
    private boolean arriveIpv6(int remote, ByteBuffer frame, long now) {
        if (prefixLength < 0) {
            counters.drop(DropReason.ETHERTYPE_UNSUPPORTED); // the router has no subnet6: no IPv6 on the subnet
            return false;
        }
        ip6.wrap(frame, ethernet.payloadOffset(), ethernet.payloadLength());
        if (ethernet.payloadLength() < Ipv6Packet.HEADER_LENGTH || ip6.version() != 6) {
            counters.drop(DropReason.IPV6_MALFORMED);
            return false;
        }
        int icmp = ip6.payloadOffset();
        int icmpLength = Math.min(ip6.payloadLength(), ethernet.payloadLength() - Ipv6Packet.HEADER_LENGTH);
        if (ip6.nextHeader() == Ipv6Packet.NEXT_ICMPV6 && icmpLength >= Icmpv6Message.HEADER_LENGTH) {
            int type = frame.get(icmp) & 0xff;
            if (type == Icmpv6Message.TYPE_NEIGHBOR_SOLICITATION || type == Icmpv6Message.TYPE_NEIGHBOR_ADVERTISEMENT) {
                neighborDiscovery(remote, frame, icmp, icmpLength, type, now);
                return false;
            }
            if (type >= Icmpv6Message.TYPE_ROUTER_SOLICITATION && type <= Icmpv6Message.TYPE_REDIRECT) {
                counters.drop(DropReason.NDP_NOT_OURS); // no router advertisements here: machines take a static route
                return false;
            }
        }
        long to = ethernet.destination();
        if (to == router.mac() || localMac(to)) {
            return true;
        }
        counters.drop(MacAddress.isGroup(to) ? DropReason.IPV6_NOT_UNICAST : DropReason.NOT_OUR_MAC);
        return false;
    }

    /**
     * A neighbour solicitation or advertisement (RFC 4861 §7.1 checks): a solicitation for the router's or
     * a node's address on the subnet is answered with its MAC, and its asker learned; an advertisement
     * teaches its target's MAC.
     */
    private void neighborDiscovery(int remote, ByteBuffer frame, int icmp, int length, int type, long now) {
        icmp6.wrap(frame, icmp, length);
        discovery.wrap(frame, icmp, length);
        if (!icmp6.isChecksumValid(ip6.pseudoHeader(Ipv6Packet.NEXT_ICMPV6, length))) {
            counters.drop(DropReason.ICMPV6_BAD_CHECKSUM);
            return;
        }
        if (ip6.hopLimit() != NeighborDiscovery.HOP_LIMIT || icmp6.code() != 0 || !discovery.isValid()
                || Ipv6Address.isMulticast(discovery.targetHigh())) {
            counters.drop(DropReason.NDP_MALFORMED);
            return;
        }
        long targetHigh = discovery.targetHigh();
        long targetLow = discovery.targetLow();
        if (type == Icmpv6Message.TYPE_NEIGHBOR_ADVERTISEMENT) {
            long mac = discovery.linkLayerAddress(NeighborDiscovery.OPTION_TARGET_LINK_LAYER);
            learnNeighbor6(targetHigh, targetLow, mac >= 0 ? mac : ethernet.source(), now);
            return;
        }
        long owner = ownerMac6(targetHigh, targetLow);
        if (owner < 0) {
            counters.drop(DropReason.NDP_NOT_OURS);
            return;
        }
        long askerHigh = ip6.sourceHigh();
        long askerLow = ip6.sourceLow();
        boolean probe = Ipv6Address.isUnspecified(askerHigh, askerLow); // duplicate address detection (§7.2.4)
        long askerMac = discovery.linkLayerAddress(NeighborDiscovery.OPTION_SOURCE_LINK_LAYER);
        if (probe && askerMac >= 0) {
            counters.drop(DropReason.NDP_MALFORMED); // §7.1.1: a probe from :: carries no link-layer address
            return;
        }
        if (!probe && askerMac >= 0) {
            learnNeighbor6(askerHigh, askerLow, askerMac, now);
        }
        advertise(remote, now, owner, targetHigh, targetLow, probe ? Ipv6Address.multicastMac(Ipv6Address.ALL_NODES_LOW)
                        : askerMac >= 0 ? askerMac : ethernet.source(), probe ? Ipv6Address.ALL_NODES_HIGH : askerHigh,
                probe ? Ipv6Address.ALL_NODES_LOW : askerLow, probe ? 0 : NeighborDiscovery.FLAG_SOLICITED);
    }

    /** A neighbour advertisement of {@code owner}'s MAC for high/low, to the asker on {@code remote}. */
    private void advertise(int remote, long now, long owner, long targetHigh, long targetLow, long toMac, long toHigh, long toLow,
                           int solicited) {
        int flags = solicited | NeighborDiscovery.FLAG_OVERRIDE | (owner == router.mac() ? NeighborDiscovery.FLAG_ROUTER : 0);
        writeNeighborDiscovery(Icmpv6Message.TYPE_NEIGHBOR_ADVERTISEMENT, flags, toMac, owner, targetHigh, targetLow, toHigh,
                toLow, targetHigh, targetLow, NeighborDiscovery.OPTION_TARGET_LINK_LAYER);
        stations.send(remote, question, 0, NDP_FRAME_LENGTH, now);
        counters.increment(Counter.NDP_ADVERTISEMENTS);
    }

    /** Learns a machine's IPv6 address on the subnet by the handle it gets (none when the table is full). */
    private void learnNeighbor6(long high, long low, long mac, long now) {
        if (!beyond6(high, low)) {
            return; // not on the subnet, or a node's
        }
        int handle = addresses6.intern(high, low);
        if (handle == Ipv6Addresses.NONE) {
            counters.drop(DropReason.IPV6_ADDRESS_TABLE_FULL);
            return;
        }
        neighbors.learn(handle, mac, now);
    }

    /** The MAC that answers for IPv6 high/low on this subnet: the router's, a node's on it; else -1. */
    private long ownerMac6(long high, long low) {
        if (!onPrefix6(high, low)) {
            return -1;
        }
        int handle = addresses6.find(high, low);
        if (router.hasIpv6() && handle == router.address6()) {
            return router.mac();
        }
        VirtualHost host = hosts.byAddress(handle);
        // a node on the subnet: not an alias (a router's entry on its own subnet), its parent this router
        return host != null && tree.nodeOf(host.index()) == host.index() && tree.parentOf(host.index()) == routerNode
                ? host.mac() : -1;
    }

    private void answerArp(int remote, ByteBuffer frame, int offset, int length, long now) {
        arp.wrap(frame, offset, length);
        if (!arp.isValidEthernetIpv4()) {
            counters.drop(DropReason.ARP_MALFORMED);
            return;
        }
        int sender = arp.senderIp();
        long senderMac = arp.senderMac();
        int target = arp.targetIp();
        long ours = ownerMac(target);
        if (beyond(sender) && (ours >= 0 || neighbors.knows(sender))) {
            neighbors.learn(sender, senderMac, now); // RFC 826: merge the sender when it asks us or is known
        }
        if (arp.operation() != ArpPacket.OPERATION_REQUEST || ours < 0) {
            if (arp.operation() != ArpPacket.OPERATION_REPLY) {
                counters.drop(DropReason.ARP_NOT_OURS);
            }
            return;
        }
        // the answer goes where the question came from, in the question's buffer: it is not needed any more
        ethernet.wrap(frame, offset - EthernetFrame.HEADER_LENGTH, EthernetFrame.HEADER_LENGTH + length)
                .setDestination(senderMac).setSource(ours);
        arp.write(ArpPacket.OPERATION_REPLY, ours, target, senderMac, sender);
        stations.send(remote, frame, offset - EthernetFrame.HEADER_LENGTH, EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH, now);
        counters.increment(Counter.ARP_REPLIES);
    }

    /** The MAC that answers for {@code address} on this subnet: the router's, a node's on it; else -1. */
    private long ownerMac(int address) {
        if (address == router.address()) {
            return router.mac();
        }
        VirtualHost host = hosts.byAddress(address);
        return host != null && onSubnet(host) ? host.mac() : -1;
    }

    /** Whether {@code mac} is that of a node on the subnet. */
    private boolean localMac(long mac) {
        return nodeMacs.containsKey(mac);
    }

    /** Whether a node sits on this subnet itself: its parent is the router, and its address is on the subnet. */
    private boolean onSubnet(VirtualHost host) {
        return tree.parentOf(host.index()) == routerNode && (host.address() & mask) == network;
    }
}
