package tapnet.tcp;

/**
 * Initial sequence numbers per RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport, secretkey),
 * where M is a timer ticking every 4 µs [RFC 9293 MUST-8] and F is SipHash-2-4 under a 128-bit secret
 * [MUST-9], so an outsider who sees ISNs of one 4-tuple cannot predict those of another. Allocates nothing;
 * one instance per engine thread.
 */
public final class IsnGenerator {
    private static final long TICK_NANOS = 4_000;
    private final long k0;
    private final long k1;
    private long v0;
    private long v1;
    private long v2;
    private long v3;

    public IsnGenerator(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
    }

    public int isn(int localAddress, int localPort, int remoteAddress, int remotePort, long nowNanos) {
        long m0 = ((long) localAddress << 32) | (remoteAddress & 0xffff_ffffL);
        long m1 = ((long) (localPort & 0xffff) << 16) | (remotePort & 0xffff);
        int f = (int) sipHash24(m0, m1);
        return (int) (nowNanos / TICK_NANOS) + f;
    }

    /** SipHash-2-4 of a 16-byte message given as two little-endian 64-bit words. */
    long sipHash24(long m0, long m1) {
        v0 = 0x736f6d6570736575L ^ k0;
        v1 = 0x646f72616e646f6dL ^ k1;
        v2 = 0x6c7967656e657261L ^ k0;
        v3 = 0x7465646279746573L ^ k1;
        compress(m0);
        compress(m1);
        compress(16L << 56); // the final word: message length in the top byte, no remaining bytes
        v2 ^= 0xff;
        for (int i = 0; i < 4; i++) {
            round();
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }

    private void compress(long m) {
        v3 ^= m;
        round();
        round();
        v0 ^= m;
    }

    private void round() {
        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
    }
}
