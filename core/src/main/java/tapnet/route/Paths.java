package tapnet.route;

import java.nio.ByteBuffer;
import tapnet.collections.LongLongHashMap;
import tapnet.frame.FrameSink;
import tapnet.frame.Offload;
import tapnet.frame.WireFrames;
import tapnet.link.Impairments;
import tapnet.link.LinkDirection;
import tapnet.link.Links;
import tapnet.node.HostTable;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;
import tapnet.wire.EthernetFrame;
import tapnet.wire.FrameAddresses;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.Ipv6Addresses;
import tapnet.wire.Ipv6Packet;

/**
 * Carries frames between the TAP's segment and each node ({@link NodeTree}): across the emulated links one
 * by one, held while a link delays them; at each router in between the TTL drops by one, and a router where
 * it reaches zero answers ICMP time exceeded, so that traceroute shows every hop. Going down, a packet larger
 * than a link's MTU is cut into fragments by the router before it ({@link Ipv4Fragmenter}), or, with DF set,
 * answered with ICMP fragmentation needed (path MTU discovery); going up, hosts send what fits their MTU. A frame
 * for an address on a router's subnet where no host is gets host unreachable. Engine thread only.
 */
public final class Paths {
    private static final int DOWN = 0;
    private static final int UP = 1;
    /** Addresses learned at most: a segment is one subnet, but a flood of spoofed sources must not grow it forever. */
    private static final int MAX_SEGMENT_MACS = 65_536;

    private final NodeTree tree;
    private final HostTable hosts;
    private final Counters counters;
    /** The engine's links: each node's link is one of them. */
    private final Links links;
    /** This layer's number with {@link #links}: held frames of node links come back to {@link #resume}. */
    private final int linkLayer;
    /** Makes offloaded frames into wire frames before links that act on frames one by one. */
    private final WireFrames wireFrames;
    private final EthernetFrame ethernet = new EthernetFrame();
    private final Ipv4Packet ip = new Ipv4Packet();
    /** The addresses of frames this layer reads itself: those the hosts send, those held frames resume with. */
    private final FrameAddresses addresses;
    private final int[] chain = new int[NodeTree.MAX_DEPTH];
    /** What routers do to IPv6 packets. */
    private final Ipv6Forwarding router6;
    /** The routers' subnets extended over VXLAN. */
    private final VxlanRouting vxlan;
    /** What routers answer about packets they cannot pass on. */
    private final RouterErrors errors;
    /** Per hop of a chain, what cuts packets too big for its link, and the buffer their fragments go into. */
    private final Ipv4Fragmenter[] cutters = new Ipv4Fragmenter[NodeTree.MAX_DEPTH];
    private final ByteBuffer[] pieces = new ByteBuffer[NodeTree.MAX_DEPTH];
    private final int frameCapacity;
    /** The links whose frames are captured. */
    public final LinkTaps taps = new LinkTaps();
    private final HostInterfaces interfaces;
    private final FrameSink wire;
    /** The kernel's MAC on the TAP, from the frames it sends: where frames leaving the top router go. */
    private long tapMac = -1;
    /**
     * The MAC each address on the TAP's segment sends from (the kernel of the TAP's namespace, a port's),
     * learned from packets routers take in: where answers leaving the top router go.
     */
    private final LongLongHashMap segmentMacs = new LongLongHashMap(16, -1);

    /**
     * @param interfaces where frames that reached their node go, and who answers ICMP errors
     * @param wire       the TAP's segment, where frames leaving the top of a path go
     * @param partition  the groups kept apart, which frames to and from machines on routers' VXLAN subnets obey
     */
    public Paths(NodeTree tree, HostTable hosts, Counters counters, Links links, HostInterfaces interfaces,
                 FrameSink wire, tapnet.segment.Partition partition, int frameCapacity) {
        this.tree = tree;
        this.hosts = hosts;
        this.addresses = new FrameAddresses(hosts.addresses6());
        this.router6 = new Ipv6Forwarding(hosts, counters, interfaces);
        this.errors = new RouterErrors(tree, hosts, counters, interfaces, router6);
        this.vxlan = new VxlanRouting(this, tree, hosts, counters, partition, frameCapacity);
        this.counters = counters;
        this.links = links;
        this.interfaces = interfaces;
        this.wire = wire;
        this.linkLayer = links.addLayer(this::resume);
        this.wireFrames = new WireFrames(frameCapacity);
        this.frameCapacity = frameCapacity;
    }

    // ------------------------------------------------------------------------------------------------
    // Frames from the TAP, down toward their node
    // ------------------------------------------------------------------------------------------------

    /**
     * A frame from the TAP's segment, its {@code read} addresses already read: true when the path took it
     * (dropped, held, answered on the way, or delivered). {@code fromTap}: the TAP sent it, not a port (what
     * routers send to the kernel goes to its MAC).
     */
    public boolean takeIncoming(ByteBuffer frame, int offset, int length, long offload, FrameAddresses read,
                                boolean fromTap, long now) {
        if (read.etherType() < 0) {
            return false;
        }
        if (fromTap) {
            tapMac = read.sourceMac();
        }
        int target = targetOf(read, true);
        if (target < 0 || tree.direct(target)) {
            return false; // a host on the TAP's segment without a link: the direct path
        }
        if (tree.behindRouter(target) && read.isNeighborDiscovery()) {
            counters.drop(DropReason.ARP_NOT_OURS); // ARP and NDP stay on their segment: nobody behind a router answers them
            return true;
        }
        // an IPv6 sender by its handle, made now if new (the host it goes to would make it as it answers)
        int sender = !read.isIpv6() || read.source() != Ipv6Addresses.NONE ? read.source()
                : hosts.addresses6().intern(frame, offset + EthernetFrame.HEADER_LENGTH + Ipv6Packet.SOURCE);
        if (sender != Ipv6Addresses.NONE) {
            learnSender(sender, read.sourceMac());
        }
        down(frame, offset, length, offload, target, 0, now);
        return true;
    }

    private void learnSender(int address, long mac) {
        if (segmentMacs.size() >= MAX_SEGMENT_MACS && !segmentMacs.containsKey(address & 0xffffffffL)) {
            segmentMacs.clear();
        }
        segmentMacs.put(address & 0xffffffffL, mac);
    }

    /**
     * Carries a frame from hop {@code hop} of the chain (0: the link from the TAP) to its target entry. An
     * offloaded frame goes on whole across perfect links; before the first link that acts on frames one by
     * one it becomes the wire frames it stands for, each carried on from that hop.
     */
    void down(ByteBuffer frame, int offset, int length, long offload, int target, int hop, long now) {
        int depth = tree.chainDown(tree.nodeOf(target), chain);
        for (int i = hop; i < depth; i++) {
            LinkDirection link = tree.towardNode(chain[i]);
            if (link != null && Links.needsWireFrames(link, offload, taps.watches(chain[i]))) {
                downAsWireFrames(frame, offset, length, offload, target, i, now);
                return;
            }
            if (link != null && i > 0 && cutForLink(link, frame, offset, length, target, i, now)) {
                return; // its fragments went on, each across the link
            }
            if (link != null && !cross(link, frame, offset, length, offload, now, DOWN, i + 1)) {
                if (links.verdict().tooBig()) {
                    errors.fragmentationNeeded(frame, offset, length, i == 0 ? chain[0] : chain[i - 1], links.verdict().mtu());
                }
                return; // dropped, or held until its time: it goes on from hop i + 1 then
            }
            taps.crossed(chain[i], true, frame, offset, length, now);
            if (i < depth - 1 && !forward(frame, offset, length, chain[i], true)) {
                return; // its TTL ran out at this router
            }
        }
        deliver(frame, offset, length, offload, target, depth, now);
    }

    /** Each wire frame an offloaded frame stands for, carried on from hop {@code hop}. */
    private void downAsWireFrames(ByteBuffer frame, int offset, int length, long offload, int target, int hop, long now) {
        if (wireFrames.begin(frame, offset, length, offload) < 0) {
            counters.drop(DropReason.OFFLOAD_MALFORMED);
            return;
        }
        for (int n; (n = wireFrames.next()) > 0; ) {
            down(wireFrames.buffer(), 0, n, Offload.NONE, target, hop, now);
        }
    }

    /**
     * The frame reached its node: addressed to it as its last router would, then to the hosts' interfaces; a
     * router passes a packet for a machine behind its subnet's VXLAN on to it.
     */
    void deliver(ByteBuffer frame, int offset, int length, long offload, int target, int depth, long now) {
        if (hosts.isStopped(tree.nodeOf(target))) {
            counters.drop(DropReason.HOST_STOPPED);
            return;
        }
        VxlanSubnet overlay = tree.isRouter(target) ? vxlan.beyondRouter(tree.nodeOf(target), frame, offset, length) : null;
        if (overlay != null) {
            if (forward(frame, offset, length, overlay.routerNode(), true)) {
                vxlan.overVxlan(overlay, frame, offset, length, offload, now);
            }
            return;
        }
        if (tree.isRouter(target) && errors.toNoHost(frame, offset, length, target)) {
            return;
        }
        ethernet.wrap(frame, offset, length);
        if (depth > 1) {
            ethernet.setDestination(hosts.get(target).mac()).setSource(hosts.get(chain[depth - 2]).mac());
        }
        interfaces.receive(frame, offset, length, Offload.checksumsTrusted(offload));
    }

    // ------------------------------------------------------------------------------------------------
    // Frames a node sends, up toward the TAP
    // ------------------------------------------------------------------------------------------------

    /** A frame a node sends (in the wire's claimed buffer): true when the path took it; false: send it as it is. */
    public boolean takeOutgoing(ByteBuffer frame, int length, long now) {
        addresses.read(frame, 0, length);
        int source = targetOf(addresses, false);
        if (source < 0) {
            return false;
        }
        VxlanSubnet own = vxlan.beyondRouter(tree.nodeOf(source), frame, 0, length);
        if (own != null) { // a router's own packet to a machine on its subnet's VXLAN
            vxlan.overVxlan(own, frame, 0, length, Offload.NONE, now);
            wire.abandon();
            return true;
        }
        if (tree.directUp(source)) {
            return false;
        }
        if (tree.behindRouter(source) && addresses.isNeighborDiscovery()) {
            wire.abandon(); // ARP and NDP stay on their segment: the router in between would answer them
            return true;
        }
        up(frame, 0, length, source, 0, now, true);
        return true;
    }

    /**
     * Carries a frame from its source node up: hop {@code hop} is the next link to cross (0: the source's own).
     * {@code claimed}: the frame still sits in the wire's claimed buffer, to commit or abandon.
     */
    void up(ByteBuffer frame, int offset, int length, int source, int hop, long now, boolean claimed) {
        int depth = tree.chainUp(tree.nodeOf(source), chain);
        for (int i = hop; i < depth; i++) {
            LinkDirection link = tree.towardParent(chain[i]);
            if (link != null && !cross(link, frame, offset, length, Offload.NONE, now, UP, i + 1)) {
                if (claimed) {
                    wire.abandon();
                }
                return;
            }
            taps.crossed(chain[i], false, frame, offset, length, now);
            if (i + 1 < depth && toVxlanAbove(frame, offset, length, chain[i + 1], i > 0, now)) {
                if (claimed) {
                    wire.abandon();
                }
                return;
            }
            if (i + 1 < depth && !forward(frame, offset, length, chain[i + 1], false)) {
                if (claimed) {
                    wire.abandon();
                }
                return; // a virtual host's packet outlived its TTL: dropped, as a router drops it
            }
        }
        if (depth > 1) {
            long toward = towardOnSegment(frame, offset, length);
            ethernet.wrap(frame, offset, length).setSource(hosts.get(chain[depth - 1]).mac());
            if (toward >= 0) {
                ethernet.setDestination(toward);
            }
        }
        if (claimed) {
            wire.commit(length);
        } else {
            ByteBuffer out = wire.claim();
            out.put(0, frame, offset, length);
            wire.commit(length);
        }
    }

    /**
     * Whether router node {@code router}, reached going up, passed the packet on to a machine on its subnet's
     * VXLAN: from a node on that subnet straight, from a subnet below ({@code fromBelow}) forwarded, TTL minus one.
     */
    private boolean toVxlanAbove(ByteBuffer frame, int offset, int length, int router, boolean fromBelow, long now) {
        VxlanSubnet overlay = vxlan.beyondRouter(router, frame, offset, length);
        if (overlay == null) {
            return false;
        }
        if (!fromBelow || forward(frame, offset, length, router, false)) {
            vxlan.overVxlan(overlay, frame, offset, length, Offload.NONE, now);
        }
        return true;
    }

    /**
     * Where a packet leaving the top router goes on the TAP's segment: to the node on the segment whose
     * way down leads to its destination, when that is a virtual host or lies behind a router; otherwise to
     * the MAC its destination sent from (a port's, the kernel's), or the kernel's MAC (-1 while unknown).
     * Between hosts behind routers, packets go up to the TAP's segment and down again.
     */
    long towardOnSegment(ByteBuffer frame, int offset, int length) {
        addresses.read(frame, offset, length);
        int target = targetOf(addresses, true);
        if (target >= 0) {
            return hosts.get(tree.topOf(tree.nodeOf(target))).mac();
        }
        long learned = segmentMacs.get(addresses.destination() & 0xffffffffL);
        return learned >= 0 ? learned : tapMac;
    }

    // ------------------------------------------------------------------------------------------------
    // Held frames
    // ------------------------------------------------------------------------------------------------

    /**
     * A held frame's time came: it goes on from where its link held it. The next links decide as of the
     * time it was due (a frame may cross several links within one poll of a coarse or virtual clock); what
     * reaches the hosts reaches them at the poll's time.
     */
    private void resume(ByteBuffer frame, int length, int tag, long now) {
        int direction = tag & 1;
        int hop = tag >>> 1;
        addresses.read(frame, 0, length);
        int entry = targetOf(addresses, direction == DOWN);
        if (entry < 0) {
            return;
        }
        if (direction == DOWN) {
            int depth = tree.chainDown(tree.nodeOf(entry), chain);
            taps.crossed(chain[hop - 1], true, frame, 0, length, now); // the link that held it let it through
            if (hop < depth && !forward(frame, 0, length, chain[hop - 1], true)) {
                return;
            }
            down(frame, 0, length, Offload.NONE, entry, hop, now); // links hold wire frames only
        } else {
            int depth = tree.chainUp(tree.nodeOf(entry), chain);
            taps.crossed(chain[hop - 1], false, frame, 0, length, now);
            if (hop < depth && toVxlanAbove(frame, 0, length, chain[hop], hop > 1, now)) {
                return;
            }
            if (hop < depth && !forward(frame, 0, length, chain[hop], false)) {
                return;
            }
            up(frame, 0, length, entry, hop, now, false);
        }
    }

    /**
     * Puts a frame through one link: true when it goes on at once and unchanged; false when the link
     * dropped it or holds it to resume at hop {@code nextHop}.
     */
    private boolean cross(LinkDirection link, ByteBuffer frame, int offset, int length, long offload, long now,
                          int direction, int nextHop) {
        return links.cross(linkLayer, link, frame, offset, length, offload, now, nextHop << 1 | direction);
    }

    /** The routers' subnets extended over VXLAN. */
    public VxlanRouting vxlan() {
        return vxlan;
    }

    // ------------------------------------------------------------------------------------------------
    // Routers
    // ------------------------------------------------------------------------------------------------

    /**
     * A router passes an IPv4 packet on: TTL minus one (RFC 1812 §5.3.1) with the header checksum updated.
     * When the TTL runs out it returns false, after answering ICMP time exceeded from its address when
     * {@code answer} (packets from the TAP; a virtual host's own packets are dropped quietly).
     */
    boolean forward(ByteBuffer frame, int offset, int length, int routerNode, boolean answer) {
        if (hosts.isStopped(routerNode)) {
            counters.drop(DropReason.HOST_STOPPED); // a stopped router forwards nothing
            return false;
        }
        ethernet.wrap(frame, offset, length);
        if (ethernet.etherType() == EthernetFrame.TYPE_IPV6) {
            return router6.forward(frame, offset, length, hosts.get(routerNode), answer);
        }
        if (ethernet.etherType() != EthernetFrame.TYPE_IPV4) {
            return true;
        }
        ip.wrap(frame, ethernet.payloadOffset(), ethernet.payloadLength());
        switch (ip.check()) { // RFC 1812 §5.2.2: a router checks the header before it touches it
            case MALFORMED -> {
                counters.drop(DropReason.IPV4_MALFORMED);
                return false;
            }
            case BAD_CHECKSUM -> {
                counters.drop(DropReason.IPV4_BAD_CHECKSUM);
                return false;
            }
            default -> {
            }
        }
        if (ip.ttl() <= 1) {
            counters.drop(DropReason.TTL_EXCEEDED);
            if (answer) {
                interfaces.timeExceeded(hosts.get(routerNode), frame, offset, length);
            }
            return false;
        }
        ip.decrementTtl();
        return true;
    }

    /**
     * The router before the link at hop {@code hop} (never 0: a link from the TAP's segment has no router
     * before it, and a switch drops what is too big) cuts an IPv4 packet without DF that is larger than the
     * link's MTU into fragments that fit (RFC 1812 §5.2.6), each carried on across the link; true when it
     * did. One with DF goes on to the link, which drops it: {@link RouterErrors#fragmentationNeeded}. Each hop cuts with
     * its own fragmenter, into its own buffer, made the first time: a fragment may be cut again further down.
     */
    private boolean cutForLink(LinkDirection link, ByteBuffer frame, int offset, int length, int target, int hop, long now) {
        int mtu = link.impairments().mtu();
        if (mtu == Impairments.NO_MTU || length - EthernetFrame.HEADER_LENGTH <= mtu) {
            return false;
        }
        if (cutters[hop] == null) {
            cutters[hop] = new Ipv4Fragmenter();
            pieces[hop] = ByteBuffer.allocate(frameCapacity);
        }
        Ipv4Fragmenter cutter = cutters[hop];
        if (!cutter.begin(frame, offset, length, mtu)) {
            return false;
        }
        while (cutter.hasNext()) {
            int piece = cutter.next(pieces[hop]);
            counters.increment(Counter.IPV4_FRAGMENTS_OUT);
            down(pieces[hop], 0, piece, Offload.NONE, target, hop, now);
        }
        return true;
    }

    /**
     * The host-table entry a frame is for (incoming) or from (outgoing), by its {@code read} addresses; or
     * -1. An incoming IPv4 packet for an address on a routed subnet where no host is goes to that subnet's
     * router.
     */
    private int targetOf(FrameAddresses read, boolean incoming) {
        if (!read.known()) {
            return -1;
        }
        VirtualHost host = hosts.byAddress(incoming ? read.destination() : read.source());
        if (host == null && incoming && read.isIpv4()) {
            return tree.routerFor(read.destination());
        }
        if (host == null && incoming && read.isIpv6()) {
            return tree.routerFor6(read.destinationHigh(), read.destinationLow());
        }
        return host == null || !tree.knows(host.index()) ? -1 : host.index();
    }
}
