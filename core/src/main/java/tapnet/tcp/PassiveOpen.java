package tapnet.tcp;

import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.RST;
import static tapnet.wire.TcpSegment.SYN;

import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;
import tapnet.wire.TcpSegment;

/**
 * Segments that meet no connection: at a closed port, RST (RFC 9293 §3.10.7.1); at a listener
 * (§3.10.7.2), a SYN opens a connection in SYN-RECEIVED while its SYN backlog has room, and past it, or
 * with the table full, gets a SYN cookie and leaves no state (RFC 4987 §3.6), which the ACK completing the
 * handshake brings back. The listener's per-SYN faults (SYN_DROP, REFUSE, UNREACHABLE) strike here, and a
 * new connection draws its own faults.
 */
final class PassiveOpen {
    private final TcpConfig config;
    private final ConnectionTable table;
    private final IsnGenerator isn;
    private final SynCookies cookies;
    private final Counters counters;
    private final SegmentWriter writer;
    private final HandshakeOptions handshake;
    private final CongestionControl congestion;
    private final FaultInjection faults;
    private final TcpOutput output;
    private final SegmentArrival arrival;
    private final TcpStack.NetworkLayer network;

    PassiveOpen(TcpConfig config, ConnectionTable table, IsnGenerator isn, SynCookies cookies, Counters counters,
                SegmentWriter writer, HandshakeOptions handshake, CongestionControl congestion, FaultInjection faults,
                TcpOutput output, SegmentArrival arrival, TcpStack.NetworkLayer network) {
        this.config = config;
        this.table = table;
        this.isn = isn;
        this.cookies = cookies;
        this.counters = counters;
        this.writer = writer;
        this.handshake = handshake;
        this.congestion = congestion;
        this.faults = faults;
        this.output = output;
        this.arrival = arrival;
        this.network = network;
    }

    /**
     * RFC 9293 §3.10.7.1: no connection and no listener. Never answer an RST with an RST. True when it
     * refused a connection: a SYN answered with RST.
     */
    boolean closedPort(IncomingSegment in) {
        TcpSegment segment = in.segment;
        int flags = segment.flags();
        if ((flags & RST) != 0) {
            counters.drop(DropReason.TCP_RST_IGNORED);
        } else if ((flags & ACK) != 0) {
            writer.reset(in, segment.acknowledgmentNumber(), 0, RST);
        } else {
            int ack = segment.sequenceNumber() + segment.sequenceLength();
            writer.reset(in, 0, ack, RST | ACK);
            return (flags & SYN) != 0;
        }
        return false;
    }

    /** RFC 9293 §3.10.7.2: a segment for a listener. */
    void listening(Listener listener, IncomingSegment in, long now) {
        TcpSegment segment = in.segment;
        int flags = segment.flags();
        if ((flags & RST) != 0) {
            counters.drop(DropReason.TCP_RST_IGNORED);
            return;
        }
        if ((flags & ACK) != 0) {
            if ((flags & SYN) == 0 && acceptCookie(listener, in, now)) {
                return;
            }
            writer.reset(in, segment.acknowledgmentNumber(), 0, RST);
            return;
        }
        if ((flags & SYN) == 0) {
            counters.drop(DropReason.TCP_STRAY);
            return;
        }
        if (!listener.faults.isEmpty() && synFault(listener, in)) {
            return;
        }
        TcpConnection c = listener.halfOpen < config.synBacklog()
                ? table.open(in.localAddress, segment.destinationPort(), in.remoteAddress, segment.sourcePort())
                : null;
        if (c == null) {
            sendCookie(in, now);
            return;
        }
        c.handler = listener.handler;
        c.noDelay = listener.noDelay;
        c.listener = listener;
        c.service = listener.counters;
        listener.halfOpen++;
        c.localMac = in.localMac;
        c.remoteMac = in.remoteMac;
        c.irs = segment.sequenceNumber();
        c.rcvNxt = c.irs + 1;
        c.iss = isn.isn(in.localAddress, c.localPort, in.remoteAddress, c.remotePort, now);
        c.sndUna = c.sndNxt = c.sndMax = c.recover = c.iss;
        c.sndWnd = segment.window(); // RFC 7323 §2.2: the window in a SYN is never scaled
        c.maxSndWnd = c.sndWnd;
        c.sndWl1 = c.irs;
        c.localMss = handshake.localMss(in.localAddress);
        handshake.takeSynOptions(c, in.options);
        congestion.start(c);
        c.state = TcpState.SYN_RECEIVED;
        if (!listener.faults.isEmpty()) {
            faults.draw(c, listener.faults, listener.counters);
        }
        // Data carried by the SYN is not queued: it is left unacknowledged and the peer sends it again.
        if (faults.synAckHeld(c)) {
            c.retransmitDeadline = now + FaultInjection.synAckDelay(listener.faults); // SYN_ACK_DELAY: the timer sends it
        } else {
            output.sendSynAck(c, now);
            TcpOutput.startRttTiming(c, c.iss + 1, now);
        }
        output.afterEvent(c, now);
    }

    /** A per-SYN fault (SYN_DROP, REFUSE, UNREACHABLE) that hits this SYN; true when it took it. */
    private boolean synFault(Listener listener, IncomingSegment in) {
        ConnectionFaults.Kind fault = listener.faults.decideForSyn();
        if (fault == null) {
            return false;
        }
        counters.increment(Counter.TCP_FAULTS_INJECTED);
        listener.counters.fault(fault);
        switch (fault) {
            case SYN_DROP -> counters.drop(DropReason.TCP_FAULT);
            case REFUSE -> {
                writer.reset(in, 0, in.segment.sequenceNumber() + in.segment.sequenceLength(), RST | ACK);
                listener.counters.refused++;
            }
            case UNREACHABLE -> network.portUnreachable();
            default -> throw new IllegalStateException("not a per-SYN fault: " + fault);
        }
        return true;
    }

    /** Backlog full or table full: answer with a SYN cookie and keep no state (RFC 4987 §3.6). */
    private void sendCookie(IncomingSegment in, long now) {
        TcpSegment segment = in.segment;
        int announced = handshake.localMss(in.localAddress);
        int mss = Math.min(in.options.hasMss() ? in.options.mss() : TcpConfig.defaultPeerMss(in.localAddress), announced);
        int cookie = cookies.encode(in.localAddress, segment.destinationPort(), in.remoteAddress, segment.sourcePort(),
                segment.sequenceNumber(), mss, now);
        writer.cookieSynAck(segment, in.localMac, in.remoteMac, in.localAddress, in.remoteAddress, cookie,
                config.bufferSize(), announced);
        counters.increment(Counter.TCP_SYN_COOKIES_SENT);
    }

    /** An ACK at a listener may complete a cookie handshake; if its cookie is good, the connection is rebuilt. */
    private boolean acceptCookie(Listener listener, IncomingSegment in, long now) {
        TcpSegment segment = in.segment;
        int ack = segment.acknowledgmentNumber();
        int seq = segment.sequenceNumber();
        int mss = cookies.decode(in.localAddress, segment.destinationPort(), in.remoteAddress, segment.sourcePort(),
                seq - 1, ack - 1, now);
        if (mss < 0) {
            return false;
        }
        TcpConnection c = table.open(in.localAddress, segment.destinationPort(), in.remoteAddress, segment.sourcePort());
        if (c == null) {
            // A good cookie, but nowhere to put it. The peer believes it is connected: tell it it is not.
            // (Linux drops the ACK and waits for the peer to retransmit, which a peer waiting for the server
            // to speak first never does: it would hang.)
            counters.drop(DropReason.TCP_TABLE_FULL);
            writer.reset(in, ack, 0, RST);
            return true;
        }
        c.handler = listener.handler;
        c.noDelay = listener.noDelay;
        c.service = listener.counters;
        c.localMac = in.localMac;
        c.remoteMac = in.remoteMac;
        c.irs = seq - 1;
        c.rcvNxt = seq;
        c.rcvAdv = seq + Math.min(config.bufferSize(), 0xffff); // what the cookie SYN-ACK advertised
        c.iss = ack - 1;
        c.sndUna = c.recover = c.iss;
        c.sndNxt = c.sndMax = ack;
        c.localMss = handshake.localMss(in.localAddress);
        c.sendMss = handshake.effectiveSendMss(c, mss);
        congestion.start(c);
        c.sndWl1 = c.irs;
        c.state = TcpState.SYN_RECEIVED;
        counters.increment(Counter.TCP_SYN_COOKIES_ACCEPTED);
        arrival.arrives(c, in, now);
        output.afterEvent(c, now);
        return true;
    }
}
