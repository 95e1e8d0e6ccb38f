package tapnet.engine;

import java.nio.ByteBuffer;
import tapnet.frame.Offload;
import tapnet.frame.TcpCoalescer;
import tapnet.frame.WireFrames;
import tapnet.link.Links;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;
import tapnet.route.HostSink;
import tapnet.route.NodeTree;
import tapnet.route.Paths;
import tapnet.segment.LoadShedding;
import tapnet.segment.Partition;
import tapnet.segment.Segment;
import tapnet.segment.VxlanRemotes;
import tapnet.tcp.TcpStack;
import tapnet.time.Clock;
import tapnet.time.Deadline;
import tapnet.wire.FrameAddresses;
import tapnet.wire.Ipv6Addresses;

/**
 * The way a frame goes through the engine, layer by layer: read from a device, shed when the engine is
 * behind, switched on the TAP's segment (partitions, ports and their links), carried through routers and
 * node links, and handed to the hosts' network layer and TCP; what the hosts answer goes back the same way
 * through the {@link HostSink}. Also what ends a batch and what runs when due: owed ACKs, frames between
 * hosts, held frames and timers. Engine thread only.
 */
final class FramePath {
    /** Rounds of frames between hosts delivered per batch or poll; what is left waits for the next (due now). */
    private static final int LOCAL_ROUNDS = 64;

    private final Clock clock;
    private final Counters counters;
    private final Segment segment;
    private final Partition partition;
    private final NodeTree tree;
    private final Paths paths;
    private final Links links;
    private final HostNetwork hosts;
    private final TcpStack tcp;
    private final HostSink hostSink;
    private final EngineCaptures captures;
    /** What is dropped first when the engine falls behind its devices. */
    private final LoadShedding shedding = new LoadShedding();
    /** Who a frame from a device is from and for, read once on its way in. */
    private final FrameAddresses arriving;
    /** Makes GSO frames other than TCP into wire frames before the hosts get them. */
    private final WireFrames hostFrames;
    /** Joins the TCP segments of a remote's batch of datagrams into GSO frames (GRO). */
    private final TcpCoalescer remoteFrames = new TcpCoalescer(this::fromRemote);
    /** The device and read time of the remote's batch {@link #remoteFrames} is joining. */
    private int remoteDevice;
    private long remoteReceivedNanos;

    FramePath(Clock clock, Counters counters, Segment segment, Partition partition, NodeTree tree, Paths paths,
              Links links, HostNetwork hosts, TcpStack tcp, HostSink hostSink, EngineCaptures captures,
              Ipv6Addresses addresses6) {
        this.clock = clock;
        this.counters = counters;
        this.segment = segment;
        this.partition = partition;
        this.tree = tree;
        this.paths = paths;
        this.links = links;
        this.hosts = hosts;
        this.tcp = tcp;
        this.hostSink = hostSink;
        this.captures = captures;
        this.hostFrames = new WireFrames(hostSink.maxFrameLength());
        this.arriving = new FrameAddresses(addresses6);
        segment.connect(this::receive);
    }

    LoadShedding shedding() {
        return shedding;
    }

    /**
     * A frame from {@code device} read at {@code receivedNanos}: its time in captures and on links, so that
     * the time it waited to be handled counts toward a link's delay. The hosts see the engine's time.
     */
    void fromDevice(ByteBuffer buffer, int offset, int length, long offload, int device, long receivedNanos) {
        if (segment.remotes().isRemote(device) || paths.vxlan().subnets().isUnderlay(device)) {
            fromUnderlay(buffer, offset, length, VxlanRemotes.datagramSize(offload), device, receivedNanos);
            return;
        }
        arrive(buffer, offset, length, offload, device, receivedNanos);
    }

    /**
     * VXLAN datagrams from a remote, {@code datagramSize} bytes each (0: one datagram; see {@link VxlanRemotes}):
     * those of a router's subnet (by their VNI) to it; of the rest, each one's header checked (counted and
     * dropped when wrong), the inner frames joined where they are TCP segments of one flow, each frame or
     * joined frame on as if read from the remote's device.
     */
    private void fromUnderlay(ByteBuffer buffer, int offset, int length, int datagramSize, int device, long receivedNanos) {
        if (datagramSize == 0) { // one datagram: nothing to join it with
            if (toRouterSubnet(buffer, offset, length, device)) {
                return;
            }
            int inner = segment.remotes().innerOffset(device, buffer, offset, length);
            if (inner >= 0) {
                arrive(buffer, inner, length - (inner - offset), Offload.NONE, device, receivedNanos);
            }
            return;
        }
        remoteDevice = device;
        remoteReceivedNanos = receivedNanos;
        for (int at = offset, end = offset + length; at < end; at += datagramSize) {
            int datagram = Math.min(datagramSize, end - at);
            if (toRouterSubnet(buffer, at, datagram, device)) {
                continue;
            }
            int inner = segment.remotes().innerOffset(device, buffer, at, datagram);
            if (inner >= 0) {
                remoteFrames.add(buffer, inner, datagram - (inner - at));
            }
        }
        remoteFrames.flush();
    }

    /** Whether a router's VXLAN subnet took the datagram (by its VNI): routed by the router, or counted and dropped. */
    private boolean toRouterSubnet(ByteBuffer buffer, int offset, int length, int device) {
        if (!paths.vxlan().subnets().any()) {
            return false;
        }
        long now = clock.nanos();
        hosts.at(now);
        return paths.vxlan().takeFromUnderlay(device, buffer, offset, length, now);
    }

    /** A frame of a remote's batch, or frames joined from it. */
    private void fromRemote(ByteBuffer buffer, int offset, int length, long offload) {
        arrive(buffer, offset, length, offload, remoteDevice, remoteReceivedNanos);
    }

    /** A frame from {@code device}, a remote's inner frame included: counted, captured, switched or received. */
    private void arrive(ByteBuffer buffer, int offset, int length, long offload, int device, long receivedNanos) {
        long now = clock.nanos();
        hosts.at(now);
        long at = Math.min(receivedNanos, now);
        counters.increment(Counter.FRAMES_IN);
        counters.add(Counter.BYTES_IN, length);
        captures.fromDevice(device, buffer, offset, length, offload, at);
        if (segment.switching()) {
            if (shedding.behind() && arriving.read(buffer, offset, length) && shedding.sheds(arriving)) {
                counters.drop(DropReason.SHED_OFF_SUBNET);
                return;
            }
            segment.fromDevice(device, buffer, offset, length, offload, at);
            return;
        }
        if (shedding.behind() || tree.active() || partition.active()) {
            arriving.read(buffer, offset, length); // else nothing looks at them before the hosts
        }
        if (shedding.sheds(arriving)) {
            counters.drop(DropReason.SHED_OFF_SUBNET);
        } else if (!segment.severed(arriving, buffer, offset, length, offload, Segment.TAP, Segment.HOSTS)) {
            receive(buffer, offset, length, offload, arriving, true, at);
        }
    }

    /** A frame the segment hands the hosts (from a port, a held frame, another host). */
    private void receive(ByteBuffer buffer, int offset, int length, long offload, boolean fromTap, long now) {
        if (tree.active()) {
            arriving.read(buffer, offset, length);
        }
        receive(buffer, offset, length, offload, arriving, fromTap, now);
    }

    /**
     * A frame for the hosts, its addresses {@code read}: through routers and links first, when there are
     * any. A GSO frame of TCP reaches a host whole (its TCP takes a 64 KB segment, as a kernel's GRO hands
     * one up); any other GSO frame (UDP) arrives as the wire frames it stands for.
     */
    private void receive(ByteBuffer buffer, int offset, int length, long offload, FrameAddresses read,
                         boolean fromTap, long now) {
        if (Offload.isGso(offload) && !isTcpGso(offload)) {
            if (hostFrames.begin(buffer, offset, length, offload) < 0) {
                counters.drop(DropReason.OFFLOAD_MALFORMED);
                return;
            }
            for (int n; (n = hostFrames.next()) > 0; ) {
                receive(hostFrames.buffer(), 0, n, Offload.NONE, fromTap, now);
            }
            return;
        }
        if (tree.active() && paths.takeIncoming(buffer, offset, length, offload, read, fromTap, now)) {
            return; // routers and links carried it: dropped, held for later, answered or delivered
        }
        hosts.receive(buffer, offset, length, Offload.checksumsTrusted(offload));
    }

    private static boolean isTcpGso(long offload) {
        int type = Offload.gsoType(offload) & ~Offload.GSO_ECN;
        return type == Offload.GSO_TCPV4 || type == Offload.GSO_TCPV6;
    }

    /**
     * The current batch of input is done: owed acknowledgments go out, frames between hosts are delivered,
     * the sink flushes.
     */
    void endOfBatch() {
        long now = clock.nanos();
        hosts.at(now);
        tcp.flush();
        deliverBetweenHosts(now);
        hostSink.flush();
        captures.flush();
    }

    /** Runs what is due at the clock's time: frames links held, replies sent late, timers (retransmissions, TIME-WAIT...). */
    void runDue() {
        long now = clock.nanos();
        hosts.at(now);
        links.releaseDue(now);
        hosts.releaseHeld(now);
        tcp.pollTimers(now);
        tcp.flush();
        deliverBetweenHosts(now);
        hostSink.flush();
        captures.flush();
    }

    /**
     * Frames one virtual host sent another, queued while frames were handled: delivered now, and the
     * answers they bring, round by round; what is left after {@link #LOCAL_ROUNDS} waits for the next poll.
     */
    private void deliverBetweenHosts(long now) {
        for (int round = 0; round < LOCAL_ROUNDS && segment.hasLocal(); round++) {
            segment.deliverLocal(now);
            tcp.flush();
        }
    }

    /**
     * The one deadline of the engine: the earliest timer, held frame's or held reply's release, or {@link Deadline#NONE};
     * now, while frames between hosts wait to be delivered.
     */
    long nextDeadline() {
        if (segment.hasLocal()) {
            return clock.nanos();
        }
        return Math.min(Math.min(tcp.nextDeadline(), links.nextRelease()), hosts.nextHeldRelease());
    }
}
