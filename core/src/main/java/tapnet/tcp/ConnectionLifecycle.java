package tapnet.tcp;

import tapnet.observe.Counter;
import tapnet.observe.Counters;

/**
 * Where connections begin and end for their handlers: onOpen once established, onClose once when they
 * end, whatever the way (closed, reset, refused, timed out, aborted, forgotten); TIME-WAIT (RFC 9293
 * §3.6); and the release of a slot, whose timer stops, whose listener's backlog counts it no more and
 * whose faults are cleared.
 */
final class ConnectionLifecycle {
    private final ConnectionTable table;
    private final TimerDeadlines timer;
    private final FaultInjection faults;
    private final Counters counters;
    private final long timeWaitNanos;

    ConnectionLifecycle(ConnectionTable table, TimerDeadlines timer, FaultInjection faults, Counters counters,
                        long timeWaitNanos) {
        this.table = table;
        this.timer = timer;
        this.faults = faults;
        this.counters = counters;
        this.timeWaitNanos = timeWaitNanos;
    }

    /** The handshake completed: the handler hears onOpen. */
    void open(TcpConnection c, long now) {
        faults.armAtOpen(c, now); // RESET_AFTER_TIME is counted from the handshake
        c.opened = true;
        c.owesCloseNotice = true;
        counters.increment(Counter.TCP_CONNECTIONS_OPENED);
        if (c.service != null) {
            c.service.opened++;
        }
        c.handler.onOpen(c);
    }

    /** An acceptable RST arrived (RFC 9293 §3.10.7.4 second step, RFC 5961 §3.2: exactly at RCV.NXT). */
    void peerReset(TcpConnection c) {
        if (c.state == TcpState.SYN_RECEIVED && c.activeOpen) {
            counters.increment(Counter.TCP_CONNECTIONS_REFUSED);
            c.closeReason = CloseReason.REFUSED;
        } else if (c.state != TcpState.SYN_RECEIVED && c.state != TcpState.TIME_WAIT) {
            counters.increment(Counter.TCP_CONNECTIONS_RESET);
            c.closeReason = CloseReason.RESET;
            if (c.service != null) {
                c.service.reset++;
            }
        }
        release(c); // a passive SYN-RECEIVED simply goes: its listener stays in LISTEN [MUST-11]
    }

    /** Both FINs are acknowledged: the connection waits 2 MSL (here the configured time) before it goes. */
    void enterTimeWait(TcpConnection c, long now) {
        c.state = TcpState.TIME_WAIT;
        c.timeWaitDeadline = now + timeWaitNanos;
        c.retransmitDeadline = 0;
        c.closeReason = CloseReason.CLOSED;
        counters.increment(Counter.TCP_CONNECTIONS_CLOSED);
        notifyClosed(c);
    }

    /** A retransmitted FIN arrived in TIME-WAIT: 2 MSL start again (RFC 9293 §3.10.7.4 eighth step). */
    void restartTimeWait(TcpConnection c, long now) {
        c.timeWaitDeadline = now + timeWaitNanos;
    }

    /** A passive open is established: its listener's backlog no longer counts it. */
    void leaveBacklog(TcpConnection c) {
        if (c.listener != null && c.state != TcpState.SYN_RECEIVED) {
            c.listener.halfOpen--;
            c.listener = null;
        }
    }

    /** Ends the connection: the handler hears of it, its timer stops, and its slot is free again. */
    void release(TcpConnection c) {
        if (c.listener != null) {
            c.listener.halfOpen--;
            c.listener = null;
        }
        notifyClosed(c);
        timer.cancel(c);
        table.release(c); // state becomes CLOSED
        faults.clear(c);
    }

    /**
     * Forgets every connection of the host at {@code localAddress} without a segment (a host that crashed);
     * their handlers hear onClose, reason ABORTED. Returns how many were forgotten.
     */
    int forget(int localAddress) {
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

    private void notifyClosed(TcpConnection c) {
        if (c.owesCloseNotice) {
            c.owesCloseNotice = false;
            c.opened = false;
            c.handler.onClose(c);
        }
    }
}
