package tapnet.engine;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import tapnet.frame.FrameSink;
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
    private final FrameSink sink;
    private final Counters counters = new Counters();
    private final HostTable hosts = new HostTable();
    private final NeighborTable neighbors = new NeighborTable();
    private final TcpStack tcp;
    private final NetworkInput input;

    /**
     * @param seed keys the ISN hash and the connection table's hash; the same seed and input give the
     *             same output
     */
    public Engine(TcpConfig tcpConfig, Clock clock, FrameSink sink, long seed) {
        this.clock = clock;
        this.sink = sink;
        SplittableRandom random = new SplittableRandom(seed);
        PacketWriter out = new PacketWriter(sink, counters);
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

    /** One frame from the wire, {@code length} bytes at {@code offset}. */
    public void onFrame(ByteBuffer buffer, int offset, int length) {
        input.receive(buffer, offset, length, false, clock.nanos());
    }

    /** As above, for a frame whose TCP and UDP checksums its device vouches for (a TAP with offloads). */
    public void onFrame(ByteBuffer buffer, int offset, int length, boolean checksumsVerified) {
        input.receive(buffer, offset, length, checksumsVerified, clock.nanos());
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
        tcp.pollTimers(clock.nanos());
        tcp.flush();
        sink.flush();
    }

    /** The earliest pending timer deadline, or {@link TimerWheel#NONE}. */
    public long nextDeadline() {
        return tcp.nextDeadline();
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
