package tapnet.engine;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import tapnet.frame.FrameSink;
import tapnet.frame.HeldFrames;
import tapnet.link.Impairments;
import tapnet.link.LinkDirection;
import tapnet.observe.Counter;
import tapnet.net.HostTable;
import tapnet.net.NeighborTable;
import tapnet.net.NetworkInput;
import tapnet.net.PacketWriter;
import tapnet.net.VirtualHost;
import tapnet.observe.Counters;
import tapnet.tcp.ConnectionFaults;
import tapnet.tcp.ConnectionHandler;
import tapnet.tcp.TcpConnection;
import tapnet.tcp.IsnGenerator;
import tapnet.tcp.TcpConfig;
import tapnet.tcp.TcpStack;
import tapnet.time.Clock;
import tapnet.time.TimerWheel;

/**
 * Every virtual host, played by one thread: frames in through {@link #onFrame}, answers out through the
 * {@link FrameSink}, timers through {@link #pollTimers}. Live runs drive it from the ingress ring
 * ({@link EngineRunner}); simulated runs and tests call it directly with a virtual clock. Not thread-safe
 * by design: one thread owns all of it.
 */
public final class Engine {
    private final Clock clock;
    /** What the hosts write into: the links' wrapper around {@link #wire}. */
    private final FrameSink sink;
    /** The device itself: where frames go once their links let them. */
    private final FrameSink wire;
    private final Counters counters = new Counters();
    private final HostTable hosts = new HostTable();
    private final NeighborTable neighbors = new NeighborTable();
    private final TcpStack tcp;
    private final NetworkInput input;
    private final long seed;
    /** Emulated links between the TAP and hosts; null until the first is set. */
    private HostLinks links;
    private final HeldFrames.Release release = this::release;

    /** Frames held in flight by links at most (a link's delay times its rate, summed over links). */
    private static final int HELD_FRAMES = 8192;

    /**
     * @param seed keys the ISN hash and the connection table's hash; the same seed and input give the
     *             same output
     */
    public Engine(TcpConfig tcpConfig, Clock clock, FrameSink sink, long seed) {
        this.clock = clock;
        this.wire = sink;
        this.sink = new LinkedSink();
        this.seed = seed;
        SplittableRandom random = new SplittableRandom(seed);
        PacketWriter out = new PacketWriter(this.sink, counters);
        IsnGenerator isn = new IsnGenerator(random.nextLong(), random.nextLong());
        TcpStack.SecretKeys keys = new TcpStack.SecretKeys(random.nextLong(), random.nextLong(), random.nextInt());
        this.tcp = new TcpStack(tcpConfig, counters, out, isn, keys, new TcpStack.NetworkLayer() {
            @Override
            public void resolve(int localAddress, long localMac, int remoteAddress) {
                input.requestArp(localAddress, localMac, remoteAddress);
            }

            @Override
            public void portUnreachable() {
                input.portUnreachable();
            }
        }, clock.nanos());
        this.input = new NetworkInput(hosts, neighbors, counters, out, tcp);
    }

    /** Adds a virtual host. Before the engine starts. */
    public VirtualHost addHost(String name, int address, long mac) {
        return hosts.add(name, address, mac);
    }

    /** Serves TCP {@code port} of {@code host} with {@code handler}. Before the engine starts. */
    public void listen(VirtualHost host, int port, ConnectionHandler handler) {
        listen(host, port, handler, false);
    }

    /** As {@link #listen(VirtualHost, int, ConnectionHandler)}, choosing whether Nagle's algorithm is off. */
    public void listen(VirtualHost host, int port, ConnectionHandler handler, boolean noDelay) {
        tcp.listen(host.address(), port, handler, noDelay);
    }

    /** As above, with faults the port's connections suffer on purpose. */
    public void listen(VirtualHost host, int port, ConnectionHandler handler, boolean noDelay, ConnectionFaults faults) {
        tcp.listen(host.address(), port, handler, noDelay, faults);
    }

    /**
     * Opens a TCP connection from {@code host} to {@code remoteAddress:remotePort} (active open); ARP first
     * when the peer's MAC is unknown. {@code handler} hears onOpen, or onClose with the reason it failed.
     * Returns null when no connection slot or local port is free. Engine thread only.
     */
    public TcpConnection connect(VirtualHost host, int remoteAddress, int remotePort, ConnectionHandler handler) {
        TcpConnection c = tcp.connect(host.address(), host.mac(), remoteAddress, neighbors.lookup(remoteAddress),
                remotePort, handler, clock.nanos());
        sink.flush();
        return c;
    }

    /**
     * Sets the emulated link between the TAP and {@code host}: {@code towardHost} for frames from the
     * kernel to it, {@code towardTap} for its answers. Callable while running (through
     * {@link EngineRunner#call}): the link keeps its random generators and queue, so a run with changes
     * replays like one without. {@link Impairments#NONE} both ways makes the link perfect again.
     */
    public void setLink(VirtualHost host, Impairments towardHost, Impairments towardTap) {
        if (links == null) {
            links = new HostLinks(hosts, counters, seed, HELD_FRAMES, sink.maxFrameLength());
        }
        links.set(host, towardHost, towardTap);
    }

    /** One direction of a host's link, for its counters; null when the host has no link. */
    public LinkDirection link(VirtualHost host, boolean towardHost) {
        return links == null ? null : towardHost ? links.towardHost(host) : links.towardTap(host);
    }

    /** One frame from the wire, {@code length} bytes at {@code offset}. */
    public void onFrame(ByteBuffer buffer, int offset, int length) {
        onFrame(buffer, offset, length, false);
    }

    /** As above, for a frame whose TCP and UDP checksums its device vouches for (a TAP with offloads). */
    public void onFrame(ByteBuffer buffer, int offset, int length, boolean checksumsVerified) {
        long now = clock.nanos();
        counters.increment(Counter.FRAMES_IN);
        counters.add(Counter.BYTES_IN, length);
        if (links != null && links.any() && links.takeIncoming(buffer, offset, length, now)) {
            return; // the host's link dropped it or holds it for later
        }
        input.receive(buffer, offset, length, checksumsVerified, now);
    }

    /** A held frame's time has come: on to its host, or out to the TAP. */
    private void release(ByteBuffer frame, int length, int direction, long now) {
        if (direction == HostLinks.TOWARD_HOST) {
            input.receive(frame, 0, length, false, now);
        } else {
            ByteBuffer out = wire.claim();
            out.put(0, frame, 0, length);
            wire.commit(length);
        }
    }

    /** Between the hosts and the real sink: a host's link may drop, delay or change what it sends. */
    private final class LinkedSink implements FrameSink {
        private ByteBuffer claimed;

        @Override
        public ByteBuffer claim() {
            claimed = wire.claim();
            return claimed;
        }

        @Override
        public void commit(int length) {
            if (links != null && links.any() && links.takeOutgoing(claimed, length, clock.nanos())) {
                wire.abandon();
            } else {
                wire.commit(length);
            }
        }

        @Override
        public void abandon() {
            wire.abandon();
        }

        @Override
        public int maxFrameLength() {
            return wire.maxFrameLength();
        }

        @Override
        public void flush() {
            wire.flush();
        }
    }

    /** Counts frames the ingress reader dropped because the ring was full. */
    public void countIngressDrops(int frames) {
        for (int i = 0; i < frames; i++) {
            counters.drop(tapnet.observe.DropReason.INGRESS_RING_FULL);
        }
    }

    /** The current batch of input is done: owed acknowledgments go out, the sink flushes. */
    public void endOfBatch() {
        tcp.flush();
        sink.flush();
    }

    /** Fires due timers (retransmissions, TIME-WAIT) at the clock's current time. */
    public void pollTimers() {
        long now = clock.nanos();
        if (links != null) {
            links.releaseDue(now, release);
        }
        tcp.pollTimers(now);
        tcp.flush();
        sink.flush();
    }

    /** The earliest pending timer deadline or held frame's release, or {@link TimerWheel#NONE}. */
    public long nextDeadline() {
        long timers = tcp.nextDeadline();
        long held = links == null ? HeldFrames.NONE : links.nextRelease();
        if (held == HeldFrames.NONE) {
            return timers;
        }
        return timers == TimerWheel.NONE ? held : Math.min(timers, held);
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

    public Clock clock() {
        return clock;
    }
}
