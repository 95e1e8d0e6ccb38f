package tapnet.conformance;

import static tapnet.conformance.Peer.ISS;
import static tapnet.conformance.Segments.ANSWER;
import static tapnet.conformance.Segments.rst;
import static tapnet.conformance.Segments.syn;
import static tapnet.conformance.Segments.tcp;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.SYN;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RFC 9293 §3.4.1 [MUST-8, MUST-9], RFC 6528: ISN = M + F(4-tuple, secret), M a clock ticking about every
 * 4 µs. Linux's clock ticks every 64 ns; the bounds below hold for both.
 */
@Conformance
class IsnTest {
    /** The fastest clock either target runs: Linux's, one tick per 64 ns. */
    private static final double FASTEST_TICKS_PER_NANO = 1.0 / 64;
    /** The slowest clock RFC 9293 describes: one tick per 4 µs. */
    private static final double RFC_TICKS_PER_NANO = 1.0 / 4000;

    @RegisterExtension
    static final Targets TARGETS = new Targets();

    /**
     * [MUST-9]: two connections opened within milliseconds of each other from different ports get ISNs
     * that differ by far more than any clock advanced in between: F depends on the 4-tuple.
     */
    @OnBothTargets
    void isnDiffersPerFourTuple(Target target) throws Exception {
        Peer first = TARGETS.peer(target, Ports.ECHO);
        Peer second = TARGETS.peer(target, Ports.ECHO);
        long start = System.nanoTime();
        int a = open(first);
        int b = open(second);
        long elapsed = System.nanoTime() - start;
        long distance = Math.abs((long) (b - a));
        long clockAdvance = (long) (elapsed * FASTEST_TICKS_PER_NANO);
        if (distance <= 2 * clockAdvance + 1000) {
            throw second.failure("ISNs " + Integer.toUnsignedString(a) + " and " + Integer.toUnsignedString(b) + " of two 4-tuples"
                    + " differ by " + distance + ", no more than a clock would in " + elapsed / 1000 + " µs");
        }
    }

    /**
     * [MUST-8]: the ISN of one 4-tuple, a second later, has moved forward by about what the clock ticked:
     * at least half of the 4 µs clock's ticks, and less than half the sequence space.
     */
    @OnBothTargets
    void isnOfOneFourTupleAdvancesWithTime(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        long firstAt = System.nanoTime();
        int a = open(peer);
        peer.send(rst().seq(ISS + 1)); // back to LISTEN, so the next SYN of this 4-tuple opens anew
        Thread.sleep(1000);
        long secondAt = System.nanoTime();
        int b = open(peer);
        long advance = Integer.toUnsignedLong(b - a);
        long elapsed = secondAt - firstAt;
        long atLeast = (long) (elapsed * RFC_TICKS_PER_NANO / 2);
        if (advance < atLeast || advance >= 1L << 31) {
            throw peer.failure("the ISN of one 4-tuple moved by " + advance + " in " + elapsed / 1_000_000 + " ms; expected at least "
                    + atLeast + " (a 4 µs clock, halved) and less than 2^31");
        }
    }

    private static int open(Peer peer) {
        peer.send(syn().seq(ISS).mss(1460));
        return peer.expect(tcp().flags(SYN | ACK).ack(ISS + 1), ANSWER).seq();
    }
}
