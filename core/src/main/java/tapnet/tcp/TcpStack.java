package tapnet.tcp;

import java.nio.ByteBuffer;
import tapnet.buffer.ChunkPool;
import tapnet.net.PacketWriter;
import tapnet.net.TcpReceiver;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;
import tapnet.time.TimerWheel;
import tapnet.wire.TcpSegment;

/**
 * TCP for every virtual host (RFC 9293), as the engine sees it: services listen and hosts connect here,
 * segments and timer ticks come in here, and each goes to the part of TCP whose job it is. Those parts:
 * <ul>
 *   <li>{@link PassiveOpen}: closed ports, listeners, SYN backlogs and SYN cookies;</li>
 *   <li>{@link ActiveOpen}: connections a host opens, and SYN-SENT;</li>
 *   <li>{@link SegmentArrival}: a segment for a connection, per §3.10.7.4 and RFC 5961;</li>
 *   <li>{@link CongestionControl}: NewReno and the undo of spurious fast retransmits;</li>
 *   <li>{@link TcpOutput}: sending (Nagle, windows, retransmissions), at the end of every event;</li>
 *   <li>{@link DelayedAcks}, {@link RateLimitedAcks}: ACKs that wait for the batch's end, and those limited;</li>
 *   <li>{@link TimerDeadlines}, {@link TcpTimers}: when each connection's timer fires, and what it does then;</li>
 *   <li>{@link ConnectionLifecycle}: onOpen, onClose, TIME-WAIT and the release of slots;</li>
 *   <li>{@link HandshakeOptions}: MSS, window scale, SACK and timestamps;</li>
 *   <li>{@link FaultInjection}: the faults connections suffer on purpose, beside their control blocks.</li>
 * </ul>
 * One instance per engine thread, and that thread is the only one that touches it.
 */
public final class TcpStack implements TcpReceiver {
    private final Counters counters;
    /** Where segments are written; it knows the IPv6 addresses behind handles, which checksums need. */
    private final PacketWriter out;
    private final ConnectionTable table;
    private final ListenerTable listeners = new ListenerTable();
    private final TimerWheel timers;
    private final HandshakeOptions handshake;
    private final ConnectionLifecycle lifecycle;
    private final TcpOutput output;
    private final DelayedAcks delayedAcks;
    private final SegmentArrival arrival;
    private final PassiveOpen passiveOpen;
    private final ActiveOpen activeOpen;
    private final TcpTimers expiry;
    private final IncomingSegment incoming = new IncomingSegment();
    /** The time of the latest event: what {@link #flush} stamps its ACKs with. */
    private long now;

    public TcpStack(TcpConfig config, Counters counters, PacketWriter out, IsnGenerator isn, SecretKeys keys,
                    NetworkLayer network, long startNanos) {
        this.counters = counters;
        int chunks = (int) Math.max(1, Math.min(Integer.MAX_VALUE - 8, config.bufferMemory() / ChunkPool.DEFAULT_CHUNK_SIZE));
        ChunkPool pool = new ChunkPool(ChunkPool.DEFAULT_CHUNK_SIZE, chunks);
        long initialRto = config.initialRto().toNanos();
        long minRto = config.minRto().toNanos();
        long maxRto = config.maxRto().toNanos();
        this.table = new ConnectionTable(config.maxConnections(), pool, config.bufferSize(),
                id -> new RetransmissionTimeout(initialRto, minRto, maxRto), keys.tableSalt());
        this.timers = new TimerWheel(config.maxConnections(), 1_000_000, 4096, startNanos);
        FaultInjection faults = new FaultInjection(config.maxConnections(), counters);
        this.out = out;
        SegmentWriter writer = new SegmentWriter(counters, out, faults);
        this.handshake = new HandshakeOptions(config, isn, out.maxTransportLength());
        CongestionControl congestion = new CongestionControl(counters, config.initialWindow());
        TimerDeadlines timer = new TimerDeadlines(timers, faults);
        this.lifecycle = new ConnectionLifecycle(table, timer, faults, counters, config.timeWait().toNanos());
        this.output = new TcpOutput(writer, counters, faults, timer, lifecycle);
        this.delayedAcks = new DelayedAcks(table, writer);
        this.arrival = new SegmentArrival(counters, writer, output, congestion, lifecycle, new RateLimitedAcks(counters),
                delayedAcks, faults);
        this.passiveOpen = new PassiveOpen(config, table, isn, new SynCookies(keys.cookieKey0(), keys.cookieKey1()),
                counters, writer, handshake, congestion, faults, output, arrival, network);
        this.activeOpen = new ActiveOpen(table, listeners, isn, counters, writer, handshake, congestion, output, timer,
                lifecycle, network, keys.tableSalt());
        this.expiry = new TcpTimers(config, table, counters, faults, congestion, output, timer, lifecycle, network);
        this.now = startNanos;
    }

    /** What TCP asks of the network layer below it. */
    public interface NetworkLayer {
        /** Asks for a neighbour's MAC (ARP); the answer comes back through {@link #neighborLearned}. */
        void resolve(int localAddress, long localMac, int remoteAddress);

        /** Answers the segment being received with ICMP port unreachable (an UNREACHABLE fault). */
        void portUnreachable();
    }

    /** The keys a stack's hashes use, drawn from the topology's seed. */
    public record SecretKeys(long cookieKey0, long cookieKey1, int tableSalt) {
    }

    /** Makes {@code handler} serve connections to {@code address:port}. Before the engine starts. */
    public void listen(int address, int port, ConnectionHandler handler, boolean noDelay) {
        listen(address, port, handler, noDelay, ConnectionFaults.none());
    }

    /** As above, with faults its connections suffer on purpose. */
    public void listen(int address, int port, ConnectionHandler handler, boolean noDelay, ConnectionFaults faults) {
        listeners.listen(address, port, handler, noDelay, faults);
    }

    /**
     * Makes {@code handler} serve {@code port} on every address of {@code host}, as a socket bound to the
     * wildcard address: its IPv6 ones share the service, its faults and its counters.
     */
    public void listen(VirtualHost host, int port, ConnectionHandler handler, boolean noDelay, ConnectionFaults faults) {
        listeners.listen(host.address(), port, handler, noDelay, faults);
        if (host.hasIpv6()) {
            listeners.alias(host.address(), port, host.address6());
            listeners.alias(host.address(), port, host.linkLocal());
            for (int more : host.moreAddresses6()) {
                listeners.alias(host.address(), port, more);
            }
        }
    }

    /**
     * Stops ({@code serving} false) or starts again the service on {@code address:port}: while stopped its
     * port answers SYNs with RST, as a closed port does; connections it already has go on.
     *
     * @throws IllegalArgumentException when nothing listens there
     */
    public void serve(int address, int port, boolean serving) {
        listener(address, port).stopped = !serving;
    }

    /**
     * Replaces the faults of the service on {@code address:port}: SYNs from now on meet {@code faults};
     * connections it already has keep the faults they drew.
     *
     * @throws IllegalArgumentException when nothing listens there
     */
    public void setFaults(int address, int port, ConnectionFaults faults) {
        listener(address, port).setFaults(faults);
    }

    /** The handler serving connections to {@code address:port}, or null: how a service is changed while running. */
    public ConnectionHandler handler(int address, int port) {
        Listener listener = listeners.find(address, port);
        return listener == null ? null : listener.handler();
    }

    private Listener listener(int address, int port) {
        Listener listener = listeners.find(address, port);
        if (listener == null) {
            throw new IllegalArgumentException("nothing listens on " + tapnet.wire.Ipv4Address.format(address) + ":" + port);
        }
        return listener;
    }

    /**
     * Forgets every connection of the host at {@code localAddress} without sending a segment: a host that
     * stopped (crashed). Their handlers hear {@code onClose}, reason {@link CloseReason#ABORTED}; a peer's
     * next segment meets no connection. Returns how many were forgotten.
     */
    public int forget(int localAddress) {
        return lifecycle.forget(localAddress);
    }

    /**
     * The host at {@code localAddress} sits behind links whose smallest MTU is {@code mtu} (0: no limit):
     * like a host with that interface MTU, it announces MSS = min(configured, MTU - 40) in its SYNs and
     * SYN-ACKs and never sends larger segments. Connections opened from now on follow it.
     */
    @Override
    public void interfaceMtu(int localAddress, int mtu) {
        handshake.interfaceMtu(localAddress, mtu);
    }

    /** The MSS the host at {@code localAddress} announces: the configured one, capped by its interface MTU. */
    int localMss(int localAddress) {
        return handshake.localMss(localAddress);
    }

    /** Every service's listener, for its counters. Engine thread. */
    public ListenerTable listeners() {
        return listeners;
    }

    public ConnectionTable connections() {
        return table;
    }

    public TimerWheel timers() {
        return timers;
    }

    /**
     * Opens a connection from a virtual host ({@code localAddress}, {@code localMac}) to
     * {@code remoteAddress:remotePort}: a SYN offering MSS, window scale, SACK and timestamps goes out at
     * once, or as soon as {@link #neighborLearned} gives the peer's MAC ({@code remoteMac} may be
     * {@link TcpConnection#MAC_UNKNOWN}).
     * The handler hears {@code onOpen} when it is established, {@code onClose} with the reason if it never is.
     * Returns null when no connection slot or local port is free.
     */
    public TcpConnection connect(int localAddress, long localMac, int remoteAddress, long remoteMac, int remotePort,
                                 ConnectionHandler handler, long nowNanos) {
        now = nowNanos;
        return activeOpen.connect(localAddress, localMac, remoteAddress, remoteMac, remotePort, handler, now);
    }

    /** A neighbour's MAC became known: SYNs that waited for it go out. */
    @Override
    public void neighborLearned(int address, long mac, long nowNanos) {
        if (!activeOpen.awaitingArp()) {
            return;
        }
        now = nowNanos;
        activeOpen.neighborLearned(address, mac, now);
    }

    /**
     * A TCP segment for a virtual host. The IPv4 layer has checked its header; {@code offset} and
     * {@code length} delimit the IP payload.
     */
    @Override
    public void receive(long localMac, long remoteMac, int remoteAddress, int localAddress,
                        ByteBuffer buffer, int offset, int length, boolean checksumVerified, long nowNanos) {
        now = nowNanos;
        TcpSegment segment = incoming.wrap(localMac, remoteMac, remoteAddress, localAddress, buffer, offset, length);
        if (!segment.isWellFormed()) {
            counters.drop(DropReason.TCP_MALFORMED);
            return;
        }
        if (!checksumVerified && !segment.isChecksumValid(out.addressSum(remoteAddress, localAddress))) {
            counters.drop(DropReason.TCP_BAD_CHECKSUM);
            return;
        }
        counters.increment(Counter.TCP_SEGMENTS_IN);
        incoming.parseOptions();
        int localPort = segment.destinationPort();
        int remotePort = segment.sourcePort();
        TcpConnection c = table.find(localAddress, localPort, remoteAddress, remotePort);
        if (c != null && c.state == TcpState.TIME_WAIT && SegmentArrival.reopensTimeWait(c, incoming)) {
            lifecycle.release(c); // the old incarnation is over: the SYN opens a new one, as a listener's
            c = null;
        }
        if (c != null) {
            if (c.state == TcpState.SYN_SENT) {
                activeOpen.synSent(c, incoming, now);
            } else {
                arrival.arrives(c, incoming, now);
            }
            output.afterEvent(c, now);
            return;
        }
        Listener listener = listeners.find(localAddress, localPort);
        if (listener == null || listener.stopped) {
            boolean synRefused = passiveOpen.closedPort(incoming);
            if (synRefused && listener != null) {
                listener.counters.refused++; // a stopped service refuses, as a closed port does
            }
        } else {
            passiveOpen.listening(listener, incoming, now);
        }
    }

    /** The engine finished a batch of frames: acknowledgments that could wait go out now. */
    public void flush() {
        delayedAcks.flush(now);
    }

    /** Fires the timers that are due at {@code nowNanos}. */
    public void pollTimers(long nowNanos) {
        now = nowNanos;
        timers.poll(nowNanos, expiry);
    }

    /** The earliest pending deadline, or {@link TimerWheel#NONE}: where a simulated clock may jump to. */
    public long nextDeadline() {
        return timers.earliestDeadline();
    }
}
