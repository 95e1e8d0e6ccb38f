package tapnet.tcp;

import java.nio.ByteBuffer;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;
import tapnet.time.TimerWheel;

/**
 * Faults injected on purpose, as a layer beside the connections rather than part of their control blocks:
 * for each connection slot, the faults its connection drew from its listener's {@link ConnectionFaults}
 * when its SYN arrived and what is left of their counts; and one hook per fault, where TCP asks whether
 * the fault takes this step (a SYN-ACK lost, the reader stalled, the FIN held back...). A connection
 * without faults meets a cleared slot, whose checks are a field read each. The per-SYN faults (SYN_DROP,
 * REFUSE, UNREACHABLE) make no connection, so they are the listener's: see {@link PassiveOpen}.
 * Allocated once, for every slot; engine thread only.
 */
final class FaultInjection {
    private final Counters counters;
    private final Drawn[] drawn;

    /** One connection's faults: a bit set of the kinds it drew, and their parameters and what is left of them. */
    private static final class Drawn {
        int kinds;
        int synAcksToDrop;
        int acksToDrop;
        long resetAfterBytes;
        /** RESET_AFTER_BYTES_SENT: how many bytes of its stream the host sends before it resets (0: no limit). */
        long resetAfterSentBytes;
        int windowCap;
        /** SYN_ACK_DELAY: the first SYN-ACK waits for the timer. */
        boolean synAckHeld;
        /** RESET_AFTER_TIME: when the host resets it (0: never; negative: that long after the handshake). */
        long resetAt;
        /** SLOW_CLOSE: how long the FIN waits after close(), and until when (0: not yet closed). */
        long slowCloseNanos;
        long finHeldUntil;
        /** CORRUPT_AT: the offset in the host's outgoing stream of the byte to flip (-1: none). */
        long corruptAt = -1;
        /** The service whose rules these are: it counts the faults that take effect. */
        ServiceCounters service;

        void clear() {
            kinds = synAcksToDrop = acksToDrop = windowCap = 0;
            resetAfterBytes = resetAfterSentBytes = 0;
            synAckHeld = false;
            resetAt = slowCloseNanos = finHeldUntil = 0;
            corruptAt = -1;
            service = null;
        }
    }

    FaultInjection(int connections, Counters counters) {
        this.counters = counters;
        this.drawn = new Drawn[connections];
        for (int id = 0; id < connections; id++) {
            drawn[id] = new Drawn();
        }
    }

    /** The connection in this slot ended: the next one starts without faults. */
    void clear(TcpConnection c) {
        drawn[c.id].clear();
    }

    /** A passive open draws its faults from its listener's rules; RESET_AFTER_TIME is armed at the handshake. */
    void draw(TcpConnection c, ConnectionFaults rules, ServiceCounters service) {
        Drawn f = drawn[c.id];
        f.clear();
        f.service = service;
        int mask = rules.decideForConnection();
        f.kinds = mask;
        if (ConnectionFaults.has(mask, ConnectionFaults.Kind.SYN_ACK_DROP)) {
            f.synAcksToDrop = (int) rules.parameter(ConnectionFaults.Kind.SYN_ACK_DROP, 1);
        }
        if (ConnectionFaults.has(mask, ConnectionFaults.Kind.ACK_DROP)) {
            f.acksToDrop = (int) rules.parameter(ConnectionFaults.Kind.ACK_DROP, 1);
        }
        if (ConnectionFaults.has(mask, ConnectionFaults.Kind.RESET_AFTER_BYTES)) {
            f.resetAfterBytes = rules.parameter(ConnectionFaults.Kind.RESET_AFTER_BYTES, 1);
        }
        if (ConnectionFaults.has(mask, ConnectionFaults.Kind.WINDOW)) {
            f.windowCap = (int) rules.parameter(ConnectionFaults.Kind.WINDOW, 1);
        }
        if (ConnectionFaults.has(mask, ConnectionFaults.Kind.RESET_AFTER_BYTES_SENT)) {
            f.resetAfterSentBytes = rules.parameter(ConnectionFaults.Kind.RESET_AFTER_BYTES_SENT, 1);
        }
        f.synAckHeld = ConnectionFaults.has(mask, ConnectionFaults.Kind.SYN_ACK_DELAY);
        if (ConnectionFaults.has(mask, ConnectionFaults.Kind.SLOW_CLOSE)) {
            f.slowCloseNanos = rules.parameter(ConnectionFaults.Kind.SLOW_CLOSE, 1);
        }
        if (ConnectionFaults.has(mask, ConnectionFaults.Kind.CORRUPT_AT)) {
            f.corruptAt = rules.parameter(ConnectionFaults.Kind.CORRUPT_AT, 0);
        }
        if (ConnectionFaults.has(mask, ConnectionFaults.Kind.RESET_AFTER_TIME)) {
            f.resetAt = -rules.parameter(ConnectionFaults.Kind.RESET_AFTER_TIME, 1); // armed when established
        }
    }

    // --- the handshake ---

    /** SYN_ACK_DROP: this SYN-ACK is "sent" and lost on the way; the timer sends it again. */
    boolean synAckLost(TcpConnection c) {
        Drawn f = drawn[c.id];
        if (f.synAcksToDrop > 0) {
            f.synAcksToDrop--;
            applied(f, ConnectionFaults.Kind.SYN_ACK_DROP);
            return true;
        }
        return false;
    }

    /** SYN_ACK_DELAY: the first SYN-ACK still waits for the timer. */
    boolean synAckHeld(TcpConnection c) {
        return drawn[c.id].synAckHeld;
    }

    /** SYN_ACK_DELAY: how long the first SYN-ACK waits, by the listener's rules. */
    static long synAckDelay(ConnectionFaults rules) {
        return rules.parameter(ConnectionFaults.Kind.SYN_ACK_DELAY, 0);
    }

    /** SYN_ACK_DELAY: the timer fired; true when it was for the held SYN-ACK, which goes now. */
    boolean releaseSynAck(TcpConnection c) {
        Drawn f = drawn[c.id];
        if (f.synAckHeld) {
            f.synAckHeld = false;
            applied(f, ConnectionFaults.Kind.SYN_ACK_DELAY);
            return true;
        }
        return false;
    }

    /** ACK_DROP: the handshake's last segment is lost (counted as dropped). */
    boolean handshakeAckLost(TcpConnection c) {
        Drawn f = drawn[c.id];
        if (f.acksToDrop > 0) {
            f.acksToDrop--;
            applied(f, ConnectionFaults.Kind.ACK_DROP);
            counters.drop(DropReason.TCP_FAULT);
            return true;
        }
        return false;
    }

    /** HALF_OPEN: at the handshake's end the host forgets the connection without a word. */
    boolean forgetsAtHandshake(TcpConnection c) {
        if (ConnectionFaults.has(drawn[c.id].kinds, ConnectionFaults.Kind.HALF_OPEN)) {
            applied(drawn[c.id], ConnectionFaults.Kind.HALF_OPEN);
            return true;
        }
        return false;
    }

    /** RESET_AFTER_TIME: the connection opened; its reset is counted from now. */
    void armAtOpen(TcpConnection c, long now) {
        Drawn f = drawn[c.id];
        if (f.resetAt < 0) {
            f.resetAt = now - f.resetAt;
        }
    }

    // --- receiving ---

    /**
     * RESET_AFTER_BYTES: of {@code fresh} new bytes, how many the application may still get; when the limit
     * is reached, the host resets the connection (it asks for an abort).
     */
    int receivable(TcpConnection c, int fresh) {
        Drawn f = drawn[c.id];
        if (f.resetAfterBytes > 0) {
            long left = f.resetAfterBytes - (c.rcvNxt - c.irs - 1);
            if (left <= fresh) {
                c.abortRequested = true;
                applied(f, ConnectionFaults.Kind.RESET_AFTER_BYTES);
                return (int) Math.max(0, left);
            }
        }
        return fresh;
    }

    /** STALL: the application never hears of received bytes, so the window fills and closes. */
    boolean readerStalled(TcpConnection c) {
        return ConnectionFaults.has(drawn[c.id].kinds, ConnectionFaults.Kind.STALL);
    }

    /** WINDOW: the most the receive window may hold (0: no cap). */
    int windowCap(TcpConnection c) {
        return drawn[c.id].windowCap;
    }

    // --- sending ---

    /** RESET_AFTER_BYTES_SENT: of {@code available} bytes queued, how many may still leave. */
    int sendable(TcpConnection c, int available) {
        long limit = drawn[c.id].resetAfterSentBytes;
        if (limit > 0) {
            return (int) Math.min(available, Math.max(0, limit - (c.sndNxt - c.iss - 1)));
        }
        return available;
    }

    /**
     * RESET_AFTER_BYTES_SENT: the limit's bytes are all acknowledged (they reached the peer) and the
     * application has more to send, which will never leave: the host resets (it asks for an abort).
     */
    void resetWhenSendLimitReached(TcpConnection c) {
        long limit = drawn[c.id].resetAfterSentBytes;
        if (limit > 0) {
            boolean sending = c.state == TcpState.ESTABLISHED || c.state == TcpState.CLOSE_WAIT || c.state == TcpState.FIN_WAIT_1;
            if (sending && c.sndUna - c.iss - 1 >= limit && c.sendBuffer.size() > 0) {
                c.abortRequested = true;
                applied(drawn[c.id], ConnectionFaults.Kind.RESET_AFTER_BYTES_SENT);
            }
        }
    }

    /** SLOW_CLOSE: whether the FIN must still wait; its wait starts when the application has closed. */
    boolean finHeld(TcpConnection c, long now) {
        Drawn f = drawn[c.id];
        if (c.closeRequested && f.slowCloseNanos > 0 && f.finHeldUntil == 0) {
            f.finHeldUntil = now + f.slowCloseNanos;
        }
        return f.finHeldUntil != 0 && now - f.finHeldUntil < 0;
    }

    /**
     * CORRUPT_AT: when this segment carries the stream byte at the fault's offset, flip it, before the
     * checksum is computed, so that TCP delivers it as good (every retransmission flips it the same way).
     */
    void corrupt(TcpConnection c, int seq, int length, ByteBuffer frame, int payloadAt) {
        long corruptAt = drawn[c.id].corruptAt;
        if (corruptAt < 0) {
            return;
        }
        long first = (seq - c.iss - 1) & 0xffff_ffffL; // stream offset of the segment's first byte
        long index = corruptAt - first;
        if (index >= 0 && index < length) {
            frame.put(payloadAt + (int) index, (byte) ~frame.get(payloadAt + (int) index));
            applied(drawn[c.id], ConnectionFaults.Kind.CORRUPT_AT);
        }
    }

    // --- the timer ---

    /** The earliest moment a fault acts by itself (RESET_AFTER_TIME, a held FIN's release), or NONE. */
    long deadline(TcpConnection c, long now) {
        Drawn f = drawn[c.id];
        long reset = f.resetAt > 0 ? f.resetAt : TimerWheel.NONE;
        long fin = f.finHeldUntil != 0 && now - f.finHeldUntil < 0 ? f.finHeldUntil : TimerWheel.NONE;
        return TimerDeadlines.earliest(reset, fin);
    }

    /** RESET_AFTER_TIME: true when its moment has come (once); the host then resets the connection. */
    boolean resetDue(TcpConnection c, long now) {
        Drawn f = drawn[c.id];
        if (f.resetAt > 0 && now - f.resetAt >= 0) {
            f.resetAt = 0;
            applied(f, ConnectionFaults.Kind.RESET_AFTER_TIME);
            return true;
        }
        return false;
    }

    /** A fault took effect: counted for the engine and for the service whose rules drew it. */
    private void applied(Drawn f, ConnectionFaults.Kind kind) {
        counters.increment(Counter.TCP_FAULTS_INJECTED);
        f.service.fault(kind);
    }
}
