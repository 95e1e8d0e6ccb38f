package tapnet.tcp;

import static tapnet.tcp.SequenceNumbers.greaterOrEqual;
import static tapnet.tcp.SequenceNumbers.greaterThan;
import static tapnet.tcp.SequenceNumbers.lessThan;

import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.wire.TcpOptions;

/**
 * Congestion control (RFC 5681, bytes counted as RFC 3465 does): slow start and congestion avoidance,
 * fast retransmit on duplicate ACKs with RFC 3042's limited transmit, NewReno recovery (RFC 6582), the
 * window after a timeout, and the undo of a fast retransmit that reordering caused (Eifel detection,
 * RFC 3522, and response, RFC 4015). It keeps the connection's window variables and decides; it sends
 * nothing: where the first unacknowledged segment must go again at once, a method returns true and the
 * caller has {@link TcpOutput#retransmitFirst} send it.
 */
final class CongestionControl {
    /** Duplicate ACKs that start fast retransmit (RFC 5681 §3.2). */
    static final int DUPLICATE_THRESHOLD = 3;
    /** The most a reordering path raises it to: beyond, the retransmission timer finds the losses anyway. */
    static final int MAX_DUPLICATE_THRESHOLD = 48;

    private final Counters counters;
    /** The initial window, in segments (RFC 6928). */
    private final int initialWindow;

    CongestionControl(Counters counters, int initialWindow) {
        this.counters = counters;
        this.initialWindow = initialWindow;
    }

    /** A connection's send MSS is known: its window starts at the initial window, in slow start. */
    void start(TcpConnection c) {
        c.cwnd = initialWindow * c.sendMss;
        c.ssthresh = Integer.MAX_VALUE;
    }

    /**
     * RFC 3042 limited transmit: each duplicate ACK short of fast retransmit lets one new segment out
     * beyond the congestion window, so that a small window, or a threshold raised for a reordering path,
     * still gets the duplicates that find a loss.
     */
    static int limitedTransmit(TcpConnection c, int maxSegment) {
        return c.inRecovery ? 0 : Math.min(c.duplicateAcks, c.duplicateThreshold - 1) * maxSegment;
    }

    /**
     * An ACK of new data ({@code advanced} octets): NewReno's partial and full ACKs (RFC 6582 §3.2), or
     * growth. Returns true for a partial ACK: the next hole is lost too and goes now.
     */
    boolean newDataAcknowledged(TcpConnection c, int advanced, TcpOptions options) {
        if (c.inRecovery && c.undoable && spuriousRetransmit(c, options)) {
            return false;
        }
        if (c.inRecovery) {
            if (greaterOrEqual(c.sndUna, c.recover)) {
                // Full acknowledgment: deflate the window and leave recovery.
                c.inRecovery = false;
                c.duplicateAcks = 0;
                c.cwnd = Math.min(c.ssthresh, Math.max(c.sndMax - c.sndUna, SegmentWriter.maxPayload(c)) + SegmentWriter.maxPayload(c));
                return false;
            }
            // Partial acknowledgment: stay in recovery; the next hole is sent at once.
            c.cwnd = Math.max(c.cwnd - advanced, 0) + (advanced >= c.sendMss ? c.sendMss : 0);
            return true;
        }
        c.duplicateAcks = 0;
        growCongestionWindow(c, advanced);
        return false;
    }

    /**
     * RFC 3522 (Eifel detection) on the first ACK of new data in recovery: when it echoes a timestamp older
     * than the retransmission's, the original segment arrived and the retransmission was spurious; the
     * window comes back as it was (RFC 4015) and more duplicate ACKs are needed from now on, since this
     * path reorders. Returns whether it undid the recovery.
     */
    private boolean spuriousRetransmit(TcpConnection c, TcpOptions options) {
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

    /**
     * RFC 5681 §3.2 with RFC 6582: the third duplicate ACK (more on a reordering path) starts fast
     * retransmit. Returns true when it does: the first unacknowledged segment goes now.
     */
    boolean duplicateAck(TcpConnection c, long now) {
        int mss = SegmentWriter.maxPayload(c);
        if (c.inRecovery) {
            c.cwnd += mss; // each duplicate means a segment left the network
            return false;
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
            c.cwnd = c.ssthresh + 3 * mss;
            return true;
        }
        return false;
    }

    /**
     * The retransmission timer expired for data: RFC 5681 §3.1 equation (4) and one segment of window, no
     * recovery going on, and no fast retransmit for what was sent before (RFC 6582 §3.2 step 4).
     */
    void timeout(TcpConnection c) {
        int inFlight = c.sndMax - c.sndUna;
        int mss = SegmentWriter.maxPayload(c);
        c.ssthresh = Math.max(inFlight / 2, 2 * mss);
        c.cwnd = mss;
        c.bytesAckedInAvoidance = 0;
        c.inRecovery = false;
        c.undoable = false;
        c.duplicateAcks = 0;
        c.recover = c.sndMax;
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
}
