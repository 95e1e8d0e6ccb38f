package tapnet.conformance;

import static tapnet.conformance.Peer.ISS;
import static tapnet.conformance.Segments.ANSWER;
import static tapnet.conformance.Segments.SILENCE;
import static tapnet.conformance.Segments.data;
import static tapnet.conformance.Segments.fin;
import static tapnet.conformance.Segments.syn;
import static tapnet.conformance.Segments.tcp;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.FIN;
import static tapnet.wire.TcpSegment.RST;
import static tapnet.wire.TcpSegment.SYN;

import org.junit.jupiter.api.extension.RegisterExtension;
import tapnet.testing.Decoded;

/** RFC 9293 §3.1, §3.2, §3.7.1: the checksum, options in general, and the MSS option. */
@Conformance
class OptionsTest {
    @RegisterExtension
    static final Targets TARGETS = new Targets();

    /** [MUST-2, MUST-3]: the checksum is checked, and a segment that fails it is dropped. */
    @OnBothTargets
    void synWithABadChecksumIsDropped(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.send(syn().seq(ISS).mss(1460).badChecksum());
        peer.expectNothing(SILENCE);
        peer.send(syn().seq(ISS).mss(1460));
        peer.expect(tcp().flags(SYN | ACK).ack(ISS + 1), ANSWER);
    }

    @OnBothTargets
    void dataWithABadChecksumIsDropped(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.handshake();
        peer.send(data("bad").seq(peer.sndNxt).badChecksum());
        peer.expectNothing(SILENCE);
        peer.roundTrip("good"); // at the same sequence number
    }

    /** [MUST-6]: options of unknown kinds are skipped by their length; the SYN is served as usual. */
    @OnBothTargets
    void unknownOptionsAreIgnored(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.handshake(syn().rawOptions(
                99, 6, 1, 2, 3, 4,        // kind 99: unassigned
                254, 4, 0x12, 0x34,       // kind 254: experimental (RFC 6994), an ExID nobody here knows
                2, 4, 0x05, 0xb4));       // MSS 1460
        peer.roundTrip("abc");
    }

    /**
     * [MUST-64]: options need not start on a 4-octet boundary. The MSS option here starts at octet 3 and
     * says 300, below the 536 a target assumes without it: echoed segments of at most 300 octets show that
     * it was read.
     */
    @OnBothTargets
    void optionsThatDoNotStartOnAWordBoundaryAreRead(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.handshake(syn().rawOptions(99, 3, 0, 2, 4, 300 >> 8, 300 & 0xff, 1));
        String text = "x".repeat(1000);
        peer.send(data(text));
        Peer.Received echo = peer.receive(text.length(), ANSWER);
        for (Decoded.Tcp segment : echo.segments()) {
            if (segment.payload().length > 300) {
                throw peer.failure("segment of " + segment.payload().length + " octets for an MSS of 300: " + segment);
            }
        }
    }

    /**
     * [MUST-7]: an illegal option length (0, 1, past the header's end) must not harm the target. RFC 9293
     * suggests a reset; Linux stops reading options and serves the SYN. Either is allowed: the answer, if
     * any, is a SYN-ACK or an RST, and the target then serves a well-formed SYN as before.
     */
    @OnBothTargets
    void illegalOptionLengthsAreSurvived(Target target) throws Exception {
        int[][] illegal = {
            {99, 0, 0, 0},                    // length 0
            {99, 1, 0, 0},                    // length 1
            {2, 40, 0x05, 0xb4},              // MSS claiming 40 octets, past the end of the header
        };
        for (int[] options : illegal) {
            Peer peer = TARGETS.peer(target, Ports.ECHO);
            peer.send(syn().seq(ISS).rawOptions(options));
            Decoded.Tcp answer = peer.poll(SILENCE);
            if (answer != null && !(answer.only(SYN | ACK) && answer.ack() == ISS + 1) && !answer.has(RST)) {
                throw peer.failure("an illegal option length was answered with " + answer);
            }
        }
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.handshake();
        peer.roundTrip("still here");
    }

    /** [MUST-14]: the target sends its MSS in its SYN. */
    @OnBothTargets
    void synAckCarriesAnMssOption(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.send(syn().seq(ISS).mss(1460));
        peer.expect(tcp().flags(SYN | ACK).ack(ISS + 1).mss(), ANSWER);
    }

    /** [MUST-14]: the peer's MSS bounds every segment the target sends. */
    @OnBothTargets
    void peerMssIsHonoured(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.handshake(syn().mss(600));
        expectEchoInSegmentsOfAtMost(peer, 3000, 1000, 600);
    }

    /**
     * [MUST-15]: without an MSS option the target assumes 536 over IPv4, 1220 over IPv6 (the IPv6 minimum
     * MTU less 60). The peer sends segments of 1400 octets, which the echo sends back in segments of at most
     * that default, and at least one of exactly it: the default is assumed, not a smaller size.
     */
    @OnBothTargets
    void withoutAnMssOptionTheDefaultIsUsed(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.handshake(syn());
        int mss = target.family.defaultMss;
        Peer.Received echo = expectEchoInSegmentsOfAtMost(peer, 2800, 1400, mss);
        if (echo.segments().stream().noneMatch(segment -> segment.payload().length == mss)) {
            throw peer.failure("no echoed segment of the default MSS " + mss + " over " + target.family + ": "
                    + echo.segments().stream().map(segment -> segment.payload().length).toList());
        }
    }

    /** [MUST-65]: the MSS option appears only in SYNs: not in data, ACKs or FINs. */
    @OnBothTargets
    void mssOptionIsSentOnlyInSyns(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.handshake();
        peer.roundTrip("abc");
        peer.send(fin());
        peer.await(tcp().withFlags(FIN), ANSWER);
        for (Decoded.Tcp segment : peer.received()) {
            if (!segment.has(SYN) && segment.mss() >= 0) {
                throw peer.failure("MSS option on a segment without SYN: " + segment);
            }
        }
    }

    /** Sends {@code length} octets in segments of {@code chunk}; the echo must come in segments of at most {@code mss}. */
    private static Peer.Received expectEchoInSegmentsOfAtMost(Peer peer, int length, int chunk, int mss) {
        byte[] sent = new byte[length];
        for (int i = 0; i < length; i++) {
            sent[i] = (byte) ('a' + i % 26);
        }
        for (int offset = 0; offset < length; offset += chunk) {
            peer.send(data(java.util.Arrays.copyOfRange(sent, offset, Math.min(length, offset + chunk))));
        }
        Peer.Received echo = peer.receive(length, ANSWER);
        if (!java.util.Arrays.equals(sent, echo.bytes())) {
            throw peer.failure("the echo differs from what was sent");
        }
        for (Decoded.Tcp segment : echo.segments()) {
            if (segment.payload().length > mss) {
                throw peer.failure("segment of " + segment.payload().length + " octets for an MSS of " + mss + ": " + segment);
            }
            if (segment.mss() >= 0) {
                throw peer.failure("MSS option on a data segment [MUST-65]: " + segment);
            }
        }
        return echo;
    }
}
