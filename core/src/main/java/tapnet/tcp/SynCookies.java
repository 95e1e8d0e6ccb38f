package tapnet.tcp;

/**
 * SYN cookies (RFC 4987 §3.6): when a listener's backlog is full, its SYN-ACK carries the connection's
 * state in the ISN instead of in memory, and a valid ACK rebuilds the connection. The cookie is
 * <pre>
 *   bits 31..27  t mod 32, t = minutes-ish counter (64 s periods)
 *   bits 26..24  index of the MSS in {@link #MSS_TABLE}
 *   bits 23..0   SipHash(secret; 4-tuple, t, the client's ISN), truncated
 * </pre>
 * so a cookie is good for one 4-tuple and one client ISN, for one to two periods. What a cookie cannot
 * carry (window scale, timestamps, SACK) is not negotiated for such connections.
 */
final class SynCookies {
    static final int[] MSS_TABLE = {536, 1200, 1360, 1440, 1460, 4312, 8960, 9000};
    private static final long PERIOD_NANOS = 64_000_000_000L;
    private final SipHash hash;

    SynCookies(long k0, long k1) {
        this.hash = new SipHash(k0, k1);
    }

    /** The ISN to send in a cookie SYN-ACK. {@code mss} is what the peer may send us, after clamping. */
    int encode(int localAddress, int localPort, int remoteAddress, int remotePort, int peerIsn, int mss, long nowNanos) {
        int period = (int) (nowNanos / PERIOD_NANOS) & 31;
        int index = 0;
        for (int i = MSS_TABLE.length - 1; i >= 0; i--) {
            if (MSS_TABLE[i] <= mss) {
                index = i;
                break;
            }
        }
        return (period << 27) | (index << 24) | mac(localAddress, localPort, remoteAddress, remotePort, peerIsn, period);
    }

    /**
     * The MSS a returning ACK's cookie ({@code ack - 1}) holds, or -1 when it is not a cookie of ours for this
     * 4-tuple and client ISN ({@code seq - 1}) from this period or the one before.
     */
    int decode(int localAddress, int localPort, int remoteAddress, int remotePort, int peerIsn, int cookie, long nowNanos) {
        int period = cookie >>> 27;
        long current = nowNanos / PERIOD_NANOS;
        for (int age = 0; age <= 1; age++) {
            if (((int) (current - age) & 31) == period
                    && mac(localAddress, localPort, remoteAddress, remotePort, peerIsn, period) == (cookie & 0xff_ffff)) {
                return MSS_TABLE[(cookie >>> 24) & 7];
            }
        }
        return -1;
    }

    private int mac(int localAddress, int localPort, int remoteAddress, int remotePort, int peerIsn, int period) {
        long h = hash.hash(SipHash.addresses(localAddress, remoteAddress), SipHash.ports(localPort, remotePort),
                ((long) period << 32) | (peerIsn & 0xffff_ffffL));
        return (int) h & 0xff_ffff;
    }
}
