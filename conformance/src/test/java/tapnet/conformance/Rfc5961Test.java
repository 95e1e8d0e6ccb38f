package tapnet.conformance;

import static tapnet.conformance.Segments.ANSWER;
import static tapnet.conformance.Segments.SILENCE;
import static tapnet.conformance.Segments.data;
import static tapnet.conformance.Segments.rst;
import static tapnet.conformance.Segments.syn;
import static tapnet.conformance.Segments.tcp;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.RST;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RFC 5961 (taken into RFC 9293 §3.10.7.4) against blind in-window attacks: only an RST at exactly
 * RCV.NXT resets; an RST or SYN otherwise in the window gets a challenge ACK; an ACK outside
 * [SND.UNA - MAX.SND.WND, SND.NXT] does not carry its data in. Challenge ACKs are rate-limited (§7; Linux
 * also per connection, 500 ms), so each test provokes one.
 */
@Conformance
class Rfc5961Test {
    @RegisterExtension
    static final Targets TARGETS = new Targets();

    @OnBothTargets
    void resetWithTheExactSequenceNumberResetsTheConnection(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.handshake();
        peer.roundTrip("abc");
        peer.send(rst());
        peer.expectNothing(SILENCE);
        // Gone: data on the old connection meets the listener, which resets it <SEQ=SEG.ACK><CTL=RST>.
        peer.send(data("more"));
        peer.expect(tcp().flags(RST).seq(peer.rcvNxt), ANSWER);
    }

    @OnBothTargets
    void resetInsideTheWindowButNotExactGetsAChallengeAck(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.handshake();
        peer.send(rst().seq(peer.sndNxt + 1));
        peer.expect(tcp().flags(ACK).seq(peer.rcvNxt).ack(peer.sndNxt).noPayload(), ANSWER);
        peer.roundTrip("abc");
    }

    @OnBothTargets
    void resetOutsideTheWindowIsDropped(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.handshake();
        peer.send(rst().seq(peer.sndNxt + peer.targetWindow + 1000));
        peer.send(rst().seq(peer.sndNxt - 1000));
        peer.expectNothing(SILENCE);
        peer.roundTrip("abc");
    }

    @OnBothTargets
    void synInsideTheWindowOfAnEstablishedConnectionGetsAChallengeAck(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.handshake();
        peer.send(syn().seq(peer.sndNxt).mss(1460));
        peer.expect(tcp().flags(ACK).seq(peer.rcvNxt).ack(peer.sndNxt).noPayload(), ANSWER);
        peer.roundTrip("abc");
    }

    /** RFC 9293 §3.10.7.4 fourth check: "irrespective of the sequence number" the answer is the same ACK. */
    @OnBothTargets
    void synOutsideTheWindowOfAnEstablishedConnectionGetsAnAck(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.handshake();
        peer.send(syn().seq(peer.sndNxt + 0x40000000).mss(1460));
        peer.expect(tcp().flags(ACK).seq(peer.rcvNxt).ack(peer.sndNxt).noPayload(), ANSWER);
        peer.roundTrip("abc");
    }

    /**
     * RFC 9293 §3.10.7.4 fifth check, RFC 5961 §5.2: SEG.ACK > SND.NXT acknowledges something never sent;
     * the segment is dropped (its data is not taken) and an ACK is sent.
     */
    @OnBothTargets
    void ackOfUnsentDataIsAckedAndItsDataDropped(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.handshake();
        peer.send(data("xyz").seq(peer.sndNxt).ack(peer.rcvNxt + 1000));
        peer.expect(tcp().flags(ACK).seq(peer.rcvNxt).ack(peer.sndNxt).noPayload(), ANSWER);
        peer.expectNothing(SILENCE);
        peer.roundTrip("abc"); // "xyz" was not taken
    }

    /** RFC 5961 §5.2: SEG.ACK < SND.UNA - MAX.SND.WND is dropped with a challenge ACK (blind data injection). */
    @OnBothTargets
    void ackOlderThanTheLargestWindowGetsAChallengeAckAndItsDataDropped(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.handshake();
        peer.send(data("xyz").seq(peer.sndNxt).ack(peer.rcvNxt - 200_000));
        peer.expect(tcp().flags(ACK).seq(peer.rcvNxt).ack(peer.sndNxt).noPayload(), ANSWER);
        peer.expectNothing(SILENCE);
        peer.roundTrip("abc");
    }
}
