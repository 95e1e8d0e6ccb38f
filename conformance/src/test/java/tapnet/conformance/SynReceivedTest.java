package tapnet.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tapnet.conformance.Peer.ISS;
import static tapnet.conformance.Segments.ANSWER;
import static tapnet.conformance.Segments.SILENCE;
import static tapnet.conformance.Segments.ack;
import static tapnet.conformance.Segments.bytes;
import static tapnet.conformance.Segments.data;
import static tapnet.conformance.Segments.millis;
import static tapnet.conformance.Segments.rst;
import static tapnet.conformance.Segments.syn;
import static tapnet.conformance.Segments.tcp;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.RST;
import static tapnet.wire.TcpSegment.SYN;

import org.junit.jupiter.api.extension.RegisterExtension;
import tapnet.testing.Decoded;

/** RFC 9293 §3.10.7.4 for SYN-RECEIVED: the target answered a SYN and waits for the handshake's ACK. */
@Conformance
class SynReceivedTest {
    @RegisterExtension
    static final Targets TARGETS = new Targets();

    @OnBothTargets
    void unacceptableAckInSynReceivedGetsResetWithSeqOfSegAck(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.send(syn().seq(ISS).mss(1460));
        Decoded.Tcp synAck = peer.expect(tcp().flags(SYN | ACK).ack(ISS + 1), ANSWER);
        int wrongAck = synAck.seq() + 1000;

        peer.send(ack().seq(ISS + 1).ack(wrongAck));
        peer.expect(tcp().flags(RST).seq(wrongAck), ANSWER);

        // The reset answered only that segment: the right ACK still completes the handshake.
        peer.sndNxt = ISS + 1;
        peer.send(ack().ack(synAck.seq() + 1));
        peer.send(data("abc"));
        peer.await(tcp().payload(bytes("abc")), ANSWER);
    }

    /** [MUST-11]: a passive open that is reset in SYN-RECEIVED goes back to LISTEN, forgetting the SYN. */
    @OnBothTargets
    void resetInSynReceivedReturnsToListen(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.send(syn().seq(ISS).mss(1460));
        Decoded.Tcp synAck = peer.expect(tcp().flags(SYN | ACK).ack(ISS + 1), ANSWER);

        peer.send(rst().seq(ISS + 1));
        peer.expectNothing(SILENCE);

        // The handshake's ACK now meets the listener, which resets it <SEQ=SEG.ACK><CTL=RST>.
        peer.send(ack().seq(ISS + 1).ack(synAck.seq() + 1));
        peer.expect(tcp().flags(RST).seq(synAck.seq() + 1), ANSWER);

        // And the listener takes a new SYN from the same port.
        peer.send(syn().seq(ISS + 5000).mss(1460));
        peer.expect(tcp().flags(SYN | ACK).ack(ISS + 5001), ANSWER);
    }

    /**
     * RFC 6298 §2.1, §5.5: the SYN-ACK is retransmitted after the initial RTO of 1 s, then after twice that
     * (RFC 9293 §3.8.1 [MUST-22] for the SYN the same). Times are measured between arrivals, ±30%.
     */
    @OnBothTargets
    void synAckIsRetransmittedAfterOneSecondThenTwo(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.send(syn().seq(ISS).mss(1460));
        Decoded.Tcp first = peer.expect(tcp().flags(SYN | ACK).ack(ISS + 1), ANSWER);
        long firstAt = peer.lastArrivalNanos();

        peer.expect(tcp().flags(SYN | ACK).seq(first.seq()).ack(ISS + 1), millis(1300));
        long secondAt = peer.lastArrivalNanos();
        peer.expect(tcp().flags(SYN | ACK).seq(first.seq()).ack(ISS + 1), millis(2600));
        long thirdAt = peer.lastArrivalNanos();

        long firstGap = (secondAt - firstAt) / 1_000_000;
        long secondGap = (thirdAt - secondAt) / 1_000_000;
        assertTrue(firstGap >= 700 && firstGap <= 1300, "first retransmission after " + firstGap + " ms, expected 1 s ± 30%");
        assertTrue(secondGap >= 1400 && secondGap <= 2600, "second retransmission after " + secondGap + " ms, expected 2 s ± 30%");
    }

    /**
     * A SYN retransmitted by the peer (it lost the SYN-ACK) arrives in SYN-RECEIVED. It lies left of the
     * window (SEG.SEQ = IRS < RCV.NXT), so RFC 9293's first check answers it with an ACK
     * <SEQ=SND.NXT><ACK=RCV.NXT>; Linux answers with the SYN-ACK again. Both tell the peer the same
     * (ACK = its ISS + 1), and RFC 9293 allows either: the test accepts both, then finishes the handshake.
     */
    @OnBothTargets
    void retransmittedSynInSynReceivedIsAnsweredAgain(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.send(syn().seq(ISS).mss(1460));
        Decoded.Tcp synAck = peer.expect(tcp().flags(SYN | ACK).ack(ISS + 1), ANSWER);

        peer.send(syn().seq(ISS).mss(1460));
        Decoded.Tcp again = peer.expect(tcp().withFlags(ACK).withoutFlags(RST).ack(ISS + 1).noPayload(), ANSWER);
        if (again.has(SYN)) {
            assertEquals(synAck.seq(), again.seq(), "a repeated SYN-ACK has the same ISS");
        } else {
            assertEquals(synAck.seq() + 1, again.seq(), "an ACK has SEQ=SND.NXT");
        }

        peer.sndNxt = ISS + 1;
        peer.send(ack().ack(synAck.seq() + 1));
        peer.send(data("abc"));
        peer.await(tcp().payload(bytes("abc")), ANSWER);
    }
}
