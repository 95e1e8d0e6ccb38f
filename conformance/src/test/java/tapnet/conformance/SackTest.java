package tapnet.conformance;

import static tapnet.conformance.Segments.ANSWER;
import static tapnet.conformance.Segments.data;
import static tapnet.conformance.Segments.syn;
import static tapnet.conformance.Segments.tcp;
import static tapnet.wire.TcpSegment.ACK;

import org.junit.jupiter.api.extension.RegisterExtension;
import tapnet.testing.Decoded;

/** RFC 2018: selective acknowledgments. */
@Conformance
class SackTest {
    @RegisterExtension
    static final Targets TARGETS = new Targets();

    /** §2: SACK-permitted is sent in a SYN-ACK only when the SYN carried it. */
    @OnBothTargets
    void sackPermittedIsNotSentUnlessOffered(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        Decoded.Tcp synAck = peer.handshake();
        if (synAck.sackPermitted()) {
            throw peer.failure("SACK-permitted in a SYN-ACK to a SYN without it: " + synAck);
        }
    }

    @OnBothTargets
    void sackPermittedOfferedIsAnswered(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        Decoded.Tcp synAck = peer.handshake(syn().mss(1460).sackPermitted());
        if (!synAck.sackPermitted()) {
            throw peer.failure("expected SACK-permitted in the SYN-ACK, got " + synAck);
        }
    }

    /** §4: data that arrives out of order is reported in a SACK block of the (duplicate) ACK it causes. */
    @OnBothTargets
    void outOfOrderDataIsReportedInASackBlock(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.handshake(syn().mss(1460).sackPermitted());
        int start = peer.sndNxt;
        peer.send(data("klmnopqrst").seq(start + 10));
        peer.expect(tcp().flags(ACK).ack(start).noPayload().sackBlock(start + 10, start + 20), ANSWER);
    }
}
