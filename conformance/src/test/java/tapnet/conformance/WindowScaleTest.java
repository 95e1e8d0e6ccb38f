package tapnet.conformance;

import static tapnet.conformance.Segments.ANSWER;
import static tapnet.conformance.Segments.fin;
import static tapnet.conformance.Segments.syn;
import static tapnet.conformance.Segments.tcp;
import static tapnet.wire.TcpSegment.FIN;
import static tapnet.wire.TcpSegment.SYN;

import org.junit.jupiter.api.extension.RegisterExtension;
import tapnet.testing.Decoded;

/** RFC 7323 §2: the window scale option. */
@Conformance
class WindowScaleTest {
    @RegisterExtension
    static final Targets TARGETS = new Targets();

    /** §2.2: a SYN-ACK may carry the option only when the SYN did. */
    @OnBothTargets
    void windowScaleIsNotSentUnlessOffered(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        Decoded.Tcp synAck = peer.handshake();
        if (synAck.windowScale() >= 0) {
            throw peer.failure("window scale in a SYN-ACK to a SYN without it: " + synAck);
        }
    }

    /** §2.2, §2.3: offered, it is answered, with a shift of at most 14. */
    @OnBothTargets
    void windowScaleOfferedIsAnsweredWithAShiftOfAtMost14(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        Decoded.Tcp synAck = peer.handshake(syn().mss(1460).windowScale(7));
        if (synAck.windowScale() < 0 || synAck.windowScale() > 14) {
            throw peer.failure("expected a window scale of 0 to 14 in the SYN-ACK, got " + synAck.windowScale());
        }
        peer.roundTrip("abc");
    }

    /** §2.2: the option is sent only in SYN segments, never after the handshake. */
    @OnBothTargets
    void windowScaleIsSentOnlyInSyns(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.handshake(syn().mss(1460).windowScale(7));
        peer.roundTrip("abc");
        peer.send(fin());
        peer.await(tcp().withFlags(FIN), ANSWER);
        for (Decoded.Tcp segment : peer.received()) {
            if (!segment.has(SYN) && segment.windowScale() >= 0) {
                throw peer.failure("window scale option on a segment without SYN: " + segment);
            }
        }
    }
}
