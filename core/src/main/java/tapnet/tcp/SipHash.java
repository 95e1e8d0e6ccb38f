package tapnet.tcp;

/**
 * SipHash-2-4 (Aumasson &amp; Bernstein) of short messages of 64-bit words under a 128-bit key: the keyed
 * hash behind ISNs (RFC 6528) and SYN cookies (RFC 4987). Allocates nothing; one instance per thread.
 */
final class SipHash {
    private final long k0;
    private final long k1;
    private long v0;
    private long v1;
    private long v2;
    private long v3;

    SipHash(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
    }

    /** The hash of the 16-byte message {@code m0 m1} (little-endian words). */
    long hash(long m0, long m1) {
        begin();
        compress(m0);
        compress(m1);
        return finish(16);
    }

    /** The hash of the 24-byte message {@code m0 m1 m2}. */
    long hash(long m0, long m1, long m2) {
        begin();
        compress(m0);
        compress(m1);
        compress(m2);
        return finish(24);
    }

    private void begin() {
        v0 = 0x736f6d6570736575L ^ k0;
        v1 = 0x646f72616e646f6dL ^ k1;
        v2 = 0x6c7967656e657261L ^ k0;
        v3 = 0x7465646279746573L ^ k1;
    }

    private long finish(int length) {
        compress((long) length << 56); // the final word: message length in the top byte, no remaining bytes
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

    /** The 4-tuple as two words, the way every keyed hash here takes it. */
    static long addresses(int localAddress, int remoteAddress) {
        return ((long) localAddress << 32) | (remoteAddress & 0xffff_ffffL);
    }

    static long ports(int localPort, int remotePort) {
        return ((long) (localPort & 0xffff) << 16) | (remotePort & 0xffff);
    }
}
