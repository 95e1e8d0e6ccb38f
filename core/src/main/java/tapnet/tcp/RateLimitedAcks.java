package tapnet.tcp;

import static tapnet.wire.TcpSegment.SYN;

import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.wire.TcpSegment;

/**
 * The ACKs that answer segments TCP does not take, limited so that forged segments cannot make a host an
 * amplifier: RFC 5961's challenge ACKs, at most 1000 a second for the whole stack (§7), and the ACK of an
 * unacceptable segment (RFC 9293 §3.10.7.4), at most one per 500 ms per connection unless the segment
 * carries data (Linux's tcp_invalid_ratelimit). Either owes the ACK by setting the connection's ackNow;
 * it goes when the event ends.
 */
final class RateLimitedAcks {
    private static final long CHALLENGE_ACK_PERIOD_NANOS = 1_000_000_000L;
    private static final int CHALLENGE_ACKS_PER_PERIOD = 1000;
    /** Linux's net.ipv4.tcp_invalid_ratelimit: one ACK per connection this often for invalid pure ACKs. */
    private static final long INVALID_ACK_INTERVAL_NANOS = 500_000_000L;

    private final Counters counters;
    private long challengeAckPeriodStart;
    private int challengeAcksInPeriod;

    RateLimitedAcks(Counters counters) {
        this.counters = counters;
    }

    /**
     * The ACK that answers an unacceptable segment, at most once per 500 ms per connection unless the
     * segment carries data or a FIN (Linux's tcp_oow_rate_limited): a flood of forged ACKs or SYNs is not
     * reflected one for one, while a sender of data, which retransmits until it hears an ACK, always gets
     * its answer.
     */
    void unacceptable(TcpConnection c, TcpSegment segment, long now) {
        boolean carries = segment.sequenceLength() > 0 && (segment.flags() & SYN) == 0; // a SYN is limited, as Linux's
        if (!carries && c.lastInvalidAckNanos != 0 && now - c.lastInvalidAckNanos < INVALID_ACK_INTERVAL_NANOS) {
            counters.increment(Counter.TCP_INVALID_ACKS_SKIPPED);
            return;
        }
        c.lastInvalidAckNanos = now;
        c.ackNow = true;
    }

    /** RFC 5961 §7: a challenge ACK, unless this second's budget is spent. */
    void challenge(TcpConnection c, long now) {
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
}
