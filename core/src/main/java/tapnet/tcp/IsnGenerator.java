package tapnet.tcp;

/**
 * Initial sequence numbers per RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport, secretkey),
 * where M is a timer ticking every 4 µs [RFC 9293 MUST-8] and F is SipHash-2-4 under a 128-bit secret
 * [MUST-9], so an outsider who sees ISNs of one 4-tuple cannot predict those of another. The same keyed
 * hash gives each connection its timestamp offset (RFC 7323 §5.4). Allocates nothing; one per engine thread.
 */
public final class IsnGenerator {
    private static final long TICK_NANOS = 4_000;
    private static final long TIMESTAMP_DOMAIN = 0x7473L << 48; // keeps timestamp offsets apart from ISNs
    private final SipHash hash;

    public IsnGenerator(long k0, long k1) {
        this.hash = new SipHash(k0, k1);
    }

    public int isn(int localAddress, int localPort, int remoteAddress, int remotePort, long nowNanos) {
        int f = (int) hash.hash(SipHash.addresses(localAddress, remoteAddress), SipHash.ports(localPort, remotePort));
        return (int) (nowNanos / TICK_NANOS) + f;
    }

    /** A per-connection random offset for TSval, so timestamps reveal no host-wide clock. */
    public int timestampOffset(int localAddress, int localPort, int remoteAddress, int remotePort) {
        return (int) hash.hash(SipHash.addresses(localAddress, remoteAddress),
                TIMESTAMP_DOMAIN | SipHash.ports(localPort, remotePort));
    }

    /** SipHash-2-4 of a 16-byte message, for the reference-vector test. */
    long sipHash24(long m0, long m1) {
        return hash.hash(m0, m1);
    }
}
