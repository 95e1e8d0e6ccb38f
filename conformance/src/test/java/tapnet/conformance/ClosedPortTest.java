package tapnet.conformance;

import static tapnet.conformance.Peer.ISS;
import static tapnet.conformance.Segments.ANSWER;
import static tapnet.conformance.Segments.SILENCE;
import static tapnet.conformance.Segments.ack;
import static tapnet.conformance.Segments.rst;
import static tapnet.conformance.Segments.rstAck;
import static tapnet.conformance.Segments.segment;
import static tapnet.conformance.Segments.syn;
import static tapnet.conformance.Segments.tcp;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.FIN;
import static tapnet.wire.TcpSegment.RST;

import org.junit.jupiter.api.extension.RegisterExtension;

/** RFC 9293 §3.10.7.1: a segment arrives for a port nobody listens on (CLOSED). */
@Conformance
class ClosedPortTest {
    @RegisterExtension
    static final Targets TARGETS = new Targets();

    @OnBothTargets
    void synToAClosedPortGetsRstAckWithSeqZeroAndAckOfSegSeqPlusOne(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.CLOSED);
        peer.send(syn().seq(ISS).mss(1460));
        peer.expect(tcp().flags(RST | ACK).seq(0).ack(ISS + 1).noPayload(), ANSWER);
    }

    /** SEG.LEN counts the data and the FIN: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. */
    @OnBothTargets
    void dataAndFinWithoutAckToAClosedPortAreCountedInTheResetsAck(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.CLOSED);
        peer.send(segment(FIN).seq(ISS).payload("0123456789"));
        peer.expect(tcp().flags(RST | ACK).seq(0).ack(ISS + 11), ANSWER);
    }

    @OnBothTargets
    void ackToAClosedPortGetsRstWithSeqOfSegAck(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.CLOSED);
        peer.send(ack().seq(ISS).ack(0xabcdef01));
        peer.expect(tcp().flags(RST).seq(0xabcdef01), ANSWER);
    }

    @OnBothTargets
    void rstToAClosedPortIsNeverAnswered(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.CLOSED);
        peer.send(rst().seq(ISS));
        peer.send(rstAck().seq(ISS).ack(12345));
        peer.expectNothing(SILENCE);

        // The port does answer what calls for an answer.
        peer.send(syn().seq(ISS).mss(1460));
        peer.expect(tcp().flags(RST | ACK).ack(ISS + 1), ANSWER);
    }
}
