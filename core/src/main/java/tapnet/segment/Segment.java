package tapnet.segment;

import java.nio.ByteBuffer;
import java.util.Arrays;
import tapnet.collections.LongLongHashMap;
import tapnet.frame.FrameSink;
import tapnet.frame.Offload;
import tapnet.frame.WireFrames;
import tapnet.link.Impairments;
import tapnet.link.LinkDirection;
import tapnet.link.Links;
import tapnet.link.SplitMix64;
import tapnet.node.HostTable;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;
import tapnet.time.Clock;
import tapnet.wire.ArpPacket;
import tapnet.wire.EthernetFrame;
import tapnet.wire.FrameAddresses;

/**
 * The TAP's Ethernet segment, as a learning switch: device 0 is the TAP, devices 1 onwards are real ports
 * (TAP devices in other namespaces), and the virtual hosts are one more station, reached by their MACs.
 * A frame goes where its destination MAC was last seen as a source, to everyone when that is unknown or a
 * broadcast, and crosses each port's link on the way out of the port (toward the segment) and into it.
 *
 * <p>Frames from devices keep their offload descriptor ({@link Offload}): a GSO frame of 64 KB goes from
 * one port to another whole when the links on its way are perfect, as through a kernel bridge, and is made
 * into wire frames before a link that acts on frames one by one or a device that takes wire frames only.
 *
 * <p>It is also the engine's sink: what the hosts send is switched like any frame. Without ports it passes
 * everything to the TAP untouched, without a copy (and with one host, without a lookup). A frame from one
 * host to another (or an ARP broadcast asking for one) is copied and handed back to the engine later, by
 * {@link #deliverLocal}: never while the frame that caused it is being handled. Engine thread only.
 *
 * <p>VXLAN remotes ({@link VxlanRemotes}) are devices too, after the ports. A frame never goes from one
 * remote to another (split horizon, as the kernel's vxlan device never sends on what came from the underlay):
 * each remote hears its frames from their senders, and a full mesh of runs makes no loop.
 */
public final class Segment implements FrameSink {
    /** What the segment hands the engine: a frame for a virtual host, or a broadcast it should hear. */
    public interface Station {
        void receive(ByteBuffer frame, int offset, int length, long offload, boolean fromTap, long now);
    }

    public static final int TAP = 0;
    /** The virtual hosts, as a source: they are no device. */
    public static final int HOSTS = Partition.HOSTS;
    private static final int TOWARD_PORT = 0;
    private static final int FROM_PORT = 1;
    private static final long PORT_STREAM = 0x706f7274L; // "port": keeps port links' generators apart from nodes'
    /** Frames between hosts waiting for the end of the batch or the next poll, at most. */
    private static final int LOCAL_FRAMES = 1024;
    /** MACs learned at most, so that made-up sources from a port or a remote cannot grow the table without end. */
    static final int MAX_STATIONS = 16_384;

    private final Counters counters;
    private final Partition partition;
    private final Clock clock;
    private final long seed;
    private final HostTable hosts;
    private final EthernetFrame ethernet = new EthernetFrame();
    private final ArpPacket arp = new ArpPacket();
    /** A frame's addresses, when a partition needs them. */
    private final FrameAddresses addresses;
    private final LocalFrames local;
    private final LocalFrames.Delivery localDelivery = this::receiveLocal;
    /** The time frames between hosts are delivered at, during {@link #deliverLocal}. */
    private long localNanos;
    /** How many MACs are the hosts': with fewer than two, no frame can go from one host to another. */
    private int hostStations;
    /** Source MAC to the device it was seen on; the hosts' own MACs map to {@link #HOSTS}. */
    private final LongLongHashMap stations = new LongLongHashMap(64, Long.MIN_VALUE);
    private Station engine;
    private FrameSink[] devices;
    private String[] names;
    private LinkDirection[] towardPort = new LinkDirection[1];
    private LinkDirection[] fromPort = new LinkDirection[1];
    private final VxlanRemotes remotes;
    /** Where the hosts write when there are ports: switched from here. */
    private ByteBuffer scratch;
    /** What the TAP's sink lent the hosts, when there are no ports. */
    private ByteBuffer claimed;
    /** The engine's links: a port's link is one of them. */
    private final Links links;
    /** This layer's number with {@link #links}: held frames of port links come back to {@link #resume}. */
    private final int linkLayer;
    /** Makes offloaded frames into wire frames for the links and devices that need them, and counts them. */
    private final WireFrames wireFrames;
    /** Where frames written to the devices are captured, or null. */
    private DeviceTaps taps;

    public Segment(FrameSink tap, Counters counters, Partition partition, HostTable hosts, Links links, Clock clock, long seed) {
        this.hosts = hosts;
        this.addresses = new FrameAddresses(hosts.addresses6());
        this.local = new LocalFrames(LOCAL_FRAMES, tap.maxFrameLength());
        this.wireFrames = new WireFrames(tap.maxFrameLength());
        this.devices = new FrameSink[] {tap};
        this.names = new String[] {"tap"};
        this.counters = counters;
        this.partition = partition;
        this.clock = clock;
        this.seed = seed;
        this.links = links;
        this.linkLayer = links.addLayer(this::resume);
        this.remotes = new VxlanRemotes(counters);
    }

    public void connect(Station station) {
        this.engine = station;
    }

    /** How many devices: the TAP and the ports. */
    public int devices() {
        return devices.length;
    }

    /** Whether frames need switching: there is a port besides the TAP. */
    public boolean switching() {
        return devices.length > 1;
    }

    /** A virtual host's or router's MAC: frames to it go to the engine. Before the engine starts. */
    public void addStation(long mac) {
        if (stations.put(mac, HOSTS) != HOSTS) {
            hostStations++;
        }
    }

    /** Adds a port; returns its device number. Before the engine starts. */
    public int addPort(String name, FrameSink port) {
        if (remotes.any()) {
            throw new IllegalStateException("ports come before the VXLAN remotes: " + name);
        }
        return addDevice(name, port);
    }

    private int addDevice(String name, FrameSink port) {
        int device = devices.length;
        devices = Arrays.copyOf(devices, device + 1);
        names = Arrays.copyOf(names, device + 1);
        towardPort = Arrays.copyOf(towardPort, device + 1);
        fromPort = Arrays.copyOf(fromPort, device + 1);
        devices[device] = port;
        names[device] = name;
        if (scratch == null) {
            scratch = ByteBuffer.allocate(maxFrameLength());
        }
        return device;
    }

    /**
     * Adds a VXLAN remote of VNI {@code vni}, after the ports and any remotes before it; returns its device
     * number. {@code remote} encapsulates what it is sent. Before the engine starts.
     */
    public int addVxlanRemote(String name, FrameSink remote, int vni) {
        int device = addDevice(name, remote);
        remotes.add(device, vni);
        partition.remotesFrom(device);
        return device;
    }

    /** The VXLAN remotes: what the underlay hands in is checked there before {@link #fromDevice}. */
    public VxlanRemotes remotes() {
        return remotes;
    }

    /** The name of device {@code device}: {@code tap}, or a port's. */
    public String deviceName(int device) {
        return names[device];
    }

    /** Captures what is written to the devices from now on (null: nothing). */
    public void capture(DeviceTaps deviceTaps) {
        this.taps = deviceTaps;
    }

    /** The device number of the TAP ({@code tap}) or port called {@code name}, or -1. */
    public int device(String name) {
        for (int d = 0; d < names.length; d++) {
            if (names[d].equals(name)) {
                return d;
            }
        }
        return -1;
    }

    /** Sets a port's link, each direction on its own generators; keeps them when the link exists. Any time. */
    public void setLink(int device, Impairments toward, Impairments from) {
        towardPort[device] = Links.update(towardPort[device], toward, linkSeed(device, TOWARD_PORT));
        fromPort[device] = Links.update(fromPort[device], from, linkSeed(device, FROM_PORT));
    }

    private long linkSeed(int device, int direction) {
        // by the port's name, not its device number: a run of one part makes the same choices as a whole one
        return SplitMix64.derive(SplitMix64.derive(SplitMix64.derive(seed, PORT_STREAM), names[device].hashCode()), direction);
    }


    /** One direction of a port's link, for its counters; null when it has none. */
    public LinkDirection link(int device, boolean towardThePort) {
        return towardThePort ? towardPort[device] : fromPort[device];
    }

    // ------------------------------------------------------------------------------------------------
    // Frames from devices
    // ------------------------------------------------------------------------------------------------

    /**
     * A frame read from {@code device}, with what its virtio-net header said ({@link Offload}); only called
     * when {@link #switching()}.
     */
    public void fromDevice(int device, ByteBuffer frame, int offset, int length, long offload, long now) {
        ethernet.wrap(frame, offset, length);
        if (!ethernet.isComplete()) {
            engine.receive(frame, offset, length, offload, device == TAP, now); // counted as malformed there
            return;
        }
        long source = ethernet.source();
        if ((source >>> 40 & 1) == 0 && stations.get(source) != HOSTS) {
            if (stations.size() < MAX_STATIONS || stations.containsKey(source)) {
                stations.put(source, device);
            } else {
                counters.increment(Counter.STATIONS_NOT_LEARNED); // frames to it are flooded, as to any unknown MAC
            }
        }
        LinkDirection link = fromPort[device];
        if (link != null) {
            if (Links.needsWireFrames(link, offload, false)) {
                if (wireFrames.begin(frame, offset, length, offload) < 0) {
                    counters.drop(DropReason.OFFLOAD_MALFORMED);
                    return;
                }
                for (int n; (n = wireFrames.next()) > 0; ) {
                    fromDevice(device, wireFrames.buffer(), 0, n, Offload.NONE, now);
                }
                return;
            }
            if (!links.cross(linkLayer, link, frame, offset, length, offload, now, device << 1 | FROM_PORT)) {
                return;
            }
        }
        forward(frame, offset, length, offload, device, now);
    }

    /** Switches a frame from {@code from} (a device, or {@link #HOSTS}) by its destination MAC. */
    private void forward(ByteBuffer frame, int offset, int length, long offload, int from, long now) {
        long destination = ethernet.wrap(frame, offset, length).destination();
        if ((destination >>> 40 & 1) != 0) { // broadcast or multicast: every other device, then the hosts
            for (int d = 0; d < devices.length; d++) {
                if (goesBetween(from, d)) {
                    toDevice(d, frame, offset, length, offload, from, now);
                }
            }
            if (from != HOSTS) {
                toHosts(frame, offset, length, offload, from, now);
            } else if (asksForHost(frame, offset, length)) {
                queueLocal(frame, offset, length);
            }
            return;
        }
        long device = stations.get(destination);
        if (device == HOSTS) {
            if (from != HOSTS) {
                toHosts(frame, offset, length, offload, from, now);
            } else {
                queueLocal(frame, offset, length); // from one host to another
            }
        } else if (device == stations.missingValue()) {
            for (int d = 0; d < devices.length; d++) { // unknown: flooded, as a switch does until it learns
                if (goesBetween(from, d)) {
                    toDevice(d, frame, offset, length, offload, from, now);
                }
            }
        } else if (goesBetween(from, (int) device)) {
            toDevice((int) device, frame, offset, length, offload, from, now);
        }
    }

    /** Whether a frame from {@code from} (a device, or the hosts) may go out through device {@code to}. */
    private boolean goesBetween(int from, int to) {
        return to != from && !(remotes.isRemote(from) && remotes.isRemote(to)); // split horizon
    }

    private void toHosts(ByteBuffer frame, int offset, int length, long offload, int from, long now) {
        if (!severed(frame, offset, length, offload, from, HOSTS)) {
            engine.receive(frame, offset, length, offload, from == TAP, Math.max(now, links.pollNanos()));
        }
    }

    /**
     * Whether a partition keeps the frame from {@code from} to {@code to}; counted when it does, as the
     * wire frames it stands for. Its addresses are read only when a partition is set and a host is one end.
     */
    private boolean severed(ByteBuffer frame, int offset, int length, long offload, int from, int to) {
        if (!partition.active()) {
            return false;
        }
        if (partition.placesByAddress(from) || partition.placesByAddress(to)) {
            addresses.read(frame, offset, length);
        }
        return severed(addresses, frame, offset, length, offload, from, to);
    }

    /** As above, with the frame's addresses already {@link FrameAddresses#read read}. */
    public boolean severed(FrameAddresses read, ByteBuffer frame, int offset, int length, long offload, int from, int to) {
        if (partition.active() && partition.severs(read, from, to)) {
            counters.drop(DropReason.PARTITIONED, offload == Offload.NONE ? 1 : Math.max(1, wireFrames.count(frame, offset, length, offload)));
            return true;
        }
        return false;
    }

    /**
     * Out through {@code device}, across its link when it is a port that has one. An offloaded frame goes
     * whole when the link is perfect and the device takes offloaded frames, as wire frames otherwise.
     */
    private void toDevice(int device, ByteBuffer frame, int offset, int length, long offload, int from, long now) {
        if (severed(frame, offset, length, offload, from, device)) {
            return;
        }
        LinkDirection link = towardPort[device];
        if (offload != Offload.NONE
                && ((link != null && Links.needsWireFrames(link, offload, false)) || !devices[device].takesOffloads())) {
            if (wireFrames.begin(frame, offset, length, offload) < 0) {
                counters.drop(DropReason.OFFLOAD_MALFORMED);
                return;
            }
            for (int n; (n = wireFrames.next()) > 0; ) {
                toDevice(device, wireFrames.buffer(), 0, n, Offload.NONE, from, now);
            }
            return;
        }
        if (link != null && !links.cross(linkLayer, link, frame, offset, length, offload, now, device << 1 | TOWARD_PORT)) {
            return;
        }
        write(device, frame, offset, length, offload);
    }

    private void write(int device, ByteBuffer frame, int offset, int length, long offload) {
        if (taps != null) {
            taps.frame(device, true, frame, offset, length, offload, clock.nanos());
        }
        devices[device].send(frame, offset, length, offload);
    }

    // ------------------------------------------------------------------------------------------------
    // Held frames
    // ------------------------------------------------------------------------------------------------

    /**
     * A held frame's time came: into its port, or on from its port into the segment, where the next link
     * decides as of the time it was due (as the routers' node links do).
     */
    private void resume(ByteBuffer frame, int length, int tag, long due) {
        int device = tag >>> 1;
        if ((tag & 1) == TOWARD_PORT) {
            write(device, frame, 0, length, Offload.NONE); // links hold wire frames only
        } else {
            forward(frame, 0, length, Offload.NONE, device, due);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Between hosts
    // ------------------------------------------------------------------------------------------------

    /** Whether frames between hosts wait for {@link #deliverLocal}: the engine's next deadline is now. */
    public boolean hasLocal() {
        return !local.isEmpty();
    }

    /**
     * Hands the engine the frames between hosts queued so far, at {@code now}, as if the hosts' own
     * station had received them; the partition applies. Not while a frame is being handled.
     */
    public void deliverLocal(long now) {
        localNanos = now;
        local.deliver(localDelivery);
    }

    private void receiveLocal(ByteBuffer frame, int length) {
        if (!severed(frame, 0, length, Offload.NONE, HOSTS, HOSTS)) {
            engine.receive(frame, 0, length, Offload.NONE, false, localNanos);
        }
    }

    private void queueLocal(ByteBuffer frame, int offset, int length) {
        if (!local.add(frame, offset, length)) {
            counters.drop(DropReason.HOSTS_QUEUE_FULL);
        }
    }

    /**
     * Without ports: whether a frame the hosts send is for them alone (to a host's MAC: queued, true). An
     * ARP broadcast asking for a host is queued too, but also goes to the TAP (false).
     */
    private boolean forHostsOnly(ByteBuffer frame, int length) {
        if (hostStations < 2 || !ethernet.wrap(frame, 0, length).isComplete()) {
            return false;
        }
        long destination = ethernet.destination();
        if ((destination >>> 40 & 1) != 0) {
            if (asksForHost(frame, 0, length)) {
                queueLocal(frame, 0, length);
            }
            return false;
        }
        if (stations.get(destination) != HOSTS) {
            return false;
        }
        queueLocal(frame, 0, length);
        return true;
    }

    /**
     * Whether a broadcast or multicast from the hosts asks for another host's address, an ARP request or a
     * neighbour solicitation to the target's solicited-node group: the hosts hear it too.
     */
    private boolean asksForHost(ByteBuffer frame, int offset, int length) {
        if (hostStations < 2) {
            return false;
        }
        int etherType = ethernet.wrap(frame, offset, length).etherType();
        if (etherType == EthernetFrame.TYPE_IPV6) { // a solicitation's destination, as FrameAddresses reads it, is its target
            return addresses.read(frame, offset, length) && addresses.isNeighborDiscovery()
                    && addresses.destination() != addresses.source() && hosts.byAddress(addresses.destination()) != null;
        }
        if (etherType != EthernetFrame.TYPE_ARP) {
            return false;
        }
        arp.wrap(frame, ethernet.payloadOffset(), ethernet.payloadLength());
        return arp.isValidEthernetIpv4() && arp.operation() == ArpPacket.OPERATION_REQUEST
                && arp.targetIp() != arp.senderIp() && hosts.byAddress(arp.targetIp()) != null;
    }

    // ------------------------------------------------------------------------------------------------
    // The hosts' sink
    // ------------------------------------------------------------------------------------------------

    @Override
    public ByteBuffer claim() {
        if (switching()) {
            return scratch;
        }
        claimed = devices[TAP].claim();
        return claimed;
    }

    @Override
    public void commit(int length) {
        if (switching()) {
            forward(scratch, 0, length, Offload.NONE, HOSTS, clock.nanos());
        } else if (forHostsOnly(claimed, length) || severed(claimed, 0, length, Offload.NONE, HOSTS, TAP)) {
            devices[TAP].abandon();
        } else {
            if (taps != null) {
                taps.frame(TAP, true, claimed, 0, length, Offload.NONE, clock.nanos());
            }
            devices[TAP].commit(length);
        }
    }

    @Override
    public void abandon() {
        if (!switching()) {
            devices[TAP].abandon();
        }
    }

    @Override
    public int maxFrameLength() {
        return devices[TAP].maxFrameLength();
    }

    @Override
    public void flush() {
        for (FrameSink device : devices) {
            device.flush();
        }
    }
}
