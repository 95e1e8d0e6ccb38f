package tapnet.conformance;

import static tapnet.conformance.Segments.ANSWER;
import static tapnet.conformance.Segments.ack;
import static tapnet.conformance.Segments.bytes;
import static tapnet.conformance.Segments.data;
import static tapnet.conformance.Segments.millis;
import static tapnet.conformance.Segments.tcp;

import org.junit.jupiter.api.extension.RegisterExtension;
import tapnet.testing.Decoded;

/** RFC 9293 §3.7.4: Nagle's algorithm [SHLD-7], and the application's switch to turn it off [MUST-17]. */
@Conformance
class NagleTest {
    @RegisterExtension
    static final Targets TARGETS = new Targets();

    /**
     * [SHLD-7]: with "a" sent and not acknowledged, the echo of "b" (less than a full segment) waits until
     * the ACK comes. The wait watched is 100 ms: without Nagle the echo comes within a millisecond, and the
     * RTO that would resend "a" (Linux: at least 200 ms) has not come yet.
     */
    @OnBothTargets
    void aSmallSegmentWaitsWhileDataIsUnacknowledged(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO_NAGLE);
        peer.handshake();
        peer.send(data("a"));
        Decoded.Tcp a = peer.await(tcp().payload(bytes("a")), ANSWER); // nothing in flight: sent at once
        peer.send(data("b")); // its ACK field does not acknowledge "a"
        peer.expectNothingBut(tcp().that("no data but \"a\" again", t -> t.payload().length == 0
                || (t.seq() == a.seq() && t.payload().length == 1)), millis(100));
        peer.take(a);
        peer.send(ack());
        peer.await(tcp().seq(a.seq() + 1).payload(bytes("b")), ANSWER);
    }

    /** [MUST-17]: with Nagle off (the echo port, TCP_NODELAY), "b" is echoed at once, "a" unacknowledged. */
    @OnBothTargets
    void withNagleOffASmallSegmentIsSentAtOnce(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.handshake();
        peer.send(data("a"));
        Decoded.Tcp a = peer.await(tcp().payload(bytes("a")), ANSWER);
        peer.send(data("b"));
        peer.await(tcp().seq(a.seq() + 1).payload(bytes("b")), millis(100));
    }
}
