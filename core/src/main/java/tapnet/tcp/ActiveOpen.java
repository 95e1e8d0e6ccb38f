package tapnet.tcp;

import static tapnet.tcp.SequenceNumbers.lessOrEqual;
import static tapnet.tcp.SequenceNumbers.lessThan;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.RST;
import static tapnet.wire.TcpSegment.SYN;

import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;
import tapnet.wire.TcpSegment;

/**
 * A virtual host as a client: the connection a host opens (an ephemeral port, a SYN offering every
 * option, sent at once or when ARP has found the peer), and what it makes of the answer in SYN-SENT
 * (RFC 9293 §3.10.7.3): established, refused, or a simultaneous open.
 */
final class ActiveOpen {
    private static final int EPHEMERAL_FIRST = 49152;
    private static final int EPHEMERAL_COUNT = 65536 - EPHEMERAL_FIRST;

    private final ConnectionTable table;
    private final ListenerTable listeners;
    private final IsnGenerator isn;
    private final Counters counters;
    private final SegmentWriter writer;
    private final HandshakeOptions handshake;
    private final CongestionControl congestion;
    private final TcpOutput output;
    private final TimerDeadlines timer;
    private final ConnectionLifecycle lifecycle;
    private final TcpStack.NetworkLayer network;
    /** Connections in SYN-SENT whose SYN waits for ARP to find the peer's MAC. */
    private final int[] awaitingArp;
    private int awaitingArpLength;
    private int nextEphemeral;

    ActiveOpen(ConnectionTable table, ListenerTable listeners, IsnGenerator isn, Counters counters, SegmentWriter writer,
               HandshakeOptions handshake, CongestionControl congestion, TcpOutput output, TimerDeadlines timer,
               ConnectionLifecycle lifecycle, TcpStack.NetworkLayer network, int portSalt) {
        this.table = table;
        this.listeners = listeners;
        this.isn = isn;
        this.counters = counters;
        this.writer = writer;
        this.handshake = handshake;
        this.congestion = congestion;
        this.output = output;
        this.timer = timer;
        this.lifecycle = lifecycle;
        this.network = network;
        this.awaitingArp = new int[table.capacity()];
        this.nextEphemeral = Math.floorMod(portSalt, EPHEMERAL_COUNT);
    }

    /** See {@link TcpStack#connect}. */
    TcpConnection connect(int localAddress, long localMac, int remoteAddress, long remoteMac, int remotePort,
                          ConnectionHandler handler, long now) {
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
        c.localMss = handshake.localMss(localAddress);
        c.sendMss = handshake.effectiveSendMss(c, TcpConfig.defaultPeerMss(localAddress));
        congestion.start(c);
        handshake.offerAll(c);
        c.state = TcpState.SYN_SENT;
        counters.increment(Counter.TCP_ACTIVE_OPENS);
        if (remoteMac == TcpConnection.MAC_UNKNOWN) {
            if (!c.listedForArp) {
                c.listedForArp = true;
                awaitingArp[awaitingArpLength++] = c.id; // at most one entry per slot: never more than the table
            }
            network.resolve(localAddress, localMac, remoteAddress);
        } else {
            output.sendSyn(c, now);
        }
        timer.update(c, now);
        return c;
    }

    /**
     * A neighbour's MAC became known: SYNs that waited for it go out. Entries of connections that ended
     * meanwhile (timed out, forgotten) leave the list here.
     */
    void neighborLearned(int address, long mac, long now) {
        int kept = 0;
        for (int i = 0; i < awaitingArpLength; i++) {
            TcpConnection c = table.get(awaitingArp[i]);
            boolean waiting = c.state == TcpState.SYN_SENT && c.remoteMac == TcpConnection.MAC_UNKNOWN;
            if (waiting && c.remoteAddress == address) {
                c.remoteMac = mac;
                output.sendSyn(c, now);
                timer.update(c, now);
                c.listedForArp = false;
            } else if (waiting) {
                awaitingArp[kept++] = c.id;
            } else {
                c.listedForArp = false;
            }
        }
        awaitingArpLength = kept;
    }

    /** Whether any SYN waits for ARP. */
    boolean awaitingArp() {
        return awaitingArpLength > 0;
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

    /** RFC 9293 §3.10.7.3: a segment for a connection in SYN-SENT. */
    void synSent(TcpConnection c, IncomingSegment in, long now) {
        TcpSegment segment = in.segment;
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
                lifecycle.release(c);
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
        handshake.takeSynOptions(c, in.options);
        c.timestamps &= offeredTimestamps;
        c.sndWnd = segment.window();
        c.maxSndWnd = c.sndWnd;
        c.sndWl1 = c.irs;
        c.sndWl2 = ack;
        congestion.start(c); // the SYN-ACK's MSS sets the initial window; still in slow start
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
                c.rto.restartAt(RetransmissionTimeout.AFTER_RETRANSMITTED_HANDSHAKE_NANOS); // RFC 6298 §5.7
            }
            c.ackNow = true;
            lifecycle.open(c, now);
        } else {
            // Simultaneous open [MUST-10]: both sides sent SYNs; answer with SYN-ACK for our own ISS.
            c.state = TcpState.SYN_RECEIVED;
            writer.send(c, c.iss, SYN | ACK, 0, 0, now);
        }
    }
}
