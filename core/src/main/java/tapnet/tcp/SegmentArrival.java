package tapnet.tcp;

import static tapnet.tcp.SequenceNumbers.greaterOrEqual;
import static tapnet.tcp.SequenceNumbers.greaterThan;
import static tapnet.tcp.SequenceNumbers.inWindow;
import static tapnet.tcp.SequenceNumbers.lessOrEqual;
import static tapnet.tcp.SequenceNumbers.lessThan;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.FIN;
import static tapnet.wire.TcpSegment.RST;
import static tapnet.wire.TcpSegment.SYN;

import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;
import tapnet.wire.TcpOptions;
import tapnet.wire.TcpSegment;

/**
 * A segment for a connection in SYN-RECEIVED or a synchronized state, in the order of RFC 9293 §3.10.7.4:
 * is it acceptable (with PAWS, RFC 7323 §5.3), RST (RFC 5961 §3), SYN (RFC 5961 §4), ACK (the send side:
 * what is acknowledged, the peer's window, congestion control), text (in order, or kept aside past a gap
 * and reported by SACK), FIN. It changes the connection's state and owes ACKs; what goes out is sent when
 * the event ends ({@link TcpOutput#afterEvent}), except the retransmissions congestion control asks for.
 * Also whether a SYN reopens a connection in TIME-WAIT. One idea, the rule of one section, hence its size.
 */
final class SegmentArrival {
    /** How far behind RCV.NXT a segment may start and still count as a duplicate rather than garbage. */
    private static final int MAX_DUPLICATE_DISTANCE = 1 << 30;

    private final Counters counters;
    private final SegmentWriter writer;
    private final TcpOutput output;
    private final CongestionControl congestion;
    private final ConnectionLifecycle lifecycle;
    private final RateLimitedAcks acks;
    private final DelayedAcks delayedAcks;
    private final FaultInjection faults;

    SegmentArrival(Counters counters, SegmentWriter writer, TcpOutput output, CongestionControl congestion,
                   ConnectionLifecycle lifecycle, RateLimitedAcks acks, DelayedAcks delayedAcks, FaultInjection faults) {
        this.counters = counters;
        this.writer = writer;
        this.output = output;
        this.congestion = congestion;
        this.lifecycle = lifecycle;
        this.acks = acks;
        this.delayedAcks = delayedAcks;
        this.faults = faults;
    }

    /**
     * Whether a segment for a connection in TIME-WAIT is a SYN that may open a new incarnation of it
     * (RFC 1122 §4.2.2.13, RFC 6191): its sequence number lies past the old one's, or its timestamp is
     * newer, and PAWS does not reject it; Linux's tcp_timewait_state_process decides the same. A client
     * that reuses its port at once (it closed second, so it holds no TIME-WAIT) then connects at once,
     * instead of meeting an ACK, answering it with RST and trying again a second later.
     */
    static boolean reopensTimeWait(TcpConnection c, IncomingSegment in) {
        TcpSegment segment = in.segment;
        TcpOptions options = in.options;
        if ((segment.flags() & (SYN | ACK | RST)) != SYN) {
            return false;
        }
        boolean stamped = c.timestamps && options.hasTimestamps();
        if (stamped && lessThan(options.timestampValue(), c.tsRecent)) {
            return false; // RFC 7323 §5.3: an old duplicate
        }
        return greaterThan(segment.sequenceNumber(), c.rcvNxt) || (stamped && greaterThan(options.timestampValue(), c.tsRecent));
    }

    /** RFC 9293 §3.10.7.4 (SYN-RECEIVED and the synchronized states). */
    void arrives(TcpConnection c, IncomingSegment in, long now) {
        TcpSegment segment = in.segment;
        TcpOptions options = in.options;
        int flags = segment.flags();
        int seq = segment.sequenceNumber();

        if (c.state == TcpState.SYN_RECEIVED && (flags & (SYN | ACK | RST)) == SYN && seq == c.irs) {
            // The peer did not get our SYN-ACK and sent its SYN again: answer it again at once (unless a
            // SYN_ACK_DELAY fault still holds the first one back).
            if (!faults.synAckHeld(c)) {
                output.retransmitSynAck(c, now);
            }
            return;
        }

        // RFC 7323 §5.3 R1, PAWS: a timestamp older than TS.Recent marks an old duplicate.
        if (c.timestamps && options.hasTimestamps() && (flags & RST) == 0
                && lessThan(options.timestampValue(), c.tsRecent) && c.state != TcpState.SYN_RECEIVED) {
            counters.increment(Counter.TCP_PAWS_REJECTED);
            counters.drop(DropReason.TCP_UNACCEPTABLE);
            acks.unacceptable(c, segment, now);
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
                lifecycle.restartTimeWait(c, now);
            }
            acks.unacceptable(c, segment, now);
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
                lifecycle.peerReset(c);
            } else {
                acks.challenge(c, now);
            }
            return;
        }

        // Fourth: SYN in a synchronized state. RFC 9293 §3.10.7.4: a passive SYN-RECEIVED goes back to LISTEN;
        // elsewhere RFC 5961 §4.2 answers with a challenge ACK.
        if ((flags & SYN) != 0) {
            if (c.state == TcpState.SYN_RECEIVED && !c.activeOpen) {
                lifecycle.release(c);
            } else {
                acks.challenge(c, now);
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
            if (faults.handshakeAckLost(c)) {
                return; // ACK_DROP fault: the handshake's last segment is lost
            }
            if (faults.forgetsAtHandshake(c)) {
                lifecycle.release(c); // HALF_OPEN fault: forgotten without a word; the next segment meets the listener
                return;
            }
            c.state = TcpState.ESTABLISHED;
            lifecycle.leaveBacklog(c);
            c.sndWnd = segment.window() << c.sndScale;
            c.maxSndWnd = Math.max(c.maxSndWnd, c.sndWnd);
            c.sndWl1 = seq;
            c.sndWl2 = ack;
            if (c.handshakeRetransmitted) {
                c.rto.restartAt(RetransmissionTimeout.AFTER_RETRANSMITTED_HANDSHAKE_NANOS); // RFC 6298 §5.7
            }
            handshakeCompleted = true;
        }
        if (greaterThan(ack, c.sndMax)) {
            acks.unacceptable(c, segment, now); // acknowledges something not yet sent: ACK, drop the segment, return
            counters.drop(DropReason.TCP_UNACCEPTABLE);
            return;
        }
        if (lessThan(ack, c.sndUna - c.maxSndWnd)) {
            acks.challenge(c, now); // RFC 5961 §5.2: too old to be a plausible duplicate; the segment is dropped
            counters.drop(DropReason.TCP_UNACCEPTABLE);
            return;
        }
        boolean spaceFreed = processAck(c, in, seq, ack, now);
        if (c.state == TcpState.CLOSED) {
            return; // LAST-ACK ended
        }
        if (handshakeCompleted) {
            lifecycle.open(c, now);
        } else if (spaceFreed && c.opened) {
            c.handler.onSendSpace(c);
        }

        // Seventh: segment text.
        boolean allTextTaken = true;
        int payload = segment.payloadLength();
        if (payload > 0) {
            if (c.state.acceptsData()) {
                allTextTaken = receiveText(c, segment, seq, payload, (flags & FIN) != 0, now);
            } else {
                allTextTaken = false; // §3.10.7.4: text after the peer's FIN is ignored
            }
        }

        // Eighth: FIN, when it is the next octet expected.
        if ((flags & FIN) != 0 && allTextTaken && seq + payload == c.rcvNxt && !c.peerFinReceived) {
            receiveFin(c, now);
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
    private boolean processAck(TcpConnection c, IncomingSegment in, int seq, int ack, long now) {
        TcpSegment segment = in.segment;
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
            if (congestion.newDataAcknowledged(c, advanced, in.options)) {
                output.retransmitFirst(c, now); // NewReno partial ACK: the next hole goes now
            }
        } else if (ack == c.sndUna && segment.payloadLength() == 0 && (segment.flags() & (SYN | FIN)) == 0
                && window == c.sndWnd && greaterThan(c.sndMax, c.sndUna)) {
            if (congestion.duplicateAck(c, now)) {
                output.retransmitFirst(c, now); // fast retransmit
            }
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
        boolean finAcked = TcpOutput.isFinAcked(c);
        switch (c.state) {
            case FIN_WAIT_1 -> {
                if (finAcked) {
                    c.state = TcpState.FIN_WAIT_2;
                }
            }
            case CLOSING -> {
                if (finAcked) {
                    lifecycle.enterTimeWait(c, now);
                }
            }
            case LAST_ACK -> {
                if (finAcked) {
                    counters.increment(Counter.TCP_CONNECTIONS_CLOSED);
                    c.closeReason = CloseReason.CLOSED;
                    lifecycle.release(c);
                }
            }
            default -> {
            }
        }
        return spaceFreed;
    }

    /**
     * Takes text into the receive buffer (RFC 9293 §3.10.7.4 seventh step): in order it becomes readable at
     * once, together with any out-of-order data it joins; past a gap it is kept aside and a duplicate ACK
     * (with SACK blocks) tells the sender what is missing. Returns whether all of it became readable.
     */
    private boolean receiveText(TcpConnection c, TcpSegment segment, int seq, int payload, boolean fin, long now) {
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
        // RESET_AFTER_BYTES fault: exactly N bytes reach the application, then the host resets.
        int fresh = faults.receivable(c, payload - skip);
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
            delayedAcks.owe(c);
            if (gapFilled) {
                c.ackNow = true; // RFC 5681 §4.2: a segment that fills a gap is acknowledged at once
            }
            if (!faults.readerStalled(c)) {
                c.handler.onReceive(c); // a STALL fault keeps the bytes from the application: the window closes
            }
        }
        if (c.finPending && c.rcvNxt == c.finPendingSequence && !c.peerFinReceived && c.state.acceptsData()) {
            c.finPending = false;
            receiveFin(c, now);
        }
        if (taken < fresh || c.abortRequested) {
            c.ackNow = true; // trimmed to the window: tell the sender where we are
            return false;
        }
        return true;
    }

    /** The peer's FIN, in order (RFC 9293 §3.10.7.4 eighth step). */
    private void receiveFin(TcpConnection c, long now) {
        c.rcvNxt++;
        c.peerFinReceived = true;
        c.ackNow = true;
        switch (c.state) {
            case ESTABLISHED -> {
                c.state = TcpState.CLOSE_WAIT;
                c.handler.onPeerClose(c);
            }
            case FIN_WAIT_1 -> {
                if (TcpOutput.isFinAcked(c)) {
                    lifecycle.enterTimeWait(c, now);
                } else {
                    c.state = TcpState.CLOSING;
                }
            }
            case FIN_WAIT_2 -> lifecycle.enterTimeWait(c, now);
            default -> {
            }
        }
    }
}
