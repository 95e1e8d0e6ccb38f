package tapnet.tcp;

import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.FIN;

import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.time.TimerWheel;

/**
 * What happens when a connection's timer fires ({@link TimerDeadlines} sets it): TIME-WAIT ends; a fault
 * acts (RESET_AFTER_TIME, a held SYN-ACK); a service wakes; or the retransmission timeout of RFC 6298 §5.4–5.7 sends the
 * SYN, the SYN-ACK, a window probe (RFC 9293 §3.8.6.1) or the earliest unacknowledged data again, backs
 * off, and gives up after the configured retries. Keep-alives are off (RFC 9293 [MUST-25] default), and
 * delayed ACKs wait for the end of a batch instead of a timer ({@link DelayedAcks}).
 */
final class TcpTimers implements TimerWheel.Expiry {
    private final TcpConfig config;
    private final ConnectionTable table;
    private final Counters counters;
    private final FaultInjection faults;
    private final CongestionControl congestion;
    private final TcpOutput output;
    private final TimerDeadlines timer;
    private final ConnectionLifecycle lifecycle;
    private final TcpStack.NetworkLayer network;

    TcpTimers(TcpConfig config, ConnectionTable table, Counters counters, FaultInjection faults,
              CongestionControl congestion, TcpOutput output, TimerDeadlines timer, ConnectionLifecycle lifecycle,
              TcpStack.NetworkLayer network) {
        this.config = config;
        this.table = table;
        this.counters = counters;
        this.faults = faults;
        this.congestion = congestion;
        this.output = output;
        this.timer = timer;
        this.lifecycle = lifecycle;
        this.network = network;
    }

    @Override
    public void onExpiry(int id, long now) {
        TcpConnection c = table.get(id);
        if (c.state == TcpState.TIME_WAIT) {
            if (now - c.timeWaitDeadline >= 0) {
                lifecycle.release(c);
            } else {
                timer.update(c, now);
            }
            return;
        }
        if (faults.resetDue(c, now)) {
            c.abortRequested = true; // RESET_AFTER_TIME fault
        } else if (c.retransmitDeadline != 0 && now - c.retransmitDeadline >= 0) {
            c.retransmitDeadline = 0;
            retransmitTimeout(c, now);
        }
        if (c.wakeAt != 0 && now - c.wakeAt >= 0 && !c.abortRequested && c.state != TcpState.CLOSED) {
            c.wakeAt = 0;
            if (c.opened) {
                c.handler.onWake(c); // a service's own timer (TcpConnection.wakeAfter)
            }
        }
        output.afterEvent(c, now);
    }

    /** RFC 6298 §5.4–5.7: retransmit the earliest unacknowledged segment and back off. */
    private void retransmitTimeout(TcpConnection c, long now) {
        if (faults.releaseSynAck(c)) {
            // SYN_ACK_DELAY fault: the first SYN-ACK goes now
            output.sendSynAck(c, now);
            TcpOutput.startRttTiming(c, c.iss + 1, now);
            return;
        }
        counters.increment(Counter.TCP_TIMEOUTS);
        if (c.state == TcpState.SYN_SENT) {
            if (++c.retries > config.synRetries()) {
                counters.increment(Counter.TCP_HANDSHAKE_TIMEOUTS);
                c.closeReason = CloseReason.TIMED_OUT;
                lifecycle.release(c);
                return;
            }
            c.rto.backOff();
            c.rttTiming = false;
            c.handshakeRetransmitted = true;
            if (c.remoteMac != TcpConnection.MAC_UNKNOWN) {
                counters.increment(Counter.TCP_RETRANSMISSIONS);
                output.sendSyn(c, now); // [MUST-22]
            } else {
                network.resolve(c.localAddress, c.localMac, c.remoteAddress); // still no ARP answer: ask again
            }
            return;
        }
        if (c.state == TcpState.SYN_RECEIVED) {
            if (++c.retries > config.synAckRetries()) {
                counters.increment(Counter.TCP_HANDSHAKE_TIMEOUTS);
                c.closeReason = CloseReason.TIMED_OUT;
                lifecycle.release(c);
                return;
            }
            c.rto.backOff();
            output.retransmitSynAck(c, now);
            return;
        }
        if (TimerDeadlines.stalled(c)) {
            // Window probe, or the silly-window override: send what the window takes, at least one byte
            // (one byte past a closed window; the answer carries the window [MUST-36]).
            c.rto.backOff();
            int length = Math.max(1, Math.min(Math.min(c.sendBuffer.size(), c.sndWnd), SegmentWriter.maxPayload(c)));
            output.sendData(c, 0, length, ACK, now);
            return;
        }
        if (++c.retries > config.dataRetries()) {
            counters.increment(Counter.TCP_CONNECTIONS_ABORTED);
            c.closeReason = CloseReason.TIMED_OUT;
            lifecycle.release(c);
            return;
        }
        c.rto.backOff();
        congestion.timeout(c);
        c.rttTiming = false;
        // Go back: everything from the first unacknowledged octet is sent again, the first segment now
        // whatever the window (it may be a probe of a window that closed), the rest as cwnd allows.
        c.sndNxt = c.sndUna;
        int queued = c.sendBuffer.size();
        int length = Math.min(queued, SegmentWriter.maxPayload(c));
        boolean withFin = c.finSent && length == queued;
        if (length > 0 || withFin) {
            output.sendData(c, 0, length, ACK | (withFin ? FIN : 0), now);
        }
    }
}
