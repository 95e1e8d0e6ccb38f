package tapnet.conformance;

import static tapnet.conformance.Segments.ANSWER;
import static tapnet.conformance.Segments.fin;
import static tapnet.conformance.Segments.syn;
import static tapnet.conformance.Segments.tcp;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.FIN;
import static tapnet.wire.TcpSegment.RST;

import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import tapnet.testing.Decoded;

/** RFC 7323 §3, §4: the timestamps option. */
@Conformance
class TimestampsTest {
    private static final int TS_VAL = 0x10000;

    @RegisterExtension
    static final Targets TARGETS = new Targets();

    /** §3.2: without the option in the SYN, no segment of the connection carries it. */
    @OnBothTargets
    void timestampsAreNotSentUnlessOffered(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.handshake();
        peer.roundTrip("abc");
        for (Decoded.Tcp segment : peer.received()) {
            if (segment.timestamps()) {
                throw peer.failure("timestamps on a connection that did not negotiate them: " + segment);
            }
        }
    }

    /** §3.2: offered in the SYN, the SYN-ACK carries the option, its TSecr the SYN's TSval. */
    @OnBothTargets
    void timestampsOfferedAreEchoedInTheSynAck(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.useTimestamps();
        Decoded.Tcp synAck = peer.handshake(syn().mss(1460).timestamps(TS_VAL, 0));
        if (!synAck.timestamps() || synAck.tsEcr() != TS_VAL) {
            throw peer.failure("expected timestamps with TSecr " + TS_VAL + " in the SYN-ACK, got " + synAck);
        }
    }

    /**
     * §3.2: once negotiated, every segment but an RST carries the option; §4.3: its TSecr echoes a TSval the
     * peer sent (TS.Recent).
     */
    @OnBothTargets
    void timestampsAreOnEveryNonResetSegmentOnceNegotiated(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.useTimestamps();
        peer.handshake(syn().mss(1460).timestamps(TS_VAL, 0));
        peer.roundTrip("abc");
        peer.roundTrip("defgh");
        peer.send(fin());
        peer.await(tcp().withFlags(FIN), ANSWER);
        List<Integer> sent = peer.tsValsSent();
        for (Decoded.Tcp segment : peer.received()) {
            if (segment.has(RST)) {
                continue;
            }
            if (!segment.timestamps()) {
                throw peer.failure("no timestamps on " + segment);
            }
            if (!sent.contains(segment.tsEcr())) {
                throw peer.failure("TSecr " + Integer.toUnsignedString(segment.tsEcr()) + " is no TSval the peer sent: " + segment);
            }
        }
    }

    /**
     * RFC 7323 §5.3 (PAWS): a segment whose TSval is older than TS.Recent is acknowledged and dropped; its
     * data is not taken.
     */
    @OnBothTargets
    void segmentWithAnOldTimestampIsAckedAndDropped(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.useTimestamps();
        peer.handshake(syn().mss(1460).timestamps(TS_VAL, 0));
        peer.roundTrip("abc");
        peer.send(Segments.data("old").seq(peer.sndNxt).timestamps(TS_VAL - 1000, peer.tsRecent()));
        peer.expect(tcp().flags(ACK).ack(peer.sndNxt).noPayload(), ANSWER);
        peer.expectNothing(Segments.SILENCE);
        peer.roundTrip("new");
    }
}
