package tapnet.tcp;

import static tapnet.tcp.SequenceNumbers.greaterOrEqual;
import static tapnet.tcp.SequenceNumbers.greaterThan;
import static tapnet.tcp.SequenceNumbers.inWindow;
import static tapnet.tcp.SequenceNumbers.lessOrEqual;
import static tapnet.tcp.SequenceNumbers.lessThan;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.FIN;
import static tapnet.wire.TcpSegment.PSH;
import static tapnet.wire.TcpSegment.RST;
import static tapnet.wire.TcpSegment.SYN;

import java.nio.ByteBuffer;
import tapnet.buffer.ChunkPool;
import tapnet.collections.LongLongHashMap;
import tapnet.net.PacketWriter;
import tapnet.net.TcpReceiver;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;
import tapnet.time.TimerWheel;
import tapnet.wire.TcpOptions;
import tapnet.wire.TcpSegment;

/**
 * TCP for every virtual host (RFC 9293): listeners with SYN backlogs and SYN cookies, active opens, the
 * connection table, segment arrival per §3.10.7, output of data, FIN and acknowledgments, retransmission
 * per RFC 6298, NewReno recovery, window scaling, timestamps and SACK, and RFC 5961's defences. One
 * instance per engine thread, and that thread is the only one that touches it.
 */
public final class TcpStack implements TcpReceiver, TimerWheel.Expiry {
    private static final int MIN_SEND_MSS = 64;
    /** Duplicate ACKs that start fast retransmit (RFC 5681 §3.2). */
    static final int DUPLICATE_THRESHOLD = 3;
    /** The most a reordering path raises it to: beyond, the retransmission timer finds the losses anyway. */
    static final int MAX_DUPLICATE_THRESHOLD = 48;
    /** RFC 9293 §3.7.1: MSS = MTU less the IPv4 and TCP headers without options. */
    private static final int IPV4_AND_TCP_HEADERS = 40;
    private static final long CHALLENGE_ACK_PERIOD_NANOS = 1_000_000_000L;
    /** How far behind RCV.NXT a segment may start and still count as a duplicate rather than garbage. */
    private static final int MAX_DUPLICATE_DISTANCE = 1 << 30;
    /** Linux's net.ipv4.tcp_invalid_ratelimit: one ACK per connection this often for invalid pure ACKs. */
    private static final long INVALID_ACK_INTERVAL_NANOS = 500_000_000L;
    private static final int CHALLENGE_ACKS_PER_PERIOD = 1000;
    private static final long HANDSHAKE_RETRANSMITTED_RTO_NANOS = 3_000_000_000L;
    private static final int MAX_WINDOW_SHIFT = 14;
    private static final int EPHEMERAL_FIRST = 49152;
    private static final int EPHEMERAL_COUNT = 65536 - EPHEMERAL_FIRST;

    private final TcpConfig config;
    private final Counters counters;
    private final SegmentWriter writer;
    private final int maxTransportLength;
    private final ConnectionTable table;
    private final ListenerTable listeners = new ListenerTable();
    private final TimerWheel timers;
    private final IsnGenerator isn;
    private final SynCookies cookies;
    private final NetworkLayer network;
    private final long timeWaitNanos;
    private final int windowShift;
    /** Per local address: the MSS its interface MTU allows (MTU - 40); absent for no limit. */
    private final LongLongHashMap mssCaps = new LongLongHashMap(16, 0);

    private final TcpSegment segment = new TcpSegment();
    private final TcpOptions options = new TcpOptions();
    private final int[] ackQueue;
    private int ackQueueLength;
    private final int[] awaitingArp;
    private int awaitingArpLength;
    private int nextEphemeral;
    private long now;
    private long challengeAckPeriodStart;
    private int challengeAcksInPeriod;

    public TcpStack(TcpConfig config, Counters counters, PacketWriter out, IsnGenerator isn, SecretKeys keys,
                    NetworkLayer network, long startNanos) {
        this.config = config;
        this.network = network;
        this.counters = counters;
        this.writer = new SegmentWriter(counters, out);
        this.maxTransportLength = out.maxTransportLength();
        this.isn = isn;
        this.cookies = new SynCookies(keys.cookieKey0(), keys.cookieKey1());
        int chunks = (int) Math.max(1, Math.min(Integer.MAX_VALUE - 8, config.bufferMemory() / ChunkPool.DEFAULT_CHUNK_SIZE));
        ChunkPool pool = new ChunkPool(ChunkPool.DEFAULT_CHUNK_SIZE, chunks);
        long initialRto = config.initialRto().toNanos();
        long minRto = config.minRto().toNanos();
        long maxRto = config.maxRto().toNanos();
        this.table = new ConnectionTable(config.maxConnections(), pool, config.bufferSize(),
                id -> new RetransmissionTimeout(initialRto, minRto, maxRto), keys.tableSalt());
        this.timers = new TimerWheel(config.maxConnections(), 1_000_000, 4096, startNanos);
        this.timeWaitNanos = config.timeWait().toNanos();
        this.windowShift = SegmentWriter.windowShiftFor(config.bufferSize());
        this.ackQueue = new int[config.maxConnections()];
        this.awaitingArp = new int[config.maxConnections()];
        this.nextEphemeral = Math.floorMod(keys.tableSalt(), EPHEMERAL_COUNT);
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
        listener(address, port).faults = faults;
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
        int forgotten = 0;
        for (int id = 0; id < table.capacity(); id++) {
            TcpConnection c = table.get(id);
            if (c.state != TcpState.CLOSED && c.localAddress == localAddress) {
                c.closeReason = CloseReason.ABORTED;
                release(c);
                forgotten++;
            }
        }
        return forgotten;
    }

    /**
     * The host at {@code localAddress} sits behind links whose smallest MTU is {@code mtu} (0: no limit):
     * like a host with that interface MTU, it announces MSS = min(configured, MTU - 40) in its SYNs and
     * SYN-ACKs and never sends larger segments. Connections opened from now on follow it.
     */
    @Override
    public void interfaceMtu(int localAddress, int mtu) {
        long key = localAddress & 0xffff_ffffL;
        if (mtu <= 0) {
            mssCaps.remove(key);
        } else {
            mssCaps.put(key, mtu - IPV4_AND_TCP_HEADERS);
        }
    }

    /** The MSS the host at {@code localAddress} announces: the configured one, capped by its interface MTU. */
    int localMss(int localAddress) {
        long cap = mssCaps.get(localAddress & 0xffff_ffffL);
        return cap == 0 ? config.mss() : (int) Math.min(config.mss(), cap);
    }

    public ConnectionTable connections() {
        return table;
    }

    public TimerWheel timers() {
        return timers;
    }

    // ------------------------------------------------------------------------------------------------
    // Active open
    // ------------------------------------------------------------------------------------------------

    /**
     * Opens a connection from a virtual host ({@code localAddress}, {@code localMac}) to
     * {@code remoteAddress:remotePort}: a SYN offering MSS, window scale, SACK and timestamps goes out at
     * once, or as soon as {@link #neighborLearned} gives the peer's MAC ({@code remoteMac} may be -1).
     * The handler hears {@code onOpen} when it is established, {@code onClose} with the reason if it never is.
     * Returns null when no connection slot or local port is free.
     */
    public TcpConnection connect(int localAddress, long localMac, int remoteAddress, long remoteMac, int remotePort,
                                 ConnectionHandler handler, long nowNanos) {
        now = nowNanos;
        int localPort = freeEphemeralPort(localAddress, remoteAddress, remotePort);
        if (localPort < 0) {
            return null;
        }
        TcpConnection c = table.open(localAddress, localPort, remoteAddress, remotePort);
        if (c == null) {
            counters.drop(DropReason.TCP_TABLE_FULL);
            return null;
        }
        c.handler = handler;
        c.activeOpen = true;
        c.owesCloseNotice = true;
        c.localMac = localMac;
        c.remoteMac = remoteMac;
        c.iss = isn.isn(localAddress, localPort, remoteAddress, remotePort, now);
        c.sndUna = c.sndNxt = c.sndMax = c.recover = c.iss;
        c.localMss = localMss(localAddress);
        c.sendMss = effectiveSendMss(c, TcpConfig.DEFAULT_PEER_MSS);
        c.cwnd = config.initialWindow() * c.sendMss;
        c.ssthresh = Integer.MAX_VALUE;
        // Offer everything; the SYN-ACK says what the peer takes.
        c.windowScaling = true;
        c.rcvScale = windowShift;
        c.sack = true;
        c.timestamps = true;
        c.tsOffset = isn.timestampOffset(localAddress, localPort, remoteAddress, remotePort);
        c.state = TcpState.SYN_SENT;
        counters.increment(Counter.TCP_ACTIVE_OPENS);
        if (remoteMac == TcpConnection.MAC_UNKNOWN) {
            awaitingArp[awaitingArpLength++] = c.id;
            network.resolve(localAddress, localMac, remoteAddress);
        } else {
            sendSyn(c);
        }
        updateTimer(c);
        return c;
    }

    /** A neighbour's MAC became known: SYNs that waited for it go out. */
    @Override
    public void neighborLearned(int address, long mac, long nowNanos) {
        if (awaitingArpLength == 0) {
            return;
        }
        now = nowNanos;
        int kept = 0;
        for (int i = 0; i < awaitingArpLength; i++) {
            TcpConnection c = table.get(awaitingArp[i]);
            if (c.state == TcpState.SYN_SENT && c.remoteMac == TcpConnection.MAC_UNKNOWN && c.remoteAddress == address) {
                c.remoteMac = mac;
                sendSyn(c);
                updateTimer(c);
            } else if (c.state == TcpState.SYN_SENT && c.remoteMac == TcpConnection.MAC_UNKNOWN) {
                awaitingArp[kept++] = c.id;
            }
        }
        awaitingArpLength = kept;
    }

    private int freeEphemeralPort(int localAddress, int remoteAddress, int remotePort) {
        for (int tries = 0; tries < EPHEMERAL_COUNT; tries++) {
            int port = EPHEMERAL_FIRST + nextEphemeral;
            nextEphemeral = (nextEphemeral + 1) % EPHEMERAL_COUNT;
            if (table.find(localAddress, port, remoteAddress, remotePort) == null
                    && listeners.find(localAddress, port) == null) {
                return port;
            }
        }
        return -1;
    }

    private void sendSyn(TcpConnection c) {
        c.sndNxt = c.iss;
        writer.send(c, c.iss, SYN, 0, 0, now);
        c.sndNxt = c.iss + 1;
        c.sndMax = c.iss + 1;
        if (!c.handshakeRetransmitted) {
            startRttTiming(c, c.iss + 1);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Input
    // ------------------------------------------------------------------------------------------------

    /**
     * A TCP segment for a virtual host. The IPv4 layer has checked its header; {@code offset} and
     * {@code length} delimit the IP payload.
     */
    @Override
    public void receive(long localMac, long remoteMac, int remoteAddress, int localAddress,
                        ByteBuffer buffer, int offset, int length, boolean checksumVerified, long nowNanos) {
        now = nowNanos;
        segment.wrap(buffer, offset, length);
        if (!segment.isWellFormed()) {
            counters.drop(DropReason.TCP_MALFORMED);
            return;
        }
        if (!checksumVerified && !segment.isChecksumValid(remoteAddress, localAddress)) {
            counters.drop(DropReason.TCP_BAD_CHECKSUM);
            return;
        }
        counters.increment(Counter.TCP_SEGMENTS_IN);
        options.parse(segment);
        int localPort = segment.destinationPort();
        int remotePort = segment.sourcePort();
        TcpConnection c = table.find(localAddress, localPort, remoteAddress, remotePort);
        if (c != null && c.state == TcpState.TIME_WAIT && reopensTimeWait(c)) {
            release(c); // the old incarnation is over: the SYN opens a new one, as a listener's
            c = null;
        }
        if (c != null) {
            if (c.state == TcpState.SYN_SENT) {
                synSent(c);
            } else {
                segmentArrives(c);
            }
            afterEvent(c);
            return;
        }
        Listener listener = listeners.find(localAddress, localPort);
        if (listener == null || listener.stopped) {
            closedPort(localMac, remoteMac, localAddress, remoteAddress);
        } else {
            listening(listener, localMac, remoteMac, localAddress, remoteAddress);
        }
    }

    /**
     * Whether a segment for a connection in TIME-WAIT is a SYN that may open a new incarnation of it
     * (RFC 1122 §4.2.2.13, RFC 6191): its sequence number lies past the old one's, or its timestamp is
     * newer, and PAWS does not reject it; Linux's tcp_timewait_state_process decides the same. A client
     * that reuses its port at once (it closed second, so it holds no TIME-WAIT) then connects at once,
     * instead of meeting an ACK, answering it with RST and trying again a second later.
     */
    private boolean reopensTimeWait(TcpConnection c) {
        if ((segment.flags() & (SYN | ACK | RST)) != SYN) {
            return false;
        }
        boolean stamped = c.timestamps && options.hasTimestamps();
        if (stamped && lessThan(options.timestampValue(), c.tsRecent)) {
            return false; // RFC 7323 §5.3: an old duplicate
        }
        return greaterThan(segment.sequenceNumber(), c.rcvNxt) || (stamped && greaterThan(options.timestampValue(), c.tsRecent));
    }

    /** RFC 9293 §3.10.7.1: no connection and no listener. Never answer an RST with an RST. */
    private void closedPort(long localMac, long remoteMac, int localAddress, int remoteAddress) {
        int flags = segment.flags();
        if ((flags & RST) != 0) {
            counters.drop(DropReason.TCP_RST_IGNORED);
        } else if ((flags & ACK) != 0) {
            writer.reset(segment, localMac, remoteMac, localAddress, remoteAddress, segment.acknowledgmentNumber(), 0, RST);
        } else {
            int ack = segment.sequenceNumber() + segment.sequenceLength();
            writer.reset(segment, localMac, remoteMac, localAddress, remoteAddress, 0, ack, RST | ACK);
        }
    }

    /** RFC 9293 §3.10.7.2: a segment for a listener. */
    private void listening(Listener listener, long localMac, long remoteMac, int localAddress, int remoteAddress) {
        int flags = segment.flags();
        if ((flags & RST) != 0) {
            counters.drop(DropReason.TCP_RST_IGNORED);
            return;
        }
        if ((flags & ACK) != 0) {
            if ((flags & SYN) == 0 && acceptCookie(listener, localMac, remoteMac, localAddress, remoteAddress)) {
                return;
            }
            writer.reset(segment, localMac, remoteMac, localAddress, remoteAddress, segment.acknowledgmentNumber(), 0, RST);
            return;
        }
        if ((flags & SYN) == 0) {
            counters.drop(DropReason.TCP_STRAY);
            return;
        }
        if (!listener.faults.isEmpty() && synFault(listener, localMac, remoteMac, localAddress, remoteAddress)) {
            return;
        }
        TcpConnection c = listener.halfOpen < config.synBacklog()
                ? table.open(localAddress, segment.destinationPort(), remoteAddress, segment.sourcePort())
                : null;
        if (c == null) {
            sendCookie(localMac, remoteMac, localAddress, remoteAddress);
            return;
        }
        c.handler = listener.handler;
        c.noDelay = listener.noDelay;
        c.listener = listener;
        listener.halfOpen++;
        c.localMac = localMac;
        c.remoteMac = remoteMac;
        c.irs = segment.sequenceNumber();
        c.rcvNxt = c.irs + 1;
        c.iss = isn.isn(localAddress, c.localPort, remoteAddress, c.remotePort, now);
        c.sndUna = c.sndNxt = c.sndMax = c.recover = c.iss;
        c.sndWnd = segment.window(); // RFC 7323 §2.2: the window in a SYN is never scaled
        c.maxSndWnd = c.sndWnd;
        c.sndWl1 = c.irs;
        c.localMss = localMss(localAddress);
        takeSynOptions(c);
        c.cwnd = config.initialWindow() * c.sendMss;
        c.ssthresh = Integer.MAX_VALUE;
        c.state = TcpState.SYN_RECEIVED;
        if (!listener.faults.isEmpty()) {
            takeConnectionFaults(c, listener.faults);
        }
        // Data carried by the SYN is not queued: it is left unacknowledged and the peer sends it again.
        if (c.synAckHeld) {
            c.retransmitDeadline = now + listener.faults.parameter(ConnectionFaults.Kind.SYN_ACK_DELAY, 0);
        } else {
            sendSynAck(c);
            startRttTiming(c, c.iss + 1);
        }
        afterEvent(c);
    }

    /** A per-SYN fault (SYN_DROP, REFUSE, UNREACHABLE) that hits this SYN; true when it took it. */
    private boolean synFault(Listener listener, long localMac, long remoteMac, int localAddress, int remoteAddress) {
        ConnectionFaults.Kind fault = listener.faults.decideForSyn();
        if (fault == null) {
            return false;
        }
        counters.increment(Counter.TCP_FAULTS_INJECTED);
        switch (fault) {
            case SYN_DROP -> counters.drop(DropReason.TCP_FAULT);
            case REFUSE -> writer.reset(segment, localMac, remoteMac, localAddress, remoteAddress, 0,
                    segment.sequenceNumber() + segment.sequenceLength(), RST | ACK);
            case UNREACHABLE -> network.portUnreachable();
            default -> throw new IllegalStateException("not a per-SYN fault: " + fault);
        }
        return true;
    }

    private static void takeConnectionFaults(TcpConnection c, ConnectionFaults faults) {
        int mask = faults.decideForConnection();
        c.faults = mask;
        if (ConnectionFaults.has(mask, ConnectionFaults.Kind.SYN_ACK_DROP)) {
            c.synAcksToDrop = (int) faults.parameter(ConnectionFaults.Kind.SYN_ACK_DROP, 1);
        }
        if (ConnectionFaults.has(mask, ConnectionFaults.Kind.ACK_DROP)) {
            c.acksToDrop = (int) faults.parameter(ConnectionFaults.Kind.ACK_DROP, 1);
        }
        if (ConnectionFaults.has(mask, ConnectionFaults.Kind.RESET_AFTER_BYTES)) {
            c.resetAfterBytes = faults.parameter(ConnectionFaults.Kind.RESET_AFTER_BYTES, 1);
        }
        if (ConnectionFaults.has(mask, ConnectionFaults.Kind.WINDOW)) {
            c.windowCap = (int) faults.parameter(ConnectionFaults.Kind.WINDOW, 1);
        }
        if (ConnectionFaults.has(mask, ConnectionFaults.Kind.RESET_AFTER_BYTES_SENT)) {
            c.resetAfterSentBytes = faults.parameter(ConnectionFaults.Kind.RESET_AFTER_BYTES_SENT, 1);
        }
        c.synAckHeld = ConnectionFaults.has(mask, ConnectionFaults.Kind.SYN_ACK_DELAY);
        if (ConnectionFaults.has(mask, ConnectionFaults.Kind.SLOW_CLOSE)) {
            c.slowCloseNanos = faults.parameter(ConnectionFaults.Kind.SLOW_CLOSE, 1);
        }
        if (ConnectionFaults.has(mask, ConnectionFaults.Kind.CORRUPT_AT)) {
            c.corruptAt = faults.parameter(ConnectionFaults.Kind.CORRUPT_AT, 0);
        }
        if (ConnectionFaults.has(mask, ConnectionFaults.Kind.RESET_AFTER_TIME)) {
            c.resetAt = -faults.parameter(ConnectionFaults.Kind.RESET_AFTER_TIME, 1); // armed when established
        }
    }

    /** The options of a SYN (or SYN-ACK): each is used only when the peer offered it. */
    private void takeSynOptions(TcpConnection c) {
        c.sendMss = effectiveSendMss(c, options.hasMss() ? options.mss() : TcpConfig.DEFAULT_PEER_MSS);
        if (options.hasWindowScale()) {
            c.windowScaling = true;
            c.sndScale = Math.min(options.windowScale(), MAX_WINDOW_SHIFT); // RFC 7323 §2.3: larger shifts count as 14
            c.rcvScale = windowShift;
        } else {
            c.windowScaling = false;
            c.sndScale = 0;
            c.rcvScale = 0;
        }
        c.sack = options.sackPermitted();
        c.timestamps = options.hasTimestamps();
        if (c.timestamps) {
            c.tsRecent = options.timestampValue();
            c.tsOffset = isn.timestampOffset(c.localAddress, c.localPort, c.remoteAddress, c.remotePort);
        }
    }

    /** What {@code c} sends per segment: the peer's MSS within ours and the frame; never past the interface MTU. */
    private int effectiveSendMss(TcpConnection c, int peerMss) {
        int fits = maxTransportLength - TcpSegment.MIN_HEADER_LENGTH;
        return Math.min(Math.max(MIN_SEND_MSS, Math.min(Math.min(peerMss, config.mss()), fits)), c.localMss);
    }

    /** Backlog full or table full: answer with a SYN cookie and keep no state (RFC 4987 §3.6). */
    private void sendCookie(long localMac, long remoteMac, int localAddress, int remoteAddress) {
        int announced = localMss(localAddress);
        int mss = Math.min(options.hasMss() ? options.mss() : TcpConfig.DEFAULT_PEER_MSS, announced);
        int cookie = cookies.encode(localAddress, segment.destinationPort(), remoteAddress, segment.sourcePort(),
                segment.sequenceNumber(), mss, now);
        writer.cookieSynAck(segment, localMac, remoteMac, localAddress, remoteAddress, cookie, config.bufferSize(), announced);
        counters.increment(Counter.TCP_SYN_COOKIES_SENT);
    }

    /** An ACK at a listener may complete a cookie handshake; if its cookie is good, the connection is rebuilt. */
    private boolean acceptCookie(Listener listener, long localMac, long remoteMac, int localAddress, int remoteAddress) {
        int ack = segment.acknowledgmentNumber();
        int seq = segment.sequenceNumber();
        int mss = cookies.decode(localAddress, segment.destinationPort(), remoteAddress, segment.sourcePort(), seq - 1, ack - 1, now);
        if (mss < 0) {
            return false;
        }
        TcpConnection c = table.open(localAddress, segment.destinationPort(), remoteAddress, segment.sourcePort());
        if (c == null) {
            // A good cookie, but nowhere to put it. The peer believes it is connected: tell it it is not.
            // (Linux drops the ACK and waits for the peer to retransmit, which a peer waiting for the server
            // to speak first never does: it would hang.)
            counters.drop(DropReason.TCP_TABLE_FULL);
            writer.reset(segment, localMac, remoteMac, localAddress, remoteAddress, ack, 0, RST);
            return true;
        }
        c.handler = listener.handler;
        c.noDelay = listener.noDelay;
        c.localMac = localMac;
        c.remoteMac = remoteMac;
        c.irs = seq - 1;
        c.rcvNxt = seq;
        c.rcvAdv = seq + Math.min(config.bufferSize(), 0xffff); // what the cookie SYN-ACK advertised
        c.iss = ack - 1;
        c.sndUna = c.recover = c.iss;
        c.sndNxt = c.sndMax = ack;
        c.localMss = localMss(localAddress);
        c.sendMss = effectiveSendMss(c, mss);
        c.cwnd = config.initialWindow() * c.sendMss;
        c.ssthresh = Integer.MAX_VALUE;
        c.sndWl1 = c.irs;
        c.state = TcpState.SYN_RECEIVED;
        counters.increment(Counter.TCP_SYN_COOKIES_ACCEPTED);
        segmentArrives(c);
        afterEvent(c);
        return true;
    }

    /** RFC 9293 §3.10.7.3: SYN-SENT. */
    private void synSent(TcpConnection c) {
        int flags = segment.flags();
        int ack = segment.acknowledgmentNumber();
        boolean ackAcceptable = (flags & ACK) != 0 && lessThan(c.iss, ack) && lessOrEqual(ack, c.sndMax);
        if ((flags & ACK) != 0 && !ackAcceptable) {
            if ((flags & RST) == 0) {
                writer.reset(segment, c.localMac, c.remoteMac, c.localAddress, c.remoteAddress, ack, 0, RST);
            } else {
                counters.drop(DropReason.TCP_RST_IGNORED);
            }
            return;
        }
        if ((flags & RST) != 0) {
            if (ackAcceptable) {
                counters.increment(Counter.TCP_CONNECTIONS_REFUSED);
                c.closeReason = CloseReason.REFUSED;
                release(c);
            } else {
                counters.drop(DropReason.TCP_RST_IGNORED); // an RST counts only with an acceptable ACK
            }
            return;
        }
        if ((flags & SYN) == 0) {
            counters.drop(DropReason.TCP_STRAY);
            return;
        }
        c.irs = segment.sequenceNumber();
        c.rcvNxt = c.irs + 1;
        boolean offeredTimestamps = c.timestamps;
        takeSynOptions(c);
        c.timestamps &= offeredTimestamps;
        c.sndWnd = segment.window();
        c.maxSndWnd = c.sndWnd;
        c.sndWl1 = c.irs;
        c.sndWl2 = ack;
        c.cwnd = config.initialWindow() * c.sendMss;
        if (ackAcceptable) {
            c.sndUna = ack;
            if (!c.handshakeRetransmitted && c.rttTiming) {
                c.rto.sample(now - c.rttStartNanos);
            }
            c.rttTiming = false;
            c.retries = 0;
            c.retransmitDeadline = 0;
            c.state = TcpState.ESTABLISHED;
            if (c.handshakeRetransmitted) {
                c.rto.restartAt(HANDSHAKE_RETRANSMITTED_RTO_NANOS);
            }
            c.ackNow = true;
            open(c);
        } else {
            // Simultaneous open [MUST-10]: both sides sent SYNs; answer with SYN-ACK for our own ISS.
            c.state = TcpState.SYN_RECEIVED;
            writer.send(c, c.iss, SYN | ACK, 0, 0, now);
        }
    }

    /** RFC 9293 §3.10.7.4 (SYN-RECEIVED and the synchronized states). */
    private void segmentArrives(TcpConnection c) {
        int flags = segment.flags();
        int seq = segment.sequenceNumber();

        if (c.state == TcpState.SYN_RECEIVED && (flags & (SYN | ACK | RST)) == SYN && seq == c.irs) {
            // The peer did not get our SYN-ACK and sent its SYN again: answer it again at once (unless a
            // SYN_ACK_DELAY fault still holds the first one back).
            if (!c.synAckHeld) {
                retransmitSynAck(c);
            }
            return;
        }

        // RFC 7323 §5.3 R1, PAWS: a timestamp older than TS.Recent marks an old duplicate.
        if (c.timestamps && options.hasTimestamps() && (flags & RST) == 0
                && lessThan(options.timestampValue(), c.tsRecent) && c.state != TcpState.SYN_RECEIVED) {
            counters.increment(Counter.TCP_PAWS_REJECTED);
            counters.drop(DropReason.TCP_UNACCEPTABLE);
            ackInvalid(c);
            return;
        }

        // First: is the segment acceptable? (the four cases of §3.10.7.4)
        int window = c.rcvAdv - c.rcvNxt;
        if (!isAcceptable(seq, segment.sequenceLength(), c.rcvNxt, window)) {
            if ((flags & RST) != 0) {
                counters.drop(DropReason.TCP_RST_IGNORED);
                return;
            }
            if (c.state == TcpState.TIME_WAIT && (flags & FIN) != 0) {
                // §3.10.7.4 eighth step: a retransmitted FIN in TIME-WAIT is acknowledged and restarts 2 MSL.
                c.timeWaitDeadline = now + timeWaitNanos;
            }
            ackInvalid(c);
            int length = segment.sequenceLength();
            if (length > 0 && lessOrEqual(seq + length, c.rcvNxt) && greaterOrEqual(seq, c.rcvNxt - MAX_DUPLICATE_DISTANCE)) {
                // Everything in it arrived already: the peer retransmitted (Linux's tail loss probe when our ACK
                // came late). RFC 2883: a D-SACK tells it so, and it undoes the window cut it made.
                c.dsackLeft = seq;
                c.dsackRight = seq + length;
                c.dsackPending = true;
                counters.drop(DropReason.TCP_DUPLICATE);
            } else {
                counters.drop(DropReason.TCP_UNACCEPTABLE);
            }
            return;
        }
        // RFC 7323 §4.3: remember the timestamp to echo from segments that start at or before Last.ACK.sent.
        if (c.timestamps && options.hasTimestamps() && lessOrEqual(seq, c.lastAckSent)
                && greaterOrEqual(options.timestampValue(), c.tsRecent)) {
            c.tsRecent = options.timestampValue();
        }

        // Second: RST. RFC 5961 §3.2: only an exact match resets; in-window otherwise gets a challenge ACK.
        if ((flags & RST) != 0) {
            if (seq == c.rcvNxt) {
                peerReset(c);
            } else {
                challengeAck(c);
            }
            return;
        }

        // Fourth: SYN in a synchronized state. RFC 9293 §3.10.7.4: a passive SYN-RECEIVED goes back to LISTEN;
        // elsewhere RFC 5961 §4.2 answers with a challenge ACK.
        if ((flags & SYN) != 0) {
            if (c.state == TcpState.SYN_RECEIVED && !c.activeOpen) {
                release(c);
            } else {
                challengeAck(c);
            }
            return;
        }

        // Fifth: ACK.
        if ((flags & ACK) == 0) {
            counters.drop(DropReason.TCP_NO_ACK);
            return;
        }
        int ack = segment.acknowledgmentNumber();
        boolean handshakeCompleted = false;
        if (c.state == TcpState.SYN_RECEIVED) {
            if (!(lessThan(c.sndUna, ack) && lessOrEqual(ack, c.sndMax))) {
                writer.reset(segment, c.localMac, c.remoteMac, c.localAddress, c.remoteAddress, ack, 0, RST);
                return;
            }
            if (c.acksToDrop > 0) {
                c.acksToDrop--; // ACK_DROP fault: the handshake's last segment is lost
                counters.increment(Counter.TCP_FAULTS_INJECTED);
                counters.drop(DropReason.TCP_FAULT);
                return;
            }
            if (ConnectionFaults.has(c.faults, ConnectionFaults.Kind.HALF_OPEN)) {
                counters.increment(Counter.TCP_FAULTS_INJECTED);
                release(c); // HALF_OPEN fault: forgotten without a word; the next segment meets the listener
                return;
            }
            c.state = TcpState.ESTABLISHED;
            leaveBacklog(c);
            c.sndWnd = segment.window() << c.sndScale;
            c.maxSndWnd = Math.max(c.maxSndWnd, c.sndWnd);
            c.sndWl1 = seq;
            c.sndWl2 = ack;
            if (c.handshakeRetransmitted) {
                c.rto.restartAt(HANDSHAKE_RETRANSMITTED_RTO_NANOS); // RFC 6298 §5.7
            }
            handshakeCompleted = true;
        }
        if (greaterThan(ack, c.sndMax)) {
            ackInvalid(c); // acknowledges something not yet sent: ACK, drop the segment, return
            counters.drop(DropReason.TCP_UNACCEPTABLE);
            return;
        }
        if (lessThan(ack, c.sndUna - c.maxSndWnd)) {
            challengeAck(c); // RFC 5961 §5.2: too old to be a plausible duplicate; the segment is dropped
            counters.drop(DropReason.TCP_UNACCEPTABLE);
            return;
        }
        boolean spaceFreed = processAck(c, seq, ack);
        if (c.state == TcpState.CLOSED) {
            return; // LAST-ACK ended
        }
        if (handshakeCompleted) {
            open(c);
        } else if (spaceFreed && c.opened) {
            c.handler.onSendSpace(c);
        }

        // Seventh: segment text.
        boolean allTextTaken = true;
        int payload = segment.payloadLength();
        if (payload > 0) {
            if (c.state.acceptsData()) {
                allTextTaken = receiveText(c, seq, payload, (flags & FIN) != 0);
            } else {
                allTextTaken = false; // §3.10.7.4: text after the peer's FIN is ignored
            }
        }

        // Eighth: FIN, when it is the next octet expected.
        if ((flags & FIN) != 0 && allTextTaken && seq + payload == c.rcvNxt && !c.peerFinReceived) {
            receiveFin(c);
        } else if ((flags & FIN) != 0 && payload == 0 && greaterThan(seq, c.rcvNxt) && !c.peerFinReceived) {
            c.finPending = true; // a FIN past a gap: taken when the gap fills
            c.finPendingSequence = seq;
            c.ackNow = true;
        }
    }

    /** The four cases of RFC 9293 §3.10.7.4 "first, check sequence number". */
    private static boolean isAcceptable(int seq, int length, int rcvNxt, int window) {
        if (length == 0) {
            return window <= 0 ? seq == rcvNxt : inWindow(seq, rcvNxt, rcvNxt + window);
        }
        if (window <= 0) {
            return false;
        }
        return inWindow(seq, rcvNxt, rcvNxt + window) || inWindow(seq + length - 1, rcvNxt, rcvNxt + window);
    }

    /**
     * RFC 9293 §3.10.7.4 fifth step for the synchronized states, for an ACK already found acceptable;
     * returns whether send space was freed.
     */
    private boolean processAck(TcpConnection c, int seq, int ack) {
        int window = segment.window() << c.sndScale;
        boolean spaceFreed = false;
        if (greaterThan(ack, c.sndUna)) {
            int advanced = ack - c.sndUna;
            int acked = advanced;
            if (c.sndUna == c.iss) {
                acked--; // our SYN
            }
            if (c.finSent && greaterThan(ack, c.finSequence)) {
                acked--; // our FIN
            }
            if (acked > 0) {
                c.sendBuffer.discard(acked);
                spaceFreed = true;
            }
            c.sndUna = ack;
            if (lessThan(c.sndNxt, c.sndUna)) {
                c.sndNxt = c.sndUna;
            }
            if (c.rttTiming && greaterOrEqual(ack, c.rttSequence)) {
                c.rto.sample(now - c.rttStartNanos);
                c.rttTiming = false;
            }
            c.retries = 0;
            c.retransmitDeadline = 0; // RFC 6298 §5.3: restart the timer for what is still outstanding
            newDataAcknowledged(c, advanced);
        } else if (ack == c.sndUna && segment.payloadLength() == 0 && (segment.flags() & (SYN | FIN)) == 0
                && window == c.sndWnd && greaterThan(c.sndMax, c.sndUna)) {
            duplicateAck(c);
        }
        if (window == 0 && c.sndWnd == 0) {
            c.retries = 0; // the peer answers our probes: zero-window probing may go on [MUST-36]
        }
        // Window update, guarded against old segments (SND.WL1/SND.WL2 rule).
        if (lessThan(c.sndWl1, seq) || (c.sndWl1 == seq && lessOrEqual(c.sndWl2, ack))) {
            c.sndWnd = window;
            c.maxSndWnd = Math.max(c.maxSndWnd, c.sndWnd);
            c.sndWl1 = seq;
            c.sndWl2 = ack;
        }
        boolean finAcked = isFinAcked(c);
        switch (c.state) {
            case FIN_WAIT_1 -> {
                if (finAcked) {
                    c.state = TcpState.FIN_WAIT_2;
                }
            }
            case CLOSING -> {
                if (finAcked) {
                    enterTimeWait(c);
                }
            }
            case LAST_ACK -> {
                if (finAcked) {
                    counters.increment(Counter.TCP_CONNECTIONS_CLOSED);
                    c.closeReason = CloseReason.CLOSED;
                    release(c);
                }
            }
            default -> {
            }
        }
        return spaceFreed;
    }

    /** Congestion control on an ACK of new data: NewReno's partial and full ACKs (RFC 6582 §3.2), or growth. */
    private void newDataAcknowledged(TcpConnection c, int advanced) {
        if (c.inRecovery && c.undoable && spuriousRetransmit(c)) {
            return;
        }
        if (c.inRecovery) {
            if (greaterOrEqual(c.sndUna, c.recover)) {
                // Full acknowledgment: deflate the window and leave recovery.
                c.inRecovery = false;
                c.duplicateAcks = 0;
                c.cwnd = Math.min(c.ssthresh, Math.max(c.sndMax - c.sndUna, SegmentWriter.maxPayload(c)) + SegmentWriter.maxPayload(c));
            } else {
                // Partial acknowledgment: the next hole is lost too; send it now and stay in recovery.
                retransmitFirst(c);
                c.cwnd = Math.max(c.cwnd - advanced, 0) + (advanced >= c.sendMss ? c.sendMss : 0);
            }
            return;
        }
        c.duplicateAcks = 0;
        growCongestionWindow(c, advanced);
    }

    /**
     * RFC 3522 (Eifel detection) on the first ACK of new data in recovery: when it echoes a timestamp older
     * than the retransmission's, the original segment arrived and the retransmission was spurious; the
     * window comes back as it was (RFC 4015) and more duplicate ACKs are needed from now on, since this
     * path reorders. Returns whether it undid the recovery.
     */
    private boolean spuriousRetransmit(TcpConnection c) {
        c.undoable = false;
        if (!options.hasTimestamps() || !lessThan(options.timestampEcho(), c.retransmitTsval)) {
            return false;
        }
        counters.increment(Counter.TCP_SPURIOUS_RETRANSMITS);
        c.inRecovery = false;
        c.duplicateAcks = 0;
        c.cwnd = Math.max(c.cwnd, c.undoCwnd);
        c.ssthresh = Math.max(c.ssthresh, c.undoSsthresh);
        c.recover = c.sndUna;
        c.duplicateThreshold = Math.min(c.duplicateThreshold * 2, MAX_DUPLICATE_THRESHOLD);
        return true;
    }

    /** RFC 5681 §3.2 with RFC 6582: the third duplicate ACK (more on a reordering path) starts fast retransmit. */
    private void duplicateAck(TcpConnection c) {
        int mss = SegmentWriter.maxPayload(c);
        if (c.inRecovery) {
            c.cwnd += mss; // each duplicate means a segment left the network
            return;
        }
        // RFC 6582 §3.2: not for losses from before the last recovery or timeout (ACK must pass "recover").
        if (++c.duplicateAcks == c.duplicateThreshold && greaterThan(c.sndUna, c.recover)) {
            int flight = c.sndMax - c.sndUna;
            c.undoable = c.timestamps;
            c.undoCwnd = c.cwnd;
            c.undoSsthresh = c.ssthresh;
            c.retransmitTsval = SegmentWriter.timestampValue(c, now);
            c.ssthresh = Math.max(flight / 2, 2 * mss);
            c.recover = c.sndMax;
            c.inRecovery = true;
            c.rttTiming = false; // Karn: the retransmitted segment's round trip is ambiguous
            counters.increment(Counter.TCP_FAST_RETRANSMITS);
            retransmitFirst(c);
            c.cwnd = c.ssthresh + 3 * mss;
        }
    }

    /** RFC 5681 §3.1 slow start and congestion avoidance, counting bytes acknowledged (RFC 3465, L = 1 SMSS). */
    private static void growCongestionWindow(TcpConnection c, int acked) {
        int mss = SegmentWriter.maxPayload(c);
        if (c.cwnd < c.ssthresh) {
            c.cwnd += Math.min(acked, mss);
        } else {
            c.bytesAckedInAvoidance += acked;
            if (c.bytesAckedInAvoidance >= c.cwnd) {
                c.bytesAckedInAvoidance -= c.cwnd;
                c.cwnd += mss;
            }
        }
        c.cwnd = Math.min(c.cwnd, 1 << 30);
    }

    /**
     * Takes text into the receive buffer (RFC 9293 §3.10.7.4 seventh step): in order it becomes readable at
     * once, together with any out-of-order data it joins; past a gap it is kept aside and a duplicate ACK
     * (with SACK blocks) tells the sender what is missing. Returns whether all of it became readable.
     */
    private boolean receiveText(TcpConnection c, int seq, int payload, boolean fin) {
        int skip = c.rcvNxt - seq;
        if (skip < 0) {
            int kept = c.receiveBuffer.writeAhead(-skip, segment.buffer(), segment.payloadOffset(), payload);
            if (kept > 0 && c.outOfOrder.add(seq, seq + kept)) {
                counters.increment(Counter.TCP_OUT_OF_ORDER);
                if (fin && kept == payload) {
                    c.finPending = true;
                    c.finPendingSequence = seq + payload;
                }
            }
            c.ackNow = true; // RFC 5681 §4.2: an out-of-order segment is acknowledged at once
            return false;
        }
        int fresh = payload - skip;
        if (c.resetAfterBytes > 0) {
            // RESET_AFTER_BYTES fault: exactly N bytes reach the application, then the host resets.
            long left = c.resetAfterBytes - (c.rcvNxt - c.irs - 1);
            if (left <= fresh) {
                fresh = (int) Math.max(0, left);
                c.abortRequested = true;
                counters.increment(Counter.TCP_FAULTS_INJECTED);
            }
        }
        int taken = c.receiveBuffer.write(segment.buffer(), segment.payloadOffset() + skip, fresh);
        c.rcvNxt += taken;
        boolean gapFilled = false;
        if (c.outOfOrder.count() > 0) {
            int reached = c.outOfOrder.takeContiguous(c.rcvNxt);
            while (reached != c.rcvNxt) {
                c.receiveBuffer.extend(reached - c.rcvNxt);
                taken += reached - c.rcvNxt;
                c.rcvNxt = reached;
                gapFilled = true;
                reached = c.outOfOrder.takeContiguous(c.rcvNxt);
            }
        }
        if (taken > 0) {
            counters.add(Counter.TCP_DATA_BYTES_IN, taken);
            queueAck(c);
            if (gapFilled) {
                c.ackNow = true; // RFC 5681 §4.2: a segment that fills a gap is acknowledged at once
            }
            if (!ConnectionFaults.has(c.faults, ConnectionFaults.Kind.STALL)) {
                c.handler.onReceive(c); // a STALL fault keeps the bytes from the application: the window closes
            }
        }
        if (c.finPending && c.rcvNxt == c.finPendingSequence && !c.peerFinReceived && c.state.acceptsData()) {
            c.finPending = false;
            receiveFin(c);
        }
        if (taken < fresh || c.abortRequested) {
            c.ackNow = true; // trimmed to the window: tell the sender where we are
            return false;
        }
        return true;
    }

    private void receiveFin(TcpConnection c) {
        c.rcvNxt++;
        c.peerFinReceived = true;
        c.ackNow = true;
        switch (c.state) {
            case ESTABLISHED -> {
                c.state = TcpState.CLOSE_WAIT;
                c.handler.onPeerClose(c);
            }
            case FIN_WAIT_1 -> {
                if (isFinAcked(c)) {
                    enterTimeWait(c);
                } else {
                    c.state = TcpState.CLOSING;
                }
            }
            case FIN_WAIT_2 -> enterTimeWait(c);
            default -> {
            }
        }
    }

    private void open(TcpConnection c) {
        if (c.resetAt < 0) {
            c.resetAt = now - c.resetAt; // RESET_AFTER_TIME fault: counted from the handshake
        }
        c.opened = true;
        c.owesCloseNotice = true;
        counters.increment(Counter.TCP_CONNECTIONS_OPENED);
        c.handler.onOpen(c);
    }

    private void peerReset(TcpConnection c) {
        if (c.state == TcpState.SYN_RECEIVED && c.activeOpen) {
            counters.increment(Counter.TCP_CONNECTIONS_REFUSED);
            c.closeReason = CloseReason.REFUSED;
        } else if (c.state != TcpState.SYN_RECEIVED && c.state != TcpState.TIME_WAIT) {
            counters.increment(Counter.TCP_CONNECTIONS_RESET);
            c.closeReason = CloseReason.RESET;
        }
        release(c); // a passive SYN-RECEIVED simply goes: its listener stays in LISTEN [MUST-11]
    }

    private void enterTimeWait(TcpConnection c) {
        c.state = TcpState.TIME_WAIT;
        c.timeWaitDeadline = now + timeWaitNanos;
        c.retransmitDeadline = 0;
        c.closeReason = CloseReason.CLOSED;
        counters.increment(Counter.TCP_CONNECTIONS_CLOSED);
        notifyClosed(c);
    }

    private void notifyClosed(TcpConnection c) {
        if (c.owesCloseNotice) {
            c.owesCloseNotice = false;
            c.opened = false;
            c.handler.onClose(c);
        }
    }

    private void leaveBacklog(TcpConnection c) {
        if (c.listener != null && c.state != TcpState.SYN_RECEIVED) {
            c.listener.halfOpen--;
            c.listener = null;
        }
    }

    /** Ends the connection: the handler hears of it, its timer stops, and its slot is free again. */
    private void release(TcpConnection c) {
        if (c.listener != null) {
            c.listener.halfOpen--;
            c.listener = null;
        }
        notifyClosed(c);
        timers.cancel(c.id);
        table.release(c); // state becomes CLOSED
    }

    // ------------------------------------------------------------------------------------------------
    // Output
    // ------------------------------------------------------------------------------------------------

    /** After any input or timer event for {@code c}: send what is due and set its timer. */
    private void afterEvent(TcpConnection c) {
        if (c.state == TcpState.CLOSED) {
            return;
        }
        if (c.resetAfterSentBytes > 0 && sentLimitReached(c)) {
            c.abortRequested = true; // RESET_AFTER_BYTES_SENT fault: N bytes arrived, the rest never will
            counters.increment(Counter.TCP_FAULTS_INJECTED);
        }
        if (c.abortRequested) {
            abort(c);
            return;
        }
        sendQueued(c);
        if (!c.ackNow && writer.windowUpdateDue(c)) {
            c.ackNow = true;
        }
        if (c.ackNow && c.state != TcpState.SYN_SENT) {
            sendAck(c);
        }
        updateTimer(c);
    }

    /** The application aborted: RST at SND.NXT (RFC 9293 §3.10.5), and the connection is gone. */
    private void abort(TcpConnection c) {
        if (c.state != TcpState.SYN_SENT || c.remoteMac != TcpConnection.MAC_UNKNOWN) {
            writer.send(c, c.sndNxt, RST | ACK, 0, 0, now);
        }
        counters.increment(Counter.TCP_CONNECTIONS_ABORTED);
        c.closeReason = CloseReason.ABORTED;
        release(c);
    }

    /**
     * RFC 3042 limited transmit: each duplicate ACK short of fast retransmit lets one new segment out
     * beyond the congestion window, so that a small window, or a threshold raised for a reordering path,
     * still gets the duplicates that find a loss.
     */
    private static int limitedTransmit(TcpConnection c, int maxSegment) {
        return c.inRecovery ? 0 : Math.min(c.duplicateAcks, c.duplicateThreshold - 1) * maxSegment;
    }

    /**
     * Sends data and FIN as the peer's window and the congestion window allow (RFC 9293 §3.8.6, RFC 5681),
     * avoiding silly windows and, unless turned off, small segments while data is unacknowledged (Nagle).
     */
    private void sendQueued(TcpConnection c) {
        TcpState state = c.state;
        if (state != TcpState.ESTABLISHED && state != TcpState.CLOSE_WAIT && state != TcpState.FIN_WAIT_1
                && state != TcpState.CLOSING && state != TcpState.LAST_ACK) {
            return;
        }
        int maxSegment = SegmentWriter.maxPayload(c);
        while (true) {
            int queued = c.sendBuffer.size();
            int inFlight = c.sndNxt - c.sndUna;
            int available = queued - inFlight;
            if (c.resetAfterSentBytes > 0) {
                available = (int) Math.min(available, Math.max(0, c.resetAfterSentBytes - (c.sndNxt - c.iss - 1)));
            }
            int usable = Math.min(c.sndWnd, c.cwnd + limitedTransmit(c, maxSegment)) - inFlight;
            int length = Math.min(Math.min(available, usable), maxSegment);
            if (c.closeRequested && c.slowCloseNanos > 0 && c.finHeldUntil == 0) {
                c.finHeldUntil = now + c.slowCloseNanos; // SLOW_CLOSE fault: the FIN waits
            }
            boolean finHeld = c.finHeldUntil != 0 && now - c.finHeldUntil < 0;
            boolean finDue = c.closeRequested && !finHeld && !isFinAcked(c) && c.sndNxt == c.sndUna + queued
                    && available == queued - inFlight; // not while a RESET_AFTER_BYTES_SENT limit holds data back
            if (length > 0 && worthSending(c, length, available, inFlight, maxSegment)) {
                boolean last = length == available;
                int flags = ACK | (last ? PSH : 0) | (last && c.closeRequested && !finHeld ? FIN : 0);
                if (sendData(c, inFlight, length, flags) == 0) {
                    return;
                }
            } else if (finDue && length <= 0) {
                sendData(c, inFlight, 0, ACK | FIN);
            } else {
                return;
            }
        }
    }

    /**
     * RESET_AFTER_BYTES_SENT: the limit's bytes are all acknowledged (they reached the peer) and the
     * application has more to send, which will never leave.
     */
    private static boolean sentLimitReached(TcpConnection c) {
        boolean sending = c.state == TcpState.ESTABLISHED || c.state == TcpState.CLOSE_WAIT || c.state == TcpState.FIN_WAIT_1;
        return sending && c.sndUna - c.iss - 1 >= c.resetAfterSentBytes && c.sendBuffer.size() > 0;
    }

    /**
     * Sender-side silly window avoidance with Nagle (RFC 9293 §3.8.6.2.1, §3.7.4): a full segment, half the
     * largest window the peer offered, or the last of the data when nothing is outstanding (or Nagle is off).
     */
    private static boolean worthSending(TcpConnection c, int length, int available, int inFlight, int maxSegment) {
        if (length >= maxSegment || length >= c.maxSndWnd / 2) {
            return true;
        }
        return length == available && (inFlight == 0 || c.noDelay);
    }

    private static boolean isFinAcked(TcpConnection c) {
        return c.finSent && greaterThan(c.sndUna, c.finSequence);
    }

    /** Sends up to {@code length} bytes at {@code sndNxt} (and FIN if flagged); returns how many went. */
    private int sendData(TcpConnection c, int offset, int length, int flags) {
        int seq = c.sndNxt;
        boolean retransmission = lessThan(seq, c.sndMax);
        int sent = writer.send(c, seq, flags, offset, length, now);
        if (sent < length) {
            flags &= ~FIN; // the frame had less room than asked: the FIN waits for the rest
        }
        if (retransmission) {
            counters.increment(Counter.TCP_RETRANSMISSIONS);
        } else if (!c.rttTiming && sent > 0) {
            startRttTiming(c, seq + sent);
        }
        c.sndNxt = seq + sent;
        if ((flags & FIN) != 0) {
            if (!c.finSent) {
                c.finSent = true;
                c.finSequence = c.sndNxt;
                c.state = c.state == TcpState.CLOSE_WAIT ? TcpState.LAST_ACK : TcpState.FIN_WAIT_1;
            }
            c.sndNxt++;
        }
        if (greaterThan(c.sndNxt, c.sndMax)) {
            c.sndMax = c.sndNxt;
        }
        return sent + ((flags & FIN) != 0 ? 1 : 0);
    }

    /** Sends the earliest unacknowledged segment again, without moving SND.NXT (fast retransmit). */
    private void retransmitFirst(TcpConnection c) {
        int unacked = c.sendBuffer.size();
        int length = Math.min(unacked, SegmentWriter.maxPayload(c));
        boolean finToo = c.finSent && !isFinAcked(c) && length == unacked;
        if (length == 0 && !finToo) {
            return;
        }
        writer.send(c, c.sndUna, ACK | (finToo ? FIN : 0), 0, length, now);
        counters.increment(Counter.TCP_RETRANSMISSIONS);
    }

    private void startRttTiming(TcpConnection c, int sequence) {
        c.rttTiming = true;
        c.rttSequence = sequence;
        c.rttStartNanos = now;
    }

    private void sendSynAck(TcpConnection c) {
        if (c.synAcksToDrop > 0) {
            c.synAcksToDrop--; // SYN_ACK_DROP fault: "sent", lost on the way; the timer sends it again
            counters.increment(Counter.TCP_FAULTS_INJECTED);
        } else {
            writer.send(c, c.iss, SYN | ACK, 0, 0, now);
        }
        c.sndNxt = c.iss + 1;
        c.sndMax = c.iss + 1;
    }

    private void retransmitSynAck(TcpConnection c) {
        c.rttTiming = false; // Karn: the handshake's round trip is now ambiguous
        c.handshakeRetransmitted = true;
        counters.increment(Counter.TCP_RETRANSMISSIONS);
        sendSynAck(c);
    }

    private void sendAck(TcpConnection c) {
        writer.send(c, c.sndNxt, ACK, 0, 0, now);
    }

    /**
     * The ACK that answers an unacceptable segment (RFC 9293 §3.10.7.4), at most once per 500 ms per
     * connection unless the segment carries data or a FIN (Linux's tcp_oow_rate_limited,
     * tcp_invalid_ratelimit): a flood of forged ACKs or SYNs is not reflected one for one, while a sender of
     * data, which retransmits until it hears an ACK, always gets its answer.
     */
    private void ackInvalid(TcpConnection c) {
        boolean carries = segment.sequenceLength() > 0 && (segment.flags() & SYN) == 0; // a SYN is limited, as Linux's
        if (!carries && c.lastInvalidAckNanos != 0 && now - c.lastInvalidAckNanos < INVALID_ACK_INTERVAL_NANOS) {
            counters.increment(Counter.TCP_INVALID_ACKS_SKIPPED);
            return;
        }
        c.lastInvalidAckNanos = now;
        c.ackNow = true;
    }

    /** RFC 5961 §7: challenge ACKs are rate-limited so that they cannot be used as an amplifier. */
    private void challengeAck(TcpConnection c) {
        if (now - challengeAckPeriodStart >= CHALLENGE_ACK_PERIOD_NANOS) {
            challengeAckPeriodStart = now;
            challengeAcksInPeriod = 0;
        }
        if (challengeAcksInPeriod < CHALLENGE_ACKS_PER_PERIOD) {
            challengeAcksInPeriod++;
            counters.increment(Counter.TCP_CHALLENGE_ACKS);
            c.ackNow = true;
        }
    }

    private void queueAck(TcpConnection c) {
        if (c.rcvNxt - c.lastAckSent >= 2 * c.localMss) {
            c.ackNow = true; // RFC 9293 §3.8.6.3: at least every second full-sized segment
            return;
        }
        c.ackPending = true;
        if (!c.inAckQueue) {
            c.inAckQueue = true;
            ackQueue[ackQueueLength++] = c.id;
        }
    }

    /** The engine finished a batch of frames: acknowledgments that could wait go out now. */
    public void flush() {
        for (int i = 0; i < ackQueueLength; i++) {
            TcpConnection c = table.get(ackQueue[i]);
            if (c.inAckQueue) {
                c.inAckQueue = false;
                if (c.ackPending && c.state != TcpState.CLOSED) {
                    sendAck(c);
                }
            }
        }
        ackQueueLength = 0;
    }

    // ------------------------------------------------------------------------------------------------
    // Timers
    // ------------------------------------------------------------------------------------------------

    /** Fires the timers that are due at {@code nowNanos}. */
    public void pollTimers(long nowNanos) {
        now = nowNanos;
        timers.poll(nowNanos, this);
    }

    /** The earliest pending deadline, or {@link TimerWheel#NONE}: where a simulated clock may jump to. */
    public long nextDeadline() {
        return timers.earliestDeadline();
    }

    private void updateTimer(TcpConnection c) {
        long deadline;
        if (c.state == TcpState.TIME_WAIT) {
            deadline = c.timeWaitDeadline;
        } else if (greaterThan(c.sndMax, c.sndUna) || stalled(c) || c.state == TcpState.SYN_SENT || c.synAckHeld) {
            if (c.retransmitDeadline == 0) {
                c.retransmitDeadline = now + c.rto.rto();
            }
            deadline = c.retransmitDeadline;
        } else {
            c.retransmitDeadline = 0;
            deadline = TimerWheel.NONE;
        }
        if (c.state != TcpState.TIME_WAIT) {
            deadline = earliest(deadline, c.resetAt > 0 ? c.resetAt : TimerWheel.NONE);
            deadline = earliest(deadline, c.finHeldUntil != 0 && now - c.finHeldUntil < 0 ? c.finHeldUntil : TimerWheel.NONE);
        }
        if (deadline == TimerWheel.NONE) {
            timers.cancel(c.id);
        } else if (timers.deadline(c.id) != deadline) {
            timers.schedule(c.id, deadline);
        }
    }

    private static long earliest(long a, long b) {
        if (a == TimerWheel.NONE) {
            return b;
        }
        return b == TimerWheel.NONE ? a : Math.min(a, b);
    }

    /**
     * Data waits and nothing is in flight, so no ACK will come to trigger it: the peer's window is closed, or
     * too small to be worth a segment. The timer then probes the window (RFC 9293 §3.8.6.1) or overrides
     * silly window avoidance (§3.8.6.2.1).
     */
    private static boolean stalled(TcpConnection c) {
        return c.sndMax == c.sndUna && c.sendBuffer.size() > 0 && c.state != TcpState.SYN_RECEIVED
                && c.state != TcpState.SYN_SENT;
    }

    @Override
    public void onExpiry(int id, long nowNanos) {
        now = nowNanos;
        TcpConnection c = table.get(id);
        if (c.state == TcpState.TIME_WAIT) {
            if (now - c.timeWaitDeadline >= 0) {
                release(c);
            } else {
                updateTimer(c);
            }
            return;
        }
        if (c.resetAt > 0 && now - c.resetAt >= 0) {
            c.resetAt = 0;
            counters.increment(Counter.TCP_FAULTS_INJECTED);
            c.abortRequested = true; // RESET_AFTER_TIME fault
        } else if (c.retransmitDeadline != 0 && now - c.retransmitDeadline >= 0) {
            c.retransmitDeadline = 0;
            retransmitTimeout(c);
        }
        afterEvent(c);
    }

    /** RFC 6298 §5.4–5.7: retransmit the earliest unacknowledged segment and back off. */
    private void retransmitTimeout(TcpConnection c) {
        if (c.synAckHeld) {
            c.synAckHeld = false; // SYN_ACK_DELAY fault: the first SYN-ACK goes now
            counters.increment(Counter.TCP_FAULTS_INJECTED);
            sendSynAck(c);
            startRttTiming(c, c.iss + 1);
            return;
        }
        counters.increment(Counter.TCP_TIMEOUTS);
        if (c.state == TcpState.SYN_SENT) {
            if (++c.retries > config.synRetries()) {
                counters.increment(Counter.TCP_HANDSHAKE_TIMEOUTS);
                c.closeReason = CloseReason.TIMED_OUT;
                release(c);
                return;
            }
            c.rto.backOff();
            c.rttTiming = false;
            c.handshakeRetransmitted = true;
            if (c.remoteMac != TcpConnection.MAC_UNKNOWN) {
                counters.increment(Counter.TCP_RETRANSMISSIONS);
                sendSyn(c); // [MUST-22]
            } else {
                network.resolve(c.localAddress, c.localMac, c.remoteAddress); // still no ARP answer: ask again
            }
            return;
        }
        if (c.state == TcpState.SYN_RECEIVED) {
            if (++c.retries > config.synAckRetries()) {
                counters.increment(Counter.TCP_HANDSHAKE_TIMEOUTS);
                c.closeReason = CloseReason.TIMED_OUT;
                release(c);
                return;
            }
            c.rto.backOff();
            retransmitSynAck(c);
            return;
        }
        if (stalled(c)) {
            // Window probe, or the silly-window override: send what the window takes, at least one byte
            // (one byte past a closed window; the answer carries the window [MUST-36]).
            c.rto.backOff();
            int length = Math.max(1, Math.min(Math.min(c.sendBuffer.size(), c.sndWnd), SegmentWriter.maxPayload(c)));
            sendData(c, 0, length, ACK);
            return;
        }
        if (++c.retries > config.dataRetries()) {
            counters.increment(Counter.TCP_CONNECTIONS_ABORTED);
            c.closeReason = CloseReason.TIMED_OUT;
            release(c);
            return;
        }
        c.rto.backOff();
        int inFlight = c.sndMax - c.sndUna;
        int mss = SegmentWriter.maxPayload(c);
        c.ssthresh = Math.max(inFlight / 2, 2 * mss); // RFC 5681 §3.1 equation (4)
        c.cwnd = mss;
        c.bytesAckedInAvoidance = 0;
        c.inRecovery = false;
        c.undoable = false;
        c.duplicateAcks = 0;
        c.recover = c.sndMax; // RFC 6582 §3.2 step 4: no fast retransmit for what was sent before the timeout
        c.rttTiming = false;
        // Go back: everything from the first unacknowledged octet is sent again, the first segment now
        // whatever the window (it may be a probe of a window that closed), the rest as cwnd allows.
        c.sndNxt = c.sndUna;
        int queued = c.sendBuffer.size();
        int length = Math.min(queued, mss);
        boolean withFin = c.finSent && length == queued;
        if (length > 0 || withFin) {
            sendData(c, 0, length, ACK | (withFin ? FIN : 0));
        }
    }
}
