package tapnet.engine;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import tapnet.capture.Capture;
import tapnet.frame.FrameSink;
import tapnet.frame.Offload;
import tapnet.link.Impairments;
import tapnet.link.LinkDirection;
import tapnet.link.Links;
import tapnet.net.NeighborTable;
import tapnet.net.NetworkInput;
import tapnet.net.PacketWriter;
import tapnet.net.PingListener;
import tapnet.node.HostTable;
import tapnet.node.VirtualHost;
import tapnet.observe.Counters;
import tapnet.route.HostSink;
import tapnet.route.NodeTree;
import tapnet.route.Paths;
import tapnet.segment.Partition;
import tapnet.segment.Segment;
import tapnet.tcp.ConnectionFaults;
import tapnet.tcp.ConnectionHandler;
import tapnet.tcp.IsnGenerator;
import tapnet.tcp.TcpConfig;
import tapnet.tcp.TcpConnection;
import tapnet.tcp.TcpStack;
import tapnet.time.Clock;
import tapnet.time.Deadline;
import tapnet.wire.Ipv4Address;

/**
 * Every virtual host, played by one thread: frames in through {@link #onFrame}, answers out through the
 * {@link FrameSink}, timers through {@link #pollTimers}. Live runs drive it from the ingress ring
 * ({@link EngineRunner}); simulated runs and tests call it directly with a virtual clock. Not thread-safe
 * by design: one thread owns all of it.
 */
public final class Engine {
    private final Clock clock;
    /** What the hosts write into: up their paths, or straight onto the segment. */
    private final HostSink sink;
    /** The TAP's segment: where frames go once their links let them, to the TAP or to a port. */
    private final Segment wire;
    private final Counters counters = new Counters();
    private final HostTable hosts = new HostTable();
    private final NeighborTable neighbors = new NeighborTable(counters);
    private final TcpStack tcp;
    private final NetworkInput input;
    /** Where each node sits (behind which routers) and its link to its parent. */
    private final NodeTree tree;
    /** Carries frames through the routers and node links between the TAP's segment and the nodes. */
    private final Paths paths;
    /** The way frames go through the layers, in and out; what ends a batch and what runs when due. */
    private final FramePath frames;
    /** Groups of nodes kept apart, checked where frames enter and leave the segment. */
    private final Partition partition = new Partition(hosts);
    /** Packet captures of the devices and of node links, when asked for. */
    private final EngineCaptures captures;
    /** TCP connections and pings the hosts start as clients. */
    private final HostClients clients;
    /** UDP the hosts send as clients. */
    private final HostDatagrams datagrams;

    /** Frames held in flight by links at most (a link's delay times its rate, summed over links). */
    private static final int HELD_FRAMES = 16_384;
    /** Every emulated link, the ports' and the nodes', and the one queue of frames they hold. */
    private final Links links;
    /** The topology's seed: faults set while running draw from generators derived from it. */
    private final long seed;

    /**
     * @param seed keys the ISN hash and the connection table's hash; the same seed and input give the
     *             same output
     */
    public Engine(TcpConfig tcpConfig, Clock clock, FrameSink sink, long seed) {
        this.clock = clock;
        this.seed = seed;
        this.links = new Links(counters, HELD_FRAMES, sink.maxFrameLength());
        this.wire = new Segment(sink, counters, partition, hosts, links, clock, seed);
        this.tree = new NodeTree(hosts, seed);
        this.sink = new HostSink(wire, tree, clock);
        PacketWriter out = new PacketWriter(this.sink, counters, hosts.addresses6());
        this.input = new NetworkInput(hosts, neighbors, counters, out);
        HostNetwork network = new HostNetwork(input);
        SplittableRandom random = new SplittableRandom(seed);
        IsnGenerator isn = new IsnGenerator(random.nextLong(), random.nextLong());
        TcpStack.SecretKeys keys = new TcpStack.SecretKeys(random.nextLong(), random.nextLong(), random.nextInt());
        this.tcp = new TcpStack(tcpConfig, counters, out, isn, keys, network, clock.nanos());
        input.carryTcpTo(tcp);
        tree.tellMtusTo(network);
        this.paths = new Paths(tree, hosts, counters, links, network, wire, partition, sink.maxFrameLength());
        this.sink.carryThrough(paths);
        this.captures = new EngineCaptures(wire, tree, paths, hosts, sink.maxFrameLength());
        this.frames = new FramePath(clock, counters, wire, partition, tree, paths, links, network, tcp, this.sink, captures,
                hosts.addresses6());
        this.clients = new HostClients(hosts, neighbors, tree, input, tcp, this.sink, clock);
        this.datagrams = new HostDatagrams(hosts, input, this.sink, clients::nextHop);
    }

    /**
     * Adds a virtual host, before the engine starts: on the TAP's segment, or behind the router whose subnet holds its address.
     */
    public VirtualHost addHost(String name, int address, long mac) {
        VirtualHost host = hosts.add(name, address, mac);
        tree.addNode(host, tree.routerFor(address), false);
        wire.addStation(mac);
        return host;
    }

    /** The TAP's segment has the IPv6 prefix high/low/{@code length}: the hosts' neighbours are on it. */
    public void segmentPrefix6(long high, long low, int length) {
        input.segmentPrefix6(high, low, length);
        frames.shedding().segmentPrefix6(high, low, length);
    }

    /** Router {@code router} answers router solicitations with the route to high/low/{@code length}. Before start. */
    public void advertise(VirtualHost router, long high, long low, int length) {
        input.advertise(router, high, low, length);
    }

    /**
     * Adds a router: {@code address} on its parent's subnet (the TAP's, or another router's), and
     * {@code subnetAddress}/{@code prefixLength} its own subnet, whose hosts it forwards to, one TTL each.
     * It answers ARP on its parent's segment and ping on both addresses. Before the engine starts.
     */
    public VirtualHost addRouter(String name, int address, long mac, int subnetAddress, int prefixLength) {
        VirtualHost upstream = hosts.add(name, address, mac);
        tree.addNode(upstream, tree.routerFor(address), true);
        wire.addStation(mac);
        VirtualHost inside = hosts.add(name + "@" + Ipv4Address.format(subnetAddress), subnetAddress, mac);
        tree.addAlias(inside, upstream.index());
        tree.addSubnet(subnetAddress, Ipv4Address.mask(prefixLength), upstream.index());
        return upstream;
    }

    /**
     * Gives router {@code upstream} (as {@link #addRouter} returned it) IPv6: {@code address6} on its
     * parent's segment, with the link-local address its MAC makes, and {@code inside6} on the subnet
     * {@code inside6}/{@code prefixLength6} it serves, whose hosts it forwards to. Before the engine starts.
     */
    public void addRouter6(VirtualHost upstream, long[] address6, long[] inside6, int prefixLength6) {
        hosts.addIpv6(upstream, address6[0], address6[1]);
        VirtualHost inside = hosts.get(upstream.index() + 1); // addRouter adds its inside entry right after
        hosts.addAddress6(inside, inside6[0], inside6[1]);
        tree.addSubnet6(inside6[0], inside6[1], prefixLength6, upstream.index());
    }

    /**
     * The TAP's segment is {@code network}/{@code prefixLength}: the hosts learn ARP senders on it only,
     * as a host learns its neighbours on its interface's subnet. Before the engine starts.
     */
    public void segmentSubnet(int network, int prefixLength) {
        neighbors.limitTo(network, prefixLength);
        frames.shedding().segmentSubnet(network, prefixLength);
    }

    /**
     * Whether the engine is behind its devices (a queue it could not drain): then IPv4 from off the TAP's
     * subnet is dropped unanswered ({@link LoadShedding}), so that a flood from random sources does not
     * crowd out the segment's own traffic. Told by whoever reads the devices. Engine thread only.
     */
    public void behind(boolean value) {
        frames.shedding().behind(value);
    }

    /** Serves UDP {@code port} of {@code host} with {@code handler}. Before the engine starts. */
    public void listenUdp(VirtualHost host, int port, tapnet.net.UdpHandler handler) {
        input.listenUdp(host, port, handler);
    }

    /** Serves TCP {@code port} of {@code host} with {@code handler}. Before the engine starts. */
    public void listen(VirtualHost host, int port, ConnectionHandler handler) {
        listen(host, port, handler, false);
    }

    /** As {@link #listen(VirtualHost, int, ConnectionHandler)}, choosing whether Nagle's algorithm is off. */
    public void listen(VirtualHost host, int port, ConnectionHandler handler, boolean noDelay) {
        listen(host, port, handler, noDelay, ConnectionFaults.none());
    }

    /** As above, with faults the port's connections suffer on purpose. */
    public void listen(VirtualHost host, int port, ConnectionHandler handler, boolean noDelay, ConnectionFaults faults) {
        tcp.listen(host, port, handler, noDelay, faults);
    }

    /**
     * As above, the faults given as rules: they draw from a generator of their own, derived from the seed,
     * the host and the port, as those {@link #setFaults} sets later do, so a run replays.
     */
    public void listen(VirtualHost host, int port, ConnectionHandler handler, boolean noDelay, java.util.List<ConnectionFaults.Rule> rules) {
        listen(host, port, handler, noDelay, new ConnectionFaults(rules, faultSeed(host, port)));
    }

    /**
     * Opens a TCP connection from {@code host} to {@code remoteAddress:remotePort} (active open); ARP first
     * when the peer's MAC is unknown. {@code handler} hears onOpen, or onClose with the reason it failed.
     * The peer may be the kernel, a port's machine or another virtual host. Returns null when no slot or
     * local port is free, the host is stopped or has no address of the remote's family. Engine thread only.
     */
    public TcpConnection connect(VirtualHost host, int remoteAddress, int remotePort, ConnectionHandler handler) {
        return clients.connect(host, remoteAddress, remotePort, handler);
    }

    /**
     * Sends an ICMP echo request from {@code from} to {@code address} (the kernel, a port's machine, another
     * virtual host or a router), {@code payloadBytes} bytes of payload; ARP first when the neighbour's MAC
     * is unknown, or to its router when a router is in between. {@code listener} hears the echo reply
     * matching {@code identifier} and {@code sequence} ({@link PingListener#onReply}, with the time since
     * this call), or an ICMP error quoting the request ({@link PingListener#onUnreachable}); no answer, no
     * call: timing out is the caller's. At most 1024 pings wait at once; beyond, the oldest waiting is
     * forgotten. Returns false, sending nothing, when {@code from} is stopped or has no address of {@code address}'s family. Engine thread only.
     *
     * @throws IllegalArgumentException for an identifier or sequence outside 0..65535, or a payload over
     *                                  65,507 bytes (what an IPv4 datagram holds; beyond the MTU it leaves in fragments)
     */
    public boolean ping(VirtualHost from, int address, int identifier, int sequence, int payloadBytes, PingListener listener) {
        return clients.ping(from, address, identifier, sequence, payloadBytes, listener);
    }

    /**
     * Stops {@code host} (or a router, both its addresses): from now on it is silent. Every frame for it,
     * ARP included, is dropped (counted as {@code host-stopped}), and so is every frame a stopped router
     * would forward; its connections are forgotten without a segment sent (their handlers hear onClose,
     * reason ABORTED), so that after {@link #startHost} their peers' next segments meet RST; its pings are
     * forgotten. Its listeners stay. Idempotent. Engine thread only.
     */
    public void stopHost(VirtualHost host) {
        setStopped(host, true);
    }

    /**
     * Starts a stopped host or router again: it answers and serves as before, with no memory of the
     * connections it had. Idempotent. Engine thread only.
     */
    public void startHost(VirtualHost host) {
        setStopped(host, false);
    }

    private void setStopped(VirtualHost host, boolean stopped) {
        for (VirtualHost entry : tree.entriesOf(host)) {
            hosts.setStopped(entry.index(), stopped);
            if (stopped) {
                tcp.forget(entry.address());
                input.forgetPings(entry);
            }
        }
    }

    /**
     * Stops every service on {@code port} of {@code host}, TCP's and UDP's: SYNs meet RST and datagrams port
     * unreachable, as at a closed port; the TCP connections it has go on. Engine thread only.
     *
     * @throws IllegalArgumentException when nothing listens there
     */
    public void stopService(VirtualHost host, int port) {
        serve(host, port, false);
    }

    /** Starts stopped services again, with the handlers and faults they had. Engine thread only. */
    public void startService(VirtualHost host, int port) {
        serve(host, port, true);
    }

    private void serve(VirtualHost host, int port, boolean serving) {
        boolean udp = input.serveUdp(host, port, serving);
        if (!udp || tcp.handler(host.address(), port) != null) {
            tcp.serve(host.address(), port, serving); // throws when neither protocol serves the port
        }
    }

    /**
     * Replaces the faults of the service on TCP {@code port} of {@code host} with {@code rules} (empty: none), for
     * SYNs and connections from now on; connections it already has keep theirs. The rules draw from generators
     * seeded as the topology's faults are (seed, host and port), so a run replays. Engine thread only.
     *
     * @throws IllegalArgumentException when nothing listens there
     */
    public void setFaults(VirtualHost host, int port, java.util.List<ConnectionFaults.Rule> rules) {
        tcp.setFaults(host.address(), port, new ConnectionFaults(rules, faultSeed(host, port)));
    }

    /** A service's faults' seed: from the engine's, the host and the port. */
    private long faultSeed(VirtualHost host, int port) {
        return seed * 31 + ((long) host.address() << 16 | port);
    }

    /**
     * Sets the emulated link between the TAP and {@code host}: {@code towardHost} for frames from the
     * kernel to it, {@code towardTap} for its answers. Callable while running (through
     * {@link EngineRunner#call}): the link keeps its random generators and queue, so a run with changes
     * replays like one without. {@link Impairments#NONE} both ways makes the link perfect again.
     */
    public void setLink(VirtualHost host, Impairments towardHost, Impairments towardTap) {
        tree.setLink(host, towardHost, towardTap);
    }

    /**
     * Sets the link of the node called {@code node}: a host's or router's to its parent, or a port's to the
     * segment; as {@link #setLink(VirtualHost, Impairments, Impairments)} and {@link #setPortLink}.
     *
     * @throws IllegalArgumentException when no node has that name
     */
    public void setLink(String node, Impairments towardNode, Impairments towardParent) {
        int port = port(node);
        if (port > 0) {
            setPortLink(port, towardNode, towardParent);
        } else {
            setLink(node(node), towardNode, towardParent);
        }
    }

    /** One direction of the link of the node called {@code node}; null when it has none, or another part plays it. */
    public LinkDirection link(String node, boolean towardNode) {
        int port = port(node);
        return port > 0 ? portLink(port, towardNode)
                : remoteNodes().has(node) ? null : link(node(node), towardNode);
    }

    /** The host or router called {@code name}. @throws IllegalArgumentException when there is none */
    public VirtualHost node(String name) {
        VirtualHost host = hosts.byName(name);
        if (host == null) {
            throw new IllegalArgumentException("no host, router or port named '" + name + "'");
        }
        return host;
    }

    /** One direction of a node's link to its parent, for its counters; null when it has none. */
    public LinkDirection link(VirtualHost host, boolean towardHost) {
        return towardHost ? tree.towardNode(host) : tree.towardParent(host);
    }

    /**
     * Adds a real port: one more device on the TAP's segment (a TAP in another namespace), whose frames
     * arrive through {@link #onFrame(ByteBuffer, int, int, boolean, int)} with the number returned, and go
     * out through {@code port}. Before the engine starts.
     */
    public int addPort(String name, FrameSink port) {
        return wire.addPort(name, port);
    }

    /** Adds a VXLAN remote of the TAP's segment, after the ports ({@link Segment#addVxlanRemote}). */
    public int addVxlanRemote(String name, FrameSink remote, int vni) {
        return wire.addVxlanRemote(name, remote, vni);
    }

    /** The routers' subnets extended over VXLAN, and the devices the underlay's datagrams come as. Before start. */
    public tapnet.route.VxlanRouting vxlanSubnets() {
        return paths.vxlan();
    }

    /** The name of device {@code device}: 0 the TAP, then each port ({@link #port}); null past the last. */
    public String deviceName(int device) {
        return device < wire.devices() ? wire.deviceName(device) : null;
    }

    /** The device number of the port called {@code name}, or -1. */
    public int port(String name) {
        int device = wire.device(name);
        return device > Segment.TAP ? device : -1;
    }

    /**
     * Cuts groups of nodes off from each other: frames between nodes of different groups are dropped
     * (counted as {@code partitioned}); nodes of one group, and nodes in none, talk as before. A node is
     * {@code tap}, a port, a host, a router or a node of another part ({@link #remoteNodes}), by name; a router's
     * group takes in the nodes behind it no group names. Replaces the partition before; any time ({@link EngineRunner#call}).
     * @throws IllegalArgumentException naming a node that does not exist, or one in two groups
     */
    public void partition(java.util.List<? extends java.util.Collection<String>> groups) {
        PartitionGroups.apply(groups, wire, hosts, tree, partition);
    }

    /** The nodes other parts of a split topology play, which a partition may name. Filled before the engine starts. */
    public tapnet.segment.RemoteNodes remoteNodes() {
        return partition.remoteNodes();
    }

    /** Ends the partition: every node reaches every other again. */
    public void heal() {
        partition.heal();
    }

    /**
     * Sets the emulated link between the segment and port {@code device}: {@code towardPort} for frames
     * going out through the port, {@code fromPort} for frames it brings in. Callable while running, as
     * {@link #setLink(VirtualHost, Impairments, Impairments)}.
     */
    public void setPortLink(int device, Impairments towardPort, Impairments fromPort) {
        wire.setLink(device, towardPort, fromPort);
    }

    /** One direction of a port's link, for its counters; null when it has none. */
    public LinkDirection portLink(int device, boolean towardPort) {
        return wire.link(device, towardPort);
    }

    /** One wire frame from the TAP, {@code length} bytes at {@code offset}, read now. */
    public void onFrame(ByteBuffer buffer, int offset, int length) {
        onFrame(buffer, offset, length, Offload.NONE, Segment.TAP);
    }

    /** As below, read now. */
    public void onFrame(ByteBuffer buffer, int offset, int length, long offload, int device) {
        onFrame(buffer, offset, length, offload, device, clock.nanos());
    }

    /**
     * One frame from device {@code device} (0 the TAP, 1 onwards the ports, as {@link #addPort} numbered
     * them), with what its virtio-net header said ({@link Offload}; {@link Offload#NONE} for a wire frame),
     * read at {@code receivedNanos} (on the engine's clock): its time in captures and on links, so that
     * the time it waited to be handled counts toward a link's delay.
     */
    public void onFrame(ByteBuffer buffer, int offset, int length, long offload, int device, long receivedNanos) {
        frames.fromDevice(buffer, offset, length, offload, device, receivedNanos);
    }

    /** Captures the TAP and every port into {@code capture}, an interface each: frames read inbound, written outbound. */
    public void capture(Capture capture) {
        captures.captureDevices(capture);
    }

    /**
     * Captures the link between {@code node} (a host or router) and its parent (tap or a router) on interface
     * {@code link PARENT<->NODE} as frames leave it, outbound toward the node. A node on the TAP's segment
     * without a link gets a perfect one, where the capture watches. Before start or on the engine thread.
     *
     * @throws IllegalArgumentException when there is no such node
     */
    public void captureLink(String node, Capture capture) {
        captures.captureLink(node, capture);
    }

    /** Stops {@code capture} watching the devices and links; the caller then closes it. Engine thread only. */
    public void stopCapture(Capture capture) {
        captures.stop(capture);
    }

    /** Counts frames the ingress reader dropped because the ring was full. */
    public void countIngressDrops(int frames) {
        counters.drop(tapnet.observe.DropReason.INGRESS_RING_FULL, frames);
    }

    /** The current batch of input is done: owed ACKs go out, frames between hosts are delivered, the sink flushes. */
    public void endOfBatch() {
        frames.endOfBatch();
    }

    /** Runs what is due at the clock's time: frames links held, timers (retransmissions, TIME-WAIT...). */
    public void pollTimers() {
        frames.runDue();
    }

    /**
     * The engine's one deadline: the earliest timer or held frame's release, or {@link Deadline#NONE}; now,
     * while frames between hosts wait to be delivered (by {@link #pollTimers}).
     */
    public long nextDeadline() {
        return frames.nextDeadline();
    }

    public Counters counters() {
        return counters;
    }

    public HostTable hosts() {
        return hosts;
    }

    public NeighborTable neighbors() {
        return neighbors;
    }

    public TcpStack tcp() {
        return tcp;
    }

    /** UDP the hosts send themselves, as clients. */
    public HostDatagrams datagrams() {
        return datagrams;
    }

    public Clock clock() {
        return clock;
    }
}
