package tapnet.tcp;

import static tapnet.tcp.SequenceNumbers.greaterThan;
import static tapnet.tcp.SequenceNumbers.lessThan;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.FIN;
import static tapnet.wire.TcpSegment.PSH;
import static tapnet.wire.TcpSegment.RST;
import static tapnet.wire.TcpSegment.SYN;

import tapnet.observe.Counter;
import tapnet.observe.Counters;

/**
 * What a connection sends, and when. {@link #afterEvent} ends every input or timer event of a connection:
 * an abort's RST, or data and FIN as the peer's window and the congestion window allow (RFC 9293 §3.8.6,
 * RFC 5681) with sender-side silly window avoidance and Nagle (§3.8.6.2.1, §3.7.4), then the ACK owed,
 * then the connection's timer. Also the handshake's SYN and SYN-ACK, retransmissions, and the round-trip
 * timing of one segment at a time (RFC 6298, Karn's rule).
 */
final class TcpOutput {
    private final SegmentWriter writer;
    private final Counters counters;
    private final FaultInjection faults;
    private final TimerDeadlines timer;
    private final ConnectionLifecycle lifecycle;

    TcpOutput(SegmentWriter writer, Counters counters, FaultInjection faults, TimerDeadlines timer,
              ConnectionLifecycle lifecycle) {
        this.writer = writer;
        this.counters = counters;
        this.faults = faults;
        this.timer = timer;
        this.lifecycle = lifecycle;
    }

    /** After any input or timer event for {@code c}: send what is due and set its timer. */
    void afterEvent(TcpConnection c, long now) {
        if (c.state == TcpState.CLOSED) {
            return;
        }
        faults.resetWhenSendLimitReached(c); // RESET_AFTER_BYTES_SENT: N bytes arrived, the rest never will
        if (c.abortRequested) {
            abort(c, now);
            return;
        }
        sendQueued(c, now);
        if (!c.ackNow && writer.windowUpdateDue(c)) {
            c.ackNow = true;
        }
        if (c.ackNow && c.state != TcpState.SYN_SENT) {
            sendAck(c, now);
        }
        timer.update(c, now);
    }

    /** The application aborted: RST at SND.NXT (RFC 9293 §3.10.5), and the connection is gone. */
    private void abort(TcpConnection c, long now) {
        if (c.state != TcpState.SYN_SENT || c.remoteMac != TcpConnection.MAC_UNKNOWN) {
            writer.send(c, c.sndNxt, RST | ACK, 0, 0, now);
        }
        counters.increment(Counter.TCP_CONNECTIONS_ABORTED);
        c.closeReason = CloseReason.ABORTED;
        if (c.service != null) {
            c.service.reset++;
        }
        lifecycle.release(c);
    }

    /**
     * Sends data and FIN as the peer's window and the congestion window allow (RFC 9293 §3.8.6, RFC 5681),
     * avoiding silly windows and, unless turned off, small segments while data is unacknowledged (Nagle).
     */
    private void sendQueued(TcpConnection c, long now) {
        TcpState state = c.state;
        if (state != TcpState.ESTABLISHED && state != TcpState.CLOSE_WAIT && state != TcpState.FIN_WAIT_1
                && state != TcpState.CLOSING && state != TcpState.LAST_ACK) {
            return;
        }
        int maxSegment = SegmentWriter.maxPayload(c);
        while (true) {
            int queued = c.sendBuffer.size();
            int inFlight = c.sndNxt - c.sndUna;
            int available = faults.sendable(c, queued - inFlight); // less what RESET_AFTER_BYTES_SENT holds back
            int usable = Math.min(c.sndWnd, c.cwnd + CongestionControl.limitedTransmit(c, maxSegment)) - inFlight;
            int length = Math.min(Math.min(available, usable), maxSegment);
            boolean finHeld = faults.finHeld(c, now); // SLOW_CLOSE: the FIN waits
            boolean finDue = c.closeRequested && !finHeld && !isFinAcked(c) && c.sndNxt == c.sndUna + queued
                    && available == queued - inFlight; // not while a RESET_AFTER_BYTES_SENT limit holds data back
            if (length > 0 && worthSending(c, length, available, inFlight, maxSegment)) {
                boolean last = length == available;
                int flags = ACK | (last ? PSH : 0) | (last && c.closeRequested && !finHeld ? FIN : 0);
                if (sendData(c, inFlight, length, flags, now) == 0) {
                    return;
                }
            } else if (finDue && length <= 0) {
                sendData(c, inFlight, 0, ACK | FIN, now);
            } else {
                return;
            }
        }
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

    static boolean isFinAcked(TcpConnection c) {
        return c.finSent && greaterThan(c.sndUna, c.finSequence);
    }

    /**
     * Sends up to {@code length} bytes from {@code offset} bytes into the send buffer, at SND.NXT (and FIN if
     * flagged); returns how many sequence numbers went.
     */
    int sendData(TcpConnection c, int offset, int length, int flags, long now) {
        int seq = c.sndNxt;
        boolean retransmission = lessThan(seq, c.sndMax);
        int sent = writer.send(c, seq, flags, offset, length, now);
        if (sent < length) {
            flags &= ~FIN; // the frame had less room than asked: the FIN waits for the rest
        }
        if (retransmission) {
            counters.increment(Counter.TCP_RETRANSMISSIONS);
        } else if (!c.rttTiming && sent > 0) {
            startRttTiming(c, seq + sent, now);
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

    /** Sends the earliest unacknowledged segment again, without moving SND.NXT (fast retransmit, NewReno). */
    void retransmitFirst(TcpConnection c, long now) {
        int unacked = c.sendBuffer.size();
        int length = Math.min(unacked, SegmentWriter.maxPayload(c));
        boolean finToo = c.finSent && !isFinAcked(c) && length == unacked;
        if (length == 0 && !finToo) {
            return;
        }
        writer.send(c, c.sndUna, ACK | (finToo ? FIN : 0), 0, length, now);
        counters.increment(Counter.TCP_RETRANSMISSIONS);
    }

    /** An active open's SYN, first or again; the first one times the round trip. */
    void sendSyn(TcpConnection c, long now) {
        c.sndNxt = c.iss;
        writer.send(c, c.iss, SYN, 0, 0, now);
        c.sndNxt = c.iss + 1;
        c.sndMax = c.iss + 1;
        if (!c.handshakeRetransmitted) {
            startRttTiming(c, c.iss + 1, now);
        }
    }

    /** A passive open's SYN-ACK (unless a SYN_ACK_DROP fault loses it on the way). */
    void sendSynAck(TcpConnection c, long now) {
        if (!faults.synAckLost(c)) {
            writer.send(c, c.iss, SYN | ACK, 0, 0, now);
        }
        c.sndNxt = c.iss + 1;
        c.sndMax = c.iss + 1;
    }

    void retransmitSynAck(TcpConnection c, long now) {
        c.rttTiming = false; // Karn: the handshake's round trip is now ambiguous
        c.handshakeRetransmitted = true;
        counters.increment(Counter.TCP_RETRANSMISSIONS);
        sendSynAck(c, now);
    }

    void sendAck(TcpConnection c, long now) {
        writer.send(c, c.sndNxt, ACK, 0, 0, now);
    }

    /** Times the round trip of the segment ending before {@code sequence} (one at a time, RFC 6298 §3). */
    static void startRttTiming(TcpConnection c, int sequence, long now) {
        c.rttTiming = true;
        c.rttSequence = sequence;
        c.rttStartNanos = now;
    }
}
