package tapnet.tcp;

/**
 * The retransmission timeout of one connection per RFC 6298: SRTT and RTTVAR from round-trip samples
 * (§2), RTO = SRTT + max(G, 4·RTTVAR) clamped to [min, max] (§2.4, §2.5), doubled on each expiry (§5.5).
 * Callers apply Karn's rule: no sample from a retransmitted segment (§3).
 */
public final class RetransmissionTimeout {
    private static final long CLOCK_GRANULARITY_NANOS = 1_000_000;
    /** RFC 6298 §5.7: after a retransmitted SYN or SYN-ACK, data starts with a 3 s RTO unless a sample arrives. */
    static final long AFTER_RETRANSMITTED_HANDSHAKE_NANOS = 3_000_000_000L;
    private final long initialNanos;
    private final long minNanos;
    private final long maxNanos;
    private long srtt;
    private long rttvar;
    private long rto;
    private boolean hasSample;

    public RetransmissionTimeout(long initialNanos, long minNanos, long maxNanos) {
        this.initialNanos = initialNanos;
        this.minNanos = minNanos;
        this.maxNanos = maxNanos;
        reset();
    }

    /** Back to the state of a new connection: RTO = initial (RFC 6298 §2.1). */
    public void reset() {
        srtt = 0;
        rttvar = 0;
        rto = initialNanos;
        hasSample = false;
    }

    /** RFC 6298 §5.7: after a retransmitted SYN, data starts with this RTO unless a sample arrives. */
    public void restartAt(long nanos) {
        if (!hasSample) {
            rto = clamp(nanos);
        }
    }

    /** Takes a round-trip measurement (RFC 6298 §2.2, §2.3). */
    public void sample(long rttNanos) {
        if (!hasSample) {
            srtt = rttNanos;
            rttvar = rttNanos / 2;
            hasSample = true;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - rttNanos)) / 4;
            srtt = (7 * srtt + rttNanos) / 8;
        }
        rto = clamp(srtt + Math.max(CLOCK_GRANULARITY_NANOS, 4 * rttvar));
    }

    /** The timer expired: double the RTO (RFC 6298 §5.5), up to the maximum. */
    public void backOff() {
        rto = Math.min(rto * 2, maxNanos);
    }

    public long rto() {
        return rto;
    }

    public long srtt() {
        return srtt;
    }

    public long rttvar() {
        return rttvar;
    }

    public boolean hasSample() {
        return hasSample;
    }

    private long clamp(long value) {
        return Math.max(minNanos, Math.min(maxNanos, value));
    }
}
