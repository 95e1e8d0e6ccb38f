package tapnet.conformance;

import static tapnet.conformance.Segments.ANSWER;
import static tapnet.conformance.Segments.SILENCE;
import static tapnet.conformance.Segments.ack;
import static tapnet.conformance.Segments.data;
import static tapnet.conformance.Segments.fin;
import static tapnet.conformance.Segments.tcp;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.FIN;
import static tapnet.wire.TcpSegment.RST;

import org.junit.jupiter.api.extension.RegisterExtension;
import tapnet.testing.Decoded;

/** RFC 9293 §3.6, §3.10.7.4 eighth step: closing. */
@Conformance
class CloseTest {
    @RegisterExtension
    static final Targets TARGETS = new Targets();

    /** The peer closes first: its FIN is acknowledged, the target closes in turn (CLOSE-WAIT, LAST-ACK). */
    @OnBothTargets
    void finFromThePeerIsAckedAndTheTargetClosesInTurn(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.handshake();
        peer.roundTrip("abc");
        peer.send(fin());
        Decoded.Tcp targetFin = peer.await(tcp().withFlags(FIN | ACK).ack(peer.sndNxt), ANSWER);
        peer.take(targetFin);
        peer.send(ack());
        peer.expectNothing(SILENCE);
        // LAST-ACK ended in CLOSED: what comes on the old connection meets the listener.
        peer.send(data("late"));
        peer.expect(tcp().flags(RST).seq(peer.rcvNxt), ANSWER);
    }

    /**
     * The target closes first and ends in TIME-WAIT (FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT); there a
     * retransmission of the peer's FIN is acknowledged again (§3.10.7.4: "The only thing that can arrive
     * in this state is a retransmission of the remote FIN. Acknowledge it, and restart the 2 MSL timeout").
     */
    @OnBothTargets
    void retransmittedFinInTimeWaitIsAcked(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.BANNER);
        peer.handshake();
        Decoded.Tcp targetFin = peer.await(tcp().withFlags(FIN | ACK), ANSWER);
        if (targetFin.seq() + targetFin.payload().length != peer.rcvNxt + Ports.BANNER_TEXT.length()) {
            throw peer.failure("expected the FIN after the " + Ports.BANNER_TEXT.length() + " octets of the banner");
        }
        peer.rcvNxt = targetFin.seq() + targetFin.payload().length + 1;
        peer.send(ack()); // FIN-WAIT-2
        peer.send(fin()); // TIME-WAIT
        peer.expect(tcp().flags(ACK).seq(peer.rcvNxt).ack(peer.sndNxt).noPayload(), ANSWER);

        peer.send(fin().seq(peer.sndNxt - 1)); // the same FIN again, as if its ACK were lost
        peer.expect(tcp().flags(ACK).seq(peer.rcvNxt).ack(peer.sndNxt).noPayload(), ANSWER);
    }

    /**
     * Both close at once: the target's FIN is not yet acknowledged when the peer's FIN arrives, so the
     * target goes FIN-WAIT-1 → CLOSING (acknowledging the peer's FIN) → TIME-WAIT on the ACK of its own.
     */
    @OnBothTargets
    void simultaneousCloseGoesThroughClosingToTimeWait(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.BANNER);
        peer.handshake();
        Decoded.Tcp targetFin = peer.await(tcp().withFlags(FIN | ACK), ANSWER);
        int finSequence = targetFin.seq() + targetFin.payload().length;
        peer.rcvNxt = finSequence; // the banner is acknowledged, the FIN not: it "crossed" the peer's FIN
        peer.send(fin());
        peer.expect(tcp().flags(ACK).seq(finSequence + 1).ack(peer.sndNxt).noPayload(), ANSWER);

        peer.rcvNxt = finSequence + 1;
        peer.send(ack()); // TIME-WAIT: nothing to say
        peer.expectNothing(SILENCE);
        peer.send(fin().seq(peer.sndNxt - 1));
        peer.expect(tcp().flags(ACK).seq(peer.rcvNxt).ack(peer.sndNxt).noPayload(), ANSWER);
    }

    /** After the handshake's ACK, an RST|ACK at RCV.NXT aborts too (its ACK bit changes nothing). */
    @OnBothTargets
    void resetFromThePeerEndsTheConnection(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.handshake();
        peer.send(Segments.rstAck());
        peer.expectNothing(SILENCE);
        peer.send(data("late"));
        peer.expect(tcp().flags(RST).seq(peer.rcvNxt), ANSWER);
    }
}
