package tapnet.route;

import tapnet.link.Links;
import java.nio.ByteBuffer;
import java.util.Arrays;
import tapnet.frame.FrameSink;
import tapnet.frame.Offload;
import tapnet.frame.WireFrames;
import tapnet.link.Impairments;
import tapnet.link.LinkDirection;
import tapnet.link.SplitMix64;
import tapnet.node.HostTable;
import tapnet.net.NetworkInput;
import tapnet.node.VirtualHost;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;
import tapnet.wire.ArpPacket;
import tapnet.wire.EthernetFrame;
import tapnet.wire.IcmpMessage;
import tapnet.wire.InternetChecksum;
import tapnet.wire.Ipv4Packet;

/**
 * The way between the TAP and each node (a virtual host or a router): the chain of routers in between,
 * and the emulated link each node has to its parent, one {@link LinkDirection} per direction. A frame
 * crosses the links one by one, held while a link delays it; at each router in between its TTL drops by
 * one, and a router where it reaches zero answers ICMP time exceeded, so that traceroute shows every hop.
 * A link's MTU drops larger frames; going down, a DF packet is answered with ICMP fragmentation needed
 * (path MTU discovery), and each host's TCP keeps its segments within the smallest MTU on its way.
 * Nodes are named by their index in the host table; a router also has an entry for its address on its
 * own subnet, which stands for the same node. Engine thread only.
 */
public final class Paths {
    private static final int DOWN = 0;
    private static final int UP = 1;
    private static final int MAX_DEPTH = 32;
    // ICMP error types besides those IcmpMessage names (RFC 792).
    private static final int SOURCE_QUENCH = 4;
    private static final int REDIRECT = 5;
    private static final int PARAMETER_PROBLEM = 12;

    private final HostTable hosts;
    private final Counters counters;
    private final long seed;
    /** The engine's links: each node's link is one of them. */
    private final Links links;
    /** This layer's number with {@link #links}: held frames of node links come back to {@link #resume}. */
    private final int linkLayer;
    /** Makes offloaded frames into wire frames before links that act on frames one by one. */
    private final WireFrames wireFrames;
    private final EthernetFrame ethernet = new EthernetFrame();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final ArpPacket arp = new ArpPacket();
    private final int[] chain = new int[MAX_DEPTH];
    /** Routed subnets: network, mask and router node, in the order routers were added. */
    private final java.util.List<int[]> subnets = new java.util.ArrayList<>();
    /** The links whose frames are captured. */
    public final LinkTaps taps = new LinkTaps();
    private NetworkInput input;
    private FrameSink wire;

    // By host-table index: the node an entry stands for, its parent node (-1: the TAP), whether it routes.
    private int[] node = new int[0];
    private int[] parent = new int[0];
    private boolean[] router = new boolean[0];
    private LinkDirection[] toNode = new LinkDirection[0];
    private LinkDirection[] toParent = new LinkDirection[0];
    /** Whether any frame needs more than the direct path: a router or a link exists. */
    private boolean active;
    /** The kernel's MAC on the TAP, from the frames it sends: where frames leaving the top router go. */
    private long tapMac = -1;
    /**
     * The MAC each address on the TAP's segment sends from (the kernel of the TAP's namespace, a port's),
     * learned from packets routers take in: where answers leaving the top router go.
     */
    private final tapnet.collections.LongLongHashMap segmentMacs = new tapnet.collections.LongLongHashMap(16, -1);
    /** Addresses learned at most: a segment is one subnet, but a flood of spoofed sources must not grow it forever. */
    private static final int MAX_SEGMENT_MACS = 65_536;

    public Paths(HostTable hosts, Counters counters, Links links, long seed, int frameCapacity) {
        this.hosts = hosts;
        this.counters = counters;
        this.seed = seed;
        this.links = links;
        this.linkLayer = links.addLayer(this::resume);
        this.wireFrames = new WireFrames(frameCapacity);
    }

    public void connect(NetworkInput input, FrameSink wire) {
        this.input = input;
        this.wire = wire;
    }

    // ------------------------------------------------------------------------------------------------
    // Building: before the engine starts
    // ------------------------------------------------------------------------------------------------

    /** A host (or a router's upstream entry) whose parent is {@code parentNode} (-1: on the TAP's segment). */
    public void addNode(VirtualHost entry, int parentNode, boolean isRouter) {
        grow(entry.index() + 1);
        node[entry.index()] = entry.index();
        parent[entry.index()] = parentNode;
        router[entry.index()] = isRouter;
        active |= parentNode >= 0 || isRouter;
        input.setInterfaceMtu(entry, pathMtu(entry.index()));
    }

    /** A router's subnet: addresses under {@code mask} equal to {@code network} lie behind {@code routerNode}. */
    public void addSubnet(int network, int mask, int routerNode) {
        subnets.add(new int[] {network & mask, mask, routerNode});
    }

    /** The router node whose subnet holds {@code address} most specifically, or -1: the TAP's segment. */
    public int routerFor(int address) {
        int best = -1;
        int bestMask = 0;
        for (int[] subnet : subnets) {
            if ((address & subnet[1]) == subnet[0] && (best < 0 || Integer.compareUnsigned(subnet[1], bestMask) > 0)) {
                best = subnet[2];
                bestMask = subnet[1];
            }
        }
        return best;
    }

    /** A router's address on its own subnet: another name for node {@code routerNode}. */
    public void addAlias(VirtualHost entry, int routerNode) {
        grow(entry.index() + 1);
        node[entry.index()] = routerNode;
        parent[entry.index()] = parent[routerNode];
        router[entry.index()] = true;
    }

    /**
     * Makes the per-entry arrays hold at least {@code size} entries: by half again at least, so that adding
     * 100,000 hosts one by one copies them some thirty times, not 100,000. Entries past the table stand for
     * themselves, on the TAP's segment, without links, as an entry the paths never heard of does.
     */
    private void grow(int size) {
        if (node.length < size) {
            int old = node.length;
            int capacity = Math.max(size, old + (old >> 1) + 16);
            node = Arrays.copyOf(node, capacity);
            parent = Arrays.copyOf(parent, capacity);
            router = Arrays.copyOf(router, capacity);
            toNode = Arrays.copyOf(toNode, capacity);
            toParent = Arrays.copyOf(toParent, capacity);
            for (int i = old; i < capacity; i++) {
                node[i] = i;
                parent[i] = -1;
            }
        }
    }

    /** The node a host-table entry stands for (a router's subnet-side entry stands for the router). */
    public int nodeOf(VirtualHost entry) {
        return entry.index() < node.length ? node[entry.index()] : entry.index();
    }

    /** Sets the link between a node and its parent, each direction on its own generators. Any time. */
    public void setLink(VirtualHost entry, Impairments towardNode, Impairments towardParent) {
        grow(hosts.size());
        int n = nodeOf(entry);
        toNode[n] = Links.update(toNode[n], towardNode, SplitMix64.derive(SplitMix64.derive(seed, n), DOWN));
        toParent[n] = Links.update(toParent[n], towardParent, SplitMix64.derive(SplitMix64.derive(seed, n), UP));
        active = true;
        if (!router[n]) {
            input.setInterfaceMtu(entry, pathMtu(n)); // a host's link is on its own path only
            return;
        }
        for (int i = 0; i < hosts.size(); i++) {
            input.setInterfaceMtu(hosts.get(i), pathMtu(i)); // the hosts below a router too; new connections follow
        }
    }

    /** Whether an entry stands for a router (either of its addresses), which may have nodes below it. */
    public boolean isRouter(VirtualHost entry) {
        return entry.index() < router.length && router[entry.index()];
    }

    /**
     * The smallest MTU of the links (either direction) between an entry's node and the TAP, or
     * {@link Impairments#NO_MTU}: what the host takes for its interface's MTU when it picks its MSS.
     */
    private int pathMtu(int entry) {
        int smallest = Impairments.NO_MTU;
        for (int n = node[entry], depth = 0; n >= 0 && depth < MAX_DEPTH; n = parent[n], depth++) {
            smallest = smaller(smaller(smallest, toNode[n]), toParent[n]);
        }
        return smallest;
    }

    private static int smaller(int mtu, LinkDirection link) {
        int other = link == null ? Impairments.NO_MTU : link.impairments().mtu();
        if (other == Impairments.NO_MTU) {
            return mtu;
        }
        return mtu == Impairments.NO_MTU ? other : Math.min(mtu, other);
    }


    public LinkDirection towardNode(VirtualHost entry) {
        int n = nodeOf(entry);
        return n < toNode.length ? toNode[n] : null;
    }

    public LinkDirection towardParent(VirtualHost entry) {
        int n = nodeOf(entry);
        return n < toParent.length ? toParent[n] : null;
    }

    /** The router node above a host-table entry's node, or -1 when it is on the TAP's segment. */
    public int parentOf(int entry) {
        return entry < node.length ? parent[node[entry]] : -1;
    }

    /** The MAC of the router a node sits behind, or -1 when it is on the TAP's segment. */
    public long parentMac(VirtualHost entry) {
        int n = nodeOf(entry);
        return n < parent.length && parent[n] >= 0 ? hosts.get(parent[n]).mac() : -1;
    }

    /**
     * Where {@code from} sends a packet for {@code address} without ARP: behind a router, to that router;
     * on the TAP's segment, to the router on the segment above a routed address; otherwise -1 (ask ARP).
     */
    public long nextHopMac(VirtualHost from, int address) {
        long up = parentMac(from);
        if (up >= 0) {
            return up;
        }
        int router = routerFor(address);
        return router < 0 ? -1 : hosts.get(topOf(router)).mac();
    }

    /** The node on the TAP's segment that {@code n} is, or sits below. */
    private int topOf(int n) {
        for (int depth = 0; parent[n] >= 0 && depth < MAX_DEPTH; depth++) {
            n = parent[n];
        }
        return n;
    }

    public boolean active() {
        return active;
    }

    // ------------------------------------------------------------------------------------------------
    // Frames from the TAP, down toward their node
    // ------------------------------------------------------------------------------------------------

    /**
     * A frame from the TAP's segment: true when the path took it (dropped, held, answered on the way, or
     * delivered). {@code fromTap}: the TAP sent it, not a port (what routers send to the kernel goes to its MAC).
     */
    public boolean takeIncoming(ByteBuffer frame, int offset, int length, long offload, boolean fromTap, long now) {
        ethernet.wrap(frame, offset, length);
        if (!ethernet.isComplete()) {
            return false;
        }
        if (fromTap) {
            tapMac = ethernet.source();
        }
        int target = targetOf(frame, offset, length, true);
        if (target < 0 || (parent[target] < 0 && toNode[node[target]] == null && !router[target])) {
            return false; // a host on the TAP's segment without a link: the direct path
        }
        if (parent[target] >= 0 && ethernet.etherType() == EthernetFrame.TYPE_ARP) {
            counters.drop(DropReason.ARP_NOT_OURS); // ARP stays on its segment: nobody behind a router answers it
            return true;
        }
        if (ethernet.etherType() == EthernetFrame.TYPE_IPV4) {
            learnSender(ip.source(), ethernet.source()); // targetOf left the flyweights on this frame
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
    private void down(ByteBuffer frame, int offset, int length, long offload, int target, int hop, long now) {
        int depth = chainDown(node[target]);
        for (int i = hop; i < depth; i++) {
            LinkDirection link = toNode[chain[i]];
            if (link != null && Links.needsWireFrames(link, offload, taps.watches(chain[i]))) {
                downAsWireFrames(frame, offset, length, offload, target, i, now);
                return;
            }
            if (link != null && !cross(link, frame, offset, length, offload, now, DOWN, i + 1)) {
                if (links.verdict().tooBig()) {
                    fragmentationNeeded(frame, offset, length, i == 0 ? chain[0] : chain[i - 1], links.verdict().mtu());
                }
                return; // dropped, or held until its time: it goes on from hop i + 1 then
            }
            taps.crossed(chain[i], true, frame, offset, length, now);
            if (i < depth - 1 && !forward(frame, offset, length, chain[i], now, true)) {
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

    /** The frame reached its node: addressed to it as its last router would, then to the network layer. */
    private void deliver(ByteBuffer frame, int offset, int length, long offload, int target, int depth, long now) {
        if (hosts.isStopped(node[target])) {
            counters.drop(DropReason.HOST_STOPPED);
            return;
        }
        if (router[target] && toNoHost(frame, offset, length, target)) {
            return;
        }
        ethernet.wrap(frame, offset, length);
        if (depth > 1) {
            ethernet.setDestination(hosts.get(target).mac()).setSource(hosts.get(chain[depth - 2]).mac());
        }
        input.receive(frame, offset, length, Offload.checksumsTrusted(offload), Math.max(now, links.pollNanos()));
    }

    // ------------------------------------------------------------------------------------------------
    // Frames a node sends, up toward the TAP
    // ------------------------------------------------------------------------------------------------

    /** A frame a node sends (in the wire's claimed buffer): true when the path took it; false: send it as it is. */
    public boolean takeOutgoing(ByteBuffer frame, int length, long now) {
        int source = targetOf(frame, 0, length, false);
        if (source < 0 || (parent[source] < 0 && toParent[node[source]] == null)) {
            return false;
        }
        if (parent[source] >= 0 && ethernet.etherType() == EthernetFrame.TYPE_ARP) {
            wire.abandon(); // ARP stays on its segment: the router in between would answer it
            return true;
        }
        up(frame, 0, length, source, 0, now, true);
        return true;
    }

    /**
     * Carries a frame from its source node up: hop {@code hop} is the next link to cross (0: the source's own).
     * {@code claimed}: the frame still sits in the wire's claimed buffer, to commit or abandon.
     */
    private void up(ByteBuffer frame, int offset, int length, int source, int hop, long now, boolean claimed) {
        int depth = chainUp(node[source]);
        for (int i = hop; i < depth; i++) {
            LinkDirection link = toParent[chain[i]];
            if (link != null && !cross(link, frame, offset, length, Offload.NONE, now, UP, i + 1)) {
                if (claimed) {
                    wire.abandon();
                }
                return;
            }
            taps.crossed(chain[i], false, frame, offset, length, now);
            if (i + 1 < depth && !forward(frame, offset, length, chain[i + 1], now, false)) {
                if (claimed) {
                    wire.abandon();
                }
                return; // a virtual host's packet outlived its TTL: dropped, as a router drops it
            }
        }
        ethernet.wrap(frame, offset, length);
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
     * Where a packet leaving the top router goes on the TAP's segment: to the node on the segment whose
     * way down leads to its destination, when that is a virtual host or lies behind a router; otherwise to
     * the MAC its destination sent from (a port's, the kernel's), or the kernel's MAC (-1 while unknown).
     * Between hosts behind routers, packets go up to the TAP's segment
     * and down again.
     */
    private long towardOnSegment(ByteBuffer frame, int offset, int length) {
        int target = targetOf(frame, offset, length, true);
        if (target >= 0) {
            return hosts.get(topOf(node[target])).mac();
        }
        long learned = ethernet.etherType() == EthernetFrame.TYPE_IPV4 ? segmentMacs.get(ip.destination() & 0xffffffffL) : -1;
        return learned >= 0 ? learned : tapMac;
    }

    // ------------------------------------------------------------------------------------------------
    // Held frames
    // ------------------------------------------------------------------------------------------------

    /**
     * A held frame's time came: it goes on from where its link held it. The next links decide as of the
     * time it was due (a frame may cross several links within one poll of a coarse or virtual clock); what
     * reaches the engine reaches it at the poll's time.
     */
    private void resume(ByteBuffer frame, int length, int tag, long now) {
        int direction = tag & 1;
        int hop = tag >>> 1;
        int entry = targetOf(frame, 0, length, direction == DOWN);
        if (entry < 0) {
            return;
        }
        if (direction == DOWN) {
            int depth = chainDown(node[entry]);
            taps.crossed(chain[hop - 1], true, frame, 0, length, now); // the link that held it let it through
            if (hop < depth && !forward(frame, 0, length, chain[hop - 1], now, true)) {
                return;
            }
            down(frame, 0, length, Offload.NONE, entry, hop, now); // links hold wire frames only
        } else {
            int depth = chainUp(node[entry]);
            taps.crossed(chain[hop - 1], false, frame, 0, length, now);
            if (hop < depth && !forward(frame, 0, length, chain[hop], now, false)) {
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

    // ------------------------------------------------------------------------------------------------
    // Routers
    // ------------------------------------------------------------------------------------------------

    /**
     * A router passes an IPv4 packet on: TTL minus one (RFC 1812 §5.3.1) with the header checksum updated.
     * When the TTL runs out it returns false, after answering ICMP time exceeded from its address when
     * {@code answer} (packets from the TAP; a virtual host's own packets are dropped quietly).
     */
    private boolean forward(ByteBuffer frame, int offset, int length, int routerNode, long now, boolean answer) {
        if (hosts.isStopped(routerNode)) {
            counters.drop(DropReason.HOST_STOPPED); // a stopped router forwards nothing
            return false;
        }
        ethernet.wrap(frame, offset, length);
        if (ethernet.etherType() != EthernetFrame.TYPE_IPV4) {
            return true;
        }
        int at = ethernet.payloadOffset();
        ip.wrap(frame, at, ethernet.payloadLength());
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
        int ttl = ip.ttl();
        if (ttl <= 1) {
            counters.drop(DropReason.TTL_EXCEEDED);
            if (answer) {
                input.timeExceeded(hosts.get(routerNode), frame, offset, length);
            }
            return false;
        }
        frame.put(at + 8, (byte) (ttl - 1));
        frame.putShort(at + 10, (short) 0);
        frame.putShort(at + 10, (short) InternetChecksum.of(frame, at, ip.headerLength()));
        return true;
    }

    /**
     * A packet from the TAP was too big for a link: with DF set, the node at the link's near end answers
     * ICMP fragmentation needed with the link's MTU (RFC 1191), and the kernel lowers its path MTU; without
     * DF it stays dropped (tapnet does not fragment). Below a router the near end is that router. A node's
     * link from the TAP's segment has no router at its near end, so the node itself answers: Linux takes a
     * "fragmentation needed" from any source, matching it by the quoted header alone (icmp_unreach).
     */
    private void fragmentationNeeded(ByteBuffer frame, int offset, int length, int nearNode, int mtu) {
        ethernet.wrap(frame, offset, length);
        if (ethernet.etherType() != EthernetFrame.TYPE_IPV4) {
            return;
        }
        ip.wrap(frame, ethernet.payloadOffset(), ethernet.payloadLength());
        if (ip.length() < Ipv4Packet.MIN_HEADER_LENGTH || ip.headerLength() >= ip.length()
                || !ip.dontFragment() || ip.fragmentOffset() != 0
                || isIcmpError(frame, ip.payloadOffset(), ip.protocol())) {
            return; // RFC 1812 §4.3.2.7: no ICMP error about an ICMP error or a later fragment
        }
        input.fragmentationNeeded(hosts.get(nearNode), frame, offset, length, mtu);
    }

    private static boolean isIcmpError(ByteBuffer frame, int payloadAt, int protocol) {
        if (protocol != Ipv4Packet.PROTOCOL_ICMP) {
            return false;
        }
        int type = frame.get(payloadAt) & 0xff;
        return type == IcmpMessage.TYPE_DESTINATION_UNREACHABLE || type == IcmpMessage.TYPE_TIME_EXCEEDED
                || type == SOURCE_QUENCH || type == REDIRECT || type == PARAMETER_PROBLEM;
    }

    /** Nodes from the top (on the TAP's segment) down to {@code target}, into {@link #chain}; returns how many. */
    private int chainDown(int target) {
        int depth = chainUp(target);
        for (int i = 0, j = depth - 1; i < j; i++, j--) {
            int t = chain[i];
            chain[i] = chain[j];
            chain[j] = t;
        }
        return depth;
    }

    /** Nodes from {@code source} up to the one on the TAP's segment, into {@link #chain}; returns how many. */
    private int chainUp(int source) {
        int depth = 0;
        for (int n = source; n >= 0 && depth < MAX_DEPTH; n = parent[n]) {
            chain[depth++] = n;
        }
        return depth;
    }

    /**
     * Whether the frame a router received is for an address on its subnet where no host is: then the router
     * answers host unreachable, as it would when its ARP for the address went unanswered.
     */
    private boolean toNoHost(ByteBuffer frame, int offset, int length, int routerEntry) {
        ethernet.wrap(frame, offset, length);
        if (ethernet.etherType() != EthernetFrame.TYPE_IPV4) {
            return false;
        }
        ip.wrap(frame, ethernet.payloadOffset(), ethernet.payloadLength());
        if (ip.check() == Ipv4Packet.Validity.MALFORMED || hosts.byAddress(ip.destination()) != null) {
            return false; // a malformed one goes on to the router's own input, which counts it
        }
        counters.drop(DropReason.NO_SUCH_HOST);
        if (ip.fragmentOffset() == 0 && !isIcmpError(frame, ip.payloadOffset(), ip.protocol())) {
            input.hostUnreachable(hosts.get(node[routerEntry]), frame, offset, length);
        }
        return true;
    }

    /**
     * The host-table entry a frame is for (incoming) or from (outgoing), by its IPv4 or ARP address; or -1.
     * An incoming IPv4 packet for an address on a routed subnet where no host is goes to that subnet's router.
     */
    private int targetOf(ByteBuffer buffer, int offset, int length, boolean incoming) {
        ethernet.wrap(buffer, offset, length);
        if (!ethernet.isComplete()) {
            return -1;
        }
        int address;
        if (ethernet.etherType() == EthernetFrame.TYPE_IPV4) {
            ip.wrap(buffer, ethernet.payloadOffset(), ethernet.payloadLength());
            if (ip.length() < Ipv4Packet.MIN_HEADER_LENGTH) {
                return -1;
            }
            address = incoming ? ip.destination() : ip.source();
        } else if (ethernet.etherType() == EthernetFrame.TYPE_ARP) {
            arp.wrap(buffer, ethernet.payloadOffset(), ethernet.payloadLength());
            if (!arp.isValidEthernetIpv4()) {
                return -1;
            }
            address = incoming ? arp.targetIp() : arp.senderIp();
        } else {
            return -1;
        }
        VirtualHost host = hosts.byAddress(address);
        if (host == null && incoming && ethernet.etherType() == EthernetFrame.TYPE_IPV4) {
            return routerFor(address);
        }
        return host == null || host.index() >= node.length ? -1 : host.index();
    }
}
