package tapnet.tcp;

import static tapnet.tcp.SequenceNumbers.greaterThan;

import tapnet.time.TimerWheel;

/**
 * When each connection's one timer in the wheel fires: set after every event to the earliest of what the
 * connection waits for. That is the end of TIME-WAIT; or the retransmission timeout (RFC 6298) while
 * anything is unacknowledged, a handshake is under way or data is stalled behind a window (the probe of
 * RFC 9293 §3.8.6.1, the silly-window override of §3.8.6.2.1); the moment a fault acts by itself; and the wake a service asked for.
 * What happens when it fires is {@link TcpTimers}'.
 */
final class TimerDeadlines {
    private final TimerWheel wheel;
    private final FaultInjection faults;

    TimerDeadlines(TimerWheel wheel, FaultInjection faults) {
        this.wheel = wheel;
        this.faults = faults;
    }

    /** Sets {@code c}'s timer for its state now; starts the retransmission timer if it must run and does not. */
    void update(TcpConnection c, long now) {
        long deadline;
        if (c.state == TcpState.TIME_WAIT) {
            deadline = c.timeWaitDeadline;
        } else if (greaterThan(c.sndMax, c.sndUna) || stalled(c) || c.state == TcpState.SYN_SENT || faults.synAckHeld(c)) {
            if (c.retransmitDeadline == 0) {
                c.retransmitDeadline = now + c.rto.rto();
            }
            deadline = c.retransmitDeadline;
        } else {
            c.retransmitDeadline = 0;
            deadline = TimerWheel.NONE;
        }
        if (c.state != TcpState.TIME_WAIT) {
            deadline = earliest(deadline, faults.deadline(c, now));
            if (c.wakeRequestNanos != 0) {
                c.wakeAt = now + c.wakeRequestNanos;
                c.wakeRequestNanos = 0;
            }
            if (c.wakeAt != 0) {
                deadline = earliest(deadline, c.wakeAt);
            }
        }
        if (deadline == TimerWheel.NONE) {
            wheel.cancel(c.id);
        } else if (wheel.deadline(c.id) != deadline) {
            wheel.schedule(c.id, deadline);
        }
    }

    /** The connection ended: its timer will not fire. */
    void cancel(TcpConnection c) {
        wheel.cancel(c.id);
    }

    /**
     * Data waits and nothing is in flight, so no ACK will come to trigger it: the peer's window is closed, or
     * too small to be worth a segment. The timer then probes the window (RFC 9293 §3.8.6.1) or overrides
     * silly window avoidance (§3.8.6.2.1).
     */
    static boolean stalled(TcpConnection c) {
        return c.sndMax == c.sndUna && c.sendBuffer.size() > 0 && c.state != TcpState.SYN_RECEIVED
                && c.state != TcpState.SYN_SENT;
    }

    /** The earlier of two deadlines, either of which may be {@link TimerWheel#NONE}. */
    static long earliest(long a, long b) {
        if (a == TimerWheel.NONE) {
            return b;
        }
        return b == TimerWheel.NONE ? a : Math.min(a, b);
    }
}
