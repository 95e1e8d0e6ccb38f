package tapnet.conformance;

import static tapnet.conformance.Segments.ANSWER;
import static tapnet.conformance.Segments.SILENCE;
import static tapnet.conformance.Segments.ack;
import static tapnet.conformance.Segments.data;
import static tapnet.conformance.Segments.rst;
import static tapnet.conformance.Segments.segment;
import static tapnet.conformance.Segments.tcp;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.PSH;
import static tapnet.wire.TcpSegment.RST;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RFC 9293 §3.10.7.4 "first, check sequence number": the four cases of acceptability, on an established
 * connection. An unacceptable segment is answered with <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and dropped.
 * <pre>
 *   SEG.LEN  RCV.WND  acceptable when
 *   0        0        SEG.SEQ = RCV.NXT
 *   0        > 0      RCV.NXT =< SEG.SEQ < RCV.NXT + RCV.WND
 *   > 0      0        never
 *   > 0      > 0      the first or the last octet of the segment lies in the window
 * </pre>
 */
@Conformance
class AcceptabilityTest {
    @RegisterExtension
    static final Targets TARGETS = new Targets();

    // Case 2: SEG.LEN = 0, RCV.WND > 0.

    @OnBothTargets
    void emptySegmentLeftOfTheWindowIsAckedAndDropped(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.handshake();
        peer.send(ack().seq(peer.sndNxt - 1));
        peer.expect(tcp().flags(ACK).seq(peer.rcvNxt).ack(peer.sndNxt).noPayload(), ANSWER);
        peer.roundTrip("abc");
    }

    /**
     * The segment is sent well right of the edge: RFC 9293 makes SEG.SEQ = RCV.NXT + RCV.WND itself
     * unacceptable, where Linux accepts an empty segment (tcp_sequence tests !after(seq, rcv_nxt + wnd)).
     */
    @OnBothTargets
    void emptySegmentRightOfTheWindowIsAckedAndDropped(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.handshake();
        peer.send(ack().seq(peer.sndNxt + peer.targetWindow + 1000));
        peer.expect(tcp().flags(ACK).seq(peer.rcvNxt).ack(peer.sndNxt).noPayload(), ANSWER);
        peer.roundTrip("abc");
    }

    @OnBothTargets
    void emptySegmentInsideTheWindowIsAcceptedSilently(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.handshake();
        peer.send(ack().seq(peer.sndNxt + 100));
        peer.expectNothing(SILENCE);
        peer.roundTrip("abc");
    }

    // Case 4: SEG.LEN > 0, RCV.WND > 0.

    @OnBothTargets
    void dataRightOfTheWindowIsAckedAndDropped(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.handshake();
        peer.send(data("zzz").seq(peer.sndNxt + peer.targetWindow + 1000));
        peer.expect(tcp().flags(ACK).seq(peer.rcvNxt).ack(peer.sndNxt).noPayload(), ANSWER);
        peer.expectNothing(SILENCE);
        peer.roundTrip("abc"); // and only "abc" comes back: "zzz" was not kept
    }

    @OnBothTargets
    void oldDuplicateDataIsAckedAndDropped(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.handshake();
        peer.roundTrip("abcde");
        peer.send(data("abcde").seq(peer.sndNxt - 5));
        peer.expect(tcp().flags(ACK).seq(peer.rcvNxt).ack(peer.sndNxt).noPayload(), ANSWER);
        peer.expectNothing(SILENCE);
        peer.roundTrip("fg");
    }

    /** The last octets lie in the window: acceptable, and only the new octets are taken. */
    @OnBothTargets
    void dataOverlappingTheLeftEdgeIsTrimmedAndKept(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.handshake();
        peer.roundTrip("abcde");
        peer.send(data("defgh").seq(peer.sndNxt - 2));
        peer.sndNxt += 3;
        Peer.Received echo = peer.receive(3, ANSWER);
        if (!echo.text().equals("fgh")) {
            throw peer.failure("expected the echo of the new octets fgh, got " + echo.text());
        }
        peer.roundTrip("ij");
    }

    // Fifth check: a segment without ACK is dropped.

    @OnBothTargets
    void segmentWithoutAckIsDropped(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.handshake();
        peer.send(segment(PSH).seq(peer.sndNxt).payload("xyz"));
        peer.expectNothing(SILENCE);
        peer.roundTrip("abc"); // at the same sequence number: "xyz" was never taken
    }

    // Cases 1 and 3: RCV.WND = 0, on a port that never reads.

    @OnBothTargets
    void emptySegmentWithAZeroWindowIsAcceptableOnlyAtRcvNxt(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.HOLD);
        peer.handshake();
        peer.fillWindow();
        peer.send(ack());
        peer.expectNothing(SILENCE);
        peer.send(ack().seq(peer.sndNxt + 1));
        peer.expect(tcp().flags(ACK).seq(peer.rcvNxt).ack(peer.sndNxt).window(0).noPayload(), ANSWER);
    }

    @OnBothTargets
    void dataIntoAZeroWindowIsNotAcceptableButAcked(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.HOLD);
        peer.handshake();
        peer.fillWindow();
        peer.send(data("x").seq(peer.sndNxt));
        peer.expect(tcp().flags(ACK).seq(peer.rcvNxt).ack(peer.sndNxt).window(0).noPayload(), ANSWER);
    }

    /** [MUST-66]: with the window zero, an RST is still processed (and resets, when exact). */
    @OnBothTargets
    void resetIsProcessedWithAZeroWindow(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.HOLD);
        peer.handshake();
        peer.fillWindow();
        peer.send(rst());
        peer.expectNothing(SILENCE);
        // The connection is gone: an ACK on it meets the listener, which resets it.
        peer.send(ack());
        peer.expect(tcp().flags(RST).seq(peer.rcvNxt), ANSWER);
    }
}
