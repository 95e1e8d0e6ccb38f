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
import tapnet.net.PacketWriter;
import tapnet.net.TcpReceiver;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;
import tapnet.time.TimerWheel;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.TcpOptions;
import tapnet.wire.TcpSegment;

/**
 * TCP for every virtual host (RFC 9293): listeners, the connection table, segment arrival per §3.10.7,
 * output of data, FIN and acknowledgments, retransmission per RFC 6298 and RFC 5961's defences. One
 * instance per engine thread, and that thread is the only one that touches it.
 */
public final class TcpStack implements TcpReceiver, TimerWheel.Expiry {
    private static final int MAX_UNSCALED_WINDOW = 0xffff;
    private static final int MIN_SEND_MSS = 64;
    private static final long CHALLENGE_ACK_PERIOD_NANOS = 1_000_000_000L;
    private static final int CHALLENGE_ACKS_PER_PERIOD = 1000;

    private final TcpConfig config;
    private final Counters counters;
    private final PacketWriter out;
    private final ConnectionTable table;
    private final ListenerTable listeners = new ListenerTable();
    private final TimerWheel timers;
    private final IsnGenerator isn;
    private final long timeWaitNanos;

    private final TcpSegment segment = new TcpSegment();
    private final TcpSegment outgoing = new TcpSegment();
    private final TcpOptions options = new TcpOptions();
    private final int[] ackQueue;
    private int ackQueueLength;
    private long now;
    private long challengeAckPeriodStart;
    private int challengeAcksInPeriod;

    public TcpStack(TcpConfig config, Counters counters, PacketWriter out, IsnGenerator isn, int tableSalt, long startNanos) {
        this.config = config;
        this.counters = counters;
        this.out = out;
        this.isn = isn;
        int chunks = (int) Math.max(1, Math.min(Integer.MAX_VALUE - 8, config.bufferMemory() / ChunkPool.DEFAULT_CHUNK_SIZE));
        ChunkPool pool = new ChunkPool(ChunkPool.DEFAULT_CHUNK_SIZE, chunks);
        long initialRto = config.initialRto().toNanos();
        long minRto = config.minRto().toNanos();
        long maxRto = config.maxRto().toNanos();
        this.table = new ConnectionTable(config.maxConnections(), pool, config.bufferSize(),
                id -> new RetransmissionTimeout(initialRto, minRto, maxRto), tableSalt);
        this.timers = new TimerWheel(config.maxConnections(), 1_000_000, 4096, startNanos);
        this.timeWaitNanos = config.timeWait().toNanos();
        this.ackQueue = new int[config.maxConnections()];
        this.now = startNanos;
    }

    /** Makes {@code handler} serve connections to {@code address:port}. Before the engine starts. */
    public void listen(int address, int port, ConnectionHandler handler) {
        listeners.listen(address, port, handler);
    }

    public ConnectionTable connections() {
        return table;
    }

    public TimerWheel timers() {
        return timers;
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
                        ByteBuffer buffer, int offset, int length, long nowNanos) {
        now = nowNanos;
        segment.wrap(buffer, offset, length);
        if (!segment.isWellFormed()) {
            counters.drop(DropReason.TCP_MALFORMED);
            return;
        }
        if (!segment.isChecksumValid(remoteAddress, localAddress)) {
            counters.drop(DropReason.TCP_BAD_CHECKSUM);
            return;
        }
        counters.increment(Counter.TCP_SEGMENTS_IN);
        options.parse(segment);
        int localPort = segment.destinationPort();
        int remotePort = segment.sourcePort();
        TcpConnection c = table.find(localAddress, localPort, remoteAddress, remotePort);
        if (c != null) {
            segmentArrives(c);
            afterEvent(c);
            return;
        }
        ConnectionHandler handler = listeners.find(localAddress, localPort);
        if (handler == null) {
            closedPort(localMac, remoteMac, localAddress, remoteAddress);
        } else {
            listening(handler, localMac, remoteMac, localAddress, remoteAddress);
        }
    }

    /** RFC 9293 §3.10.7.1: no connection and no listener. Never answer an RST with an RST. */
    private void closedPort(long localMac, long remoteMac, int localAddress, int remoteAddress) {
        int flags = segment.flags();
        if ((flags & RST) != 0) {
            counters.drop(DropReason.TCP_RST_IGNORED);
        } else if ((flags & ACK) != 0) {
            sendReset(localMac, remoteMac, localAddress, remoteAddress, segment.acknowledgmentNumber(), 0, RST);
        } else {
            int ack = segment.sequenceNumber() + segment.sequenceLength();
            sendReset(localMac, remoteMac, localAddress, remoteAddress, 0, ack, RST | ACK);
        }
    }

    /** RFC 9293 §3.10.7.2: a segment for a listener. */
    private void listening(ConnectionHandler handler, long localMac, long remoteMac, int localAddress, int remoteAddress) {
        int flags = segment.flags();
        if ((flags & RST) != 0) {
            counters.drop(DropReason.TCP_RST_IGNORED);
            return;
        }
        if ((flags & ACK) != 0) {
            sendReset(localMac, remoteMac, localAddress, remoteAddress, segment.acknowledgmentNumber(), 0, RST);
            return;
        }
        if ((flags & SYN) == 0) {
            counters.drop(DropReason.TCP_STRAY);
            return;
        }
        TcpConnection c = table.open(localAddress, segment.destinationPort(), remoteAddress, segment.sourcePort());
        if (c == null) {
            counters.drop(DropReason.TCP_TABLE_FULL);
            return;
        }
        c.handler = handler;
        c.localMac = localMac;
        c.remoteMac = remoteMac;
        c.irs = segment.sequenceNumber();
        c.rcvNxt = c.irs + 1;
        c.iss = isn.isn(localAddress, c.localPort, remoteAddress, c.remotePort, now);
        c.sndUna = c.iss;
        c.sndNxt = c.iss;
        c.sndMax = c.iss;
        c.sndWnd = segment.window(); // RFC 7323 §2.2: the window in a SYN is never scaled
        c.maxSndWnd = c.sndWnd;
        c.sndWl1 = c.irs;
        c.sendMss = effectiveSendMss(options.hasMss() ? options.mss() : TcpConfig.DEFAULT_PEER_MSS);
        c.cwnd = config.initialWindow() * c.sendMss;
        c.ssthresh = Integer.MAX_VALUE;
        c.state = TcpState.SYN_RECEIVED;
        // Data carried by the SYN is not queued: it is left unacknowledged and the peer sends it again.
        sendSynAck(c);
        startRttTiming(c, c.iss + 1);
        afterEvent(c);
    }

    private int effectiveSendMss(int peerMss) {
        int fits = out.maxTransportLength() - TcpSegment.MIN_HEADER_LENGTH;
        return Math.max(MIN_SEND_MSS, Math.min(Math.min(peerMss, config.mss()), fits));
    }

    /** RFC 9293 §3.10.7.4 (SYN-RECEIVED and the synchronized states). */
    private void segmentArrives(TcpConnection c) {
        int flags = segment.flags();
        int seq = segment.sequenceNumber();

        if (c.state == TcpState.SYN_RECEIVED && (flags & (SYN | ACK | RST)) == SYN && seq == c.irs) {
            // The peer did not get our SYN-ACK and sent its SYN again: answer it again at once.
            retransmitSynAck(c);
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
            c.ackNow = true;
            counters.drop(DropReason.TCP_UNACCEPTABLE);
            return;
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
            if (c.state == TcpState.SYN_RECEIVED) {
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
                sendReset(c.localMac, c.remoteMac, c.localAddress, c.remoteAddress, ack, 0, RST);
                return;
            }
            c.state = TcpState.ESTABLISHED;
            c.sndWnd = segment.window();
            c.maxSndWnd = Math.max(c.maxSndWnd, c.sndWnd);
            c.sndWl1 = seq;
            c.sndWl2 = ack;
            handshakeCompleted = true;
        }
        boolean spaceFreed = processAck(c, seq, ack);
        if (c.state == TcpState.CLOSED) {
            return; // LAST-ACK ended, or the handshake completed into a closed slot
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
                allTextTaken = receiveText(c, seq, payload);
            } else {
                allTextTaken = false; // §3.10.7.4: text after the peer's FIN is ignored
            }
        }

        // Eighth: FIN, when it is the next octet expected.
        if ((flags & FIN) != 0 && allTextTaken && seq + payload == c.rcvNxt && !c.peerFinReceived) {
            receiveFin(c);
        }
    }

    /** The four cases of RFC 9293 §3.10.7.4 "first, check sequence number". */
    private static boolean isAcceptable(int seq, int length, int rcvNxt, int window) {
        if (length == 0) {
            return window == 0 ? seq == rcvNxt : inWindow(seq, rcvNxt, rcvNxt + window);
        }
        if (window == 0) {
            return false;
        }
        return inWindow(seq, rcvNxt, rcvNxt + window) || inWindow(seq + length - 1, rcvNxt, rcvNxt + window);
    }

    /** RFC 9293 §3.10.7.4 fifth step for the synchronized states; returns whether send space was freed. */
    private boolean processAck(TcpConnection c, int seq, int ack) {
        if (greaterThan(ack, c.sndMax)) {
            c.ackNow = true; // acknowledges something not yet sent
            counters.drop(DropReason.TCP_UNACCEPTABLE);
            return false;
        }
        if (lessThan(ack, c.sndUna - c.maxSndWnd)) {
            challengeAck(c); // RFC 5961 §5.2: too old to be a plausible duplicate
            return false;
        }
        boolean spaceFreed = false;
        if (greaterThan(ack, c.sndUna)) {
            int acked = ack - c.sndUna;
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
            growCongestionWindow(c, ack - c.sndUna);
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
        }
        // Window update, guarded against old segments (SND.WL1/SND.WL2 rule).
        if (lessThan(c.sndWl1, seq) || (c.sndWl1 == seq && lessOrEqual(c.sndWl2, ack))) {
            c.sndWnd = segment.window();
            c.maxSndWnd = Math.max(c.maxSndWnd, c.sndWnd);
            c.sndWl1 = seq;
            c.sndWl2 = ack;
        }
        boolean finAcked = c.finSent && greaterThan(c.sndUna, c.finSequence);
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
                    release(c);
                }
            }
            default -> {
            }
        }
        return spaceFreed;
    }

    /** RFC 5681 §3.1 slow start and congestion avoidance, counting bytes acknowledged (RFC 3465, L = 1 SMSS). */
    private static void growCongestionWindow(TcpConnection c, int acked) {
        if (c.cwnd < c.ssthresh) {
            c.cwnd += Math.min(acked, c.sendMss);
        } else {
            c.bytesAckedInAvoidance += acked;
            if (c.bytesAckedInAvoidance >= c.cwnd) {
                c.bytesAckedInAvoidance -= c.cwnd;
                c.cwnd += c.sendMss;
            }
        }
        c.cwnd = Math.min(c.cwnd, 1 << 30);
    }

    /** Takes in-order text into the receive buffer; returns whether all of it fitted. */
    private boolean receiveText(TcpConnection c, int seq, int payload) {
        int skip = c.rcvNxt - seq;
        if (skip < 0) {
            // Out of order: not kept (yet); a duplicate ACK tells the sender what is missing.
            c.ackNow = true;
            return false;
        }
        int fresh = payload - skip;
        int taken = c.receiveBuffer.write(segment.buffer(), segment.payloadOffset() + skip, fresh);
        c.rcvNxt += taken;
        if (taken > 0) {
            counters.add(Counter.TCP_DATA_BYTES_IN, taken);
            queueAck(c);
            c.handler.onReceive(c);
        }
        if (taken < fresh) {
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
                if (c.finSent && greaterThan(c.sndUna, c.finSequence)) {
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
        c.opened = true;
        counters.increment(Counter.TCP_CONNECTIONS_OPENED);
        c.handler.onOpen(c);
    }

    private void peerReset(TcpConnection c) {
        if (c.state != TcpState.SYN_RECEIVED && c.state != TcpState.TIME_WAIT) {
            counters.increment(Counter.TCP_CONNECTIONS_RESET);
        }
        release(c);
    }

    private void enterTimeWait(TcpConnection c) {
        c.state = TcpState.TIME_WAIT;
        c.timeWaitDeadline = now + timeWaitNanos;
        c.retransmitDeadline = 0;
        counters.increment(Counter.TCP_CONNECTIONS_CLOSED);
        notifyClosed(c);
    }

    private void notifyClosed(TcpConnection c) {
        if (c.opened) {
            c.opened = false;
            c.handler.onClose(c);
        }
    }

    /** Ends the connection: the handler hears of it, its timer stops, and its slot is free again. */
    private void release(TcpConnection c) {
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
        sendQueued(c);
        if (c.state == TcpState.CLOSED) {
            return;
        }
        if (!c.ackNow && windowUpdateDue(c)) {
            c.ackNow = true;
        }
        if (c.ackNow) {
            sendAck(c);
        }
        updateTimer(c);
    }

    /** Sends data and FIN as the peer's window and the congestion window allow (RFC 9293 §3.8.6, RFC 5681). */
    private void sendQueued(TcpConnection c) {
        TcpState state = c.state;
        if (state != TcpState.ESTABLISHED && state != TcpState.CLOSE_WAIT && state != TcpState.FIN_WAIT_1
                && state != TcpState.CLOSING && state != TcpState.LAST_ACK) {
            return;
        }
        while (true) {
            int queued = c.sendBuffer.size();
            int offset = c.sndNxt - c.sndUna;
            int available = queued - offset;
            int inFlight = c.sndNxt - c.sndUna;
            int usable = Math.min(c.sndWnd, c.cwnd) - inFlight;
            int length = Math.min(Math.min(available, usable), c.sendMss);
            boolean finDue = c.closeRequested && !isFinAcked(c) && c.sndNxt == c.sndUna + queued;
            if (length > 0) {
                boolean last = length == available;
                int flags = ACK | (last ? PSH : 0) | (last && c.closeRequested ? FIN : 0);
                sendData(c, offset, length, flags);
            } else if (finDue) {
                sendData(c, offset, 0, ACK | FIN);
            } else {
                return;
            }
        }
    }

    private static boolean isFinAcked(TcpConnection c) {
        return c.finSent && greaterThan(c.sndUna, c.finSequence);
    }

    /** Sends {@code length} bytes at {@code sndNxt} (and FIN if flagged), advancing the send sequence. */
    private void sendData(TcpConnection c, int offset, int length, int flags) {
        int seq = c.sndNxt;
        if (lessThan(seq, c.sndMax)) {
            counters.increment(Counter.TCP_RETRANSMISSIONS);
        } else if (!c.rttTiming && length > 0) {
            startRttTiming(c, seq + length);
        }
        emit(c, seq, flags, offset, length, false);
        c.sndNxt = seq + length;
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
    }

    private void startRttTiming(TcpConnection c, int sequence) {
        c.rttTiming = true;
        c.rttSequence = sequence;
        c.rttStartNanos = now;
    }

    private void sendSynAck(TcpConnection c) {
        emit(c, c.iss, SYN | ACK, 0, 0, true);
        c.sndNxt = c.iss + 1;
        c.sndMax = c.iss + 1;
    }

    private void retransmitSynAck(TcpConnection c) {
        c.rttTiming = false; // Karn: the handshake's round trip is now ambiguous
        counters.increment(Counter.TCP_RETRANSMISSIONS);
        sendSynAck(c);
    }

    private void sendAck(TcpConnection c) {
        emit(c, c.sndNxt, ACK, 0, 0, false);
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
        if (c.rcvNxt - c.lastAckSent >= 2 * config.mss()) {
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

    /**
     * The window to advertise. Receiver-side silly window avoidance (RFC 9293 §3.8.6.2.2): the right edge
     * moves only by at least min(buffer / 2, MSS), and never moves left.
     */
    private int advertiseWindow(TcpConnection c) {
        int edge = c.rcvNxt + Math.min(c.receiveBuffer.free(), MAX_UNSCALED_WINDOW);
        int step = Math.min(c.receiveBuffer.capacity() / 2, config.mss());
        if (lessThan(c.rcvAdv, c.rcvNxt)) {
            c.rcvAdv = c.rcvNxt;
        }
        if (edge - c.rcvAdv >= step || (greaterThan(edge, c.rcvAdv) && c.rcvAdv == c.rcvNxt && edge - c.rcvNxt >= step)) {
            c.rcvAdv = edge;
        }
        return c.rcvAdv - c.rcvNxt;
    }

    /** True when the application freed enough buffer that the peer should hear of the bigger window. */
    private boolean windowUpdateDue(TcpConnection c) {
        if (!c.state.acceptsData()) {
            return false;
        }
        int edge = c.rcvNxt + Math.min(c.receiveBuffer.free(), MAX_UNSCALED_WINDOW);
        int advertised = c.rcvAdv - c.rcvNxt;
        return edge - c.rcvAdv >= 2 * config.mss() || (advertised < config.mss() && edge - c.rcvAdv >= config.mss());
    }

    /** Writes one segment of {@code c} into a frame and sends it. */
    private void emit(TcpConnection c, int seq, int flags, int dataOffset, int dataLength, boolean synOptions) {
        ByteBuffer frame = out.beginIpv4(c.localMac, c.remoteMac);
        int at = PacketWriter.TRANSPORT_OFFSET;
        int optionsLength = synOptions ? TcpOptions.writeMss(frame, at + TcpSegment.MIN_HEADER_LENGTH, config.mss()) : 0;
        int headerLength = TcpSegment.MIN_HEADER_LENGTH + optionsLength;
        int window = (flags & SYN) != 0 ? Math.min(c.receiveBuffer.free(), MAX_UNSCALED_WINDOW) : advertiseWindow(c);
        if ((flags & SYN) != 0) {
            c.rcvAdv = c.rcvNxt + window;
        }
        outgoing.wrap(frame, at, headerLength + dataLength)
                .writeHeader(c.localPort, c.remotePort, seq, c.rcvNxt, headerLength, flags, window);
        if (dataLength > 0) {
            c.sendBuffer.copyTo(dataOffset, frame, at + headerLength, dataLength);
            counters.add(Counter.TCP_DATA_BYTES_OUT, dataLength);
        }
        outgoing.writeChecksum(c.localAddress, c.remoteAddress);
        out.commitIpv4(c.localAddress, c.remoteAddress, Ipv4Packet.PROTOCOL_TCP, headerLength + dataLength);
        counters.increment(Counter.TCP_SEGMENTS_OUT);
        if ((flags & ACK) != 0) {
            c.ackNow = false;
            c.ackPending = false;
            c.lastAckSent = c.rcvNxt;
        }
    }

    /** A reset for a segment that has no connection, built from the segment's own addresses. */
    private void sendReset(long localMac, long remoteMac, int localAddress, int remoteAddress, int seq, int ack, int flags) {
        ByteBuffer frame = out.beginIpv4(localMac, remoteMac);
        outgoing.wrap(frame, PacketWriter.TRANSPORT_OFFSET, TcpSegment.MIN_HEADER_LENGTH)
                .writeHeader(segment.destinationPort(), segment.sourcePort(), seq, ack, TcpSegment.MIN_HEADER_LENGTH, flags, 0)
                .writeChecksum(localAddress, remoteAddress);
        out.commitIpv4(localAddress, remoteAddress, Ipv4Packet.PROTOCOL_TCP, TcpSegment.MIN_HEADER_LENGTH);
        counters.increment(Counter.TCP_SEGMENTS_OUT);
        counters.increment(Counter.TCP_RESETS_SENT);
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
        } else if (greaterThan(c.sndMax, c.sndUna) || zeroWindowStall(c)) {
            if (c.retransmitDeadline == 0) {
                c.retransmitDeadline = now + c.rto.rto();
            }
            deadline = c.retransmitDeadline;
        } else {
            c.retransmitDeadline = 0;
            timers.cancel(c.id);
            return;
        }
        if (timers.deadline(c.id) != deadline) {
            timers.schedule(c.id, deadline);
        }
    }

    /** Data waits, nothing is in flight, and the peer's window is closed: time to probe it (RFC 9293 §3.8.6.1). */
    private static boolean zeroWindowStall(TcpConnection c) {
        return c.sndWnd == 0 && c.sndMax == c.sndUna && c.sendBuffer.size() > 0 && c.state != TcpState.SYN_RECEIVED;
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
        if (c.retransmitDeadline != 0 && now - c.retransmitDeadline >= 0) {
            c.retransmitDeadline = 0;
            retransmitTimeout(c);
        }
        afterEvent(c);
    }

    /** RFC 6298 §5.4–5.7: retransmit the earliest unacknowledged segment and back off. */
    private void retransmitTimeout(TcpConnection c) {
        if (c.state == TcpState.SYN_RECEIVED) {
            if (++c.retries > config.synAckRetries()) {
                counters.increment(Counter.TCP_HANDSHAKE_TIMEOUTS);
                release(c);
                return;
            }
            c.rto.backOff();
            retransmitSynAck(c);
            return;
        }
        if (zeroWindowStall(c)) {
            // Zero-window probe: one byte past the closed window; the answer carries the window [MUST-36].
            c.rto.backOff();
            sendData(c, 0, 1, ACK);
            return;
        }
        if (++c.retries > config.dataRetries()) {
            counters.increment(Counter.TCP_CONNECTIONS_ABORTED);
            release(c);
            return;
        }
        c.rto.backOff();
        int inFlight = c.sndMax - c.sndUna;
        c.ssthresh = Math.max(inFlight / 2, 2 * c.sendMss); // RFC 5681 §3.1 equation (4)
        c.cwnd = c.sendMss;
        c.bytesAckedInAvoidance = 0;
        c.rttTiming = false;
        c.sndNxt = c.sndUna; // go back: everything from the first unacknowledged octet is sent again
    }
}
