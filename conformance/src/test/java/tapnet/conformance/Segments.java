package tapnet.conformance;

import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.FIN;
import static tapnet.wire.TcpSegment.PSH;
import static tapnet.wire.TcpSegment.RST;
import static tapnet.wire.TcpSegment.SYN;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The words of the scenarios: {@code peer.send(syn().seq(ISS).mss(1460))},
 * {@code peer.expect(tcp().flags(SYN | ACK).ack(ISS + 1), seconds(1))}, {@code peer.expectNothing(millis(300))}.
 */
final class Segments {
    /**
     * How long "nothing comes back" is watched. Both targets answer a segment that calls for an answer
     * (RST, ACK of an unacceptable segment, SYN-ACK, challenge ACK) at once, in well under a millisecond on
     * a veth or TAP; 300 ms is hundreds of times that, and short of every timer that could send something
     * legitimately (the 1 s initial RTO, Linux's 200 ms minimum RTO is only armed for data in flight).
     */
    static final Duration SILENCE = Duration.ofMillis(300);
    /** Waiting for an answer that must come: generous, since a slow CI machine must not fail the test. */
    static final Duration ANSWER = Duration.ofSeconds(2);

    private Segments() {
    }

    static Outgoing syn() {
        return new Outgoing(SYN);
    }

    static Outgoing ack() {
        return new Outgoing(ACK);
    }

    static Outgoing rst() {
        return new Outgoing(RST);
    }

    static Outgoing rstAck() {
        return new Outgoing(RST | ACK);
    }

    static Outgoing fin() {
        return new Outgoing(FIN | ACK);
    }

    static Outgoing data(String text) {
        return new Outgoing(PSH | ACK).payload(text.getBytes(StandardCharsets.US_ASCII));
    }

    static Outgoing data(byte[] bytes) {
        return new Outgoing(PSH | ACK).payload(bytes);
    }

    static Outgoing segment(int flags) {
        return new Outgoing(flags);
    }

    static Expected tcp() {
        return new Expected();
    }

    static Duration millis(long value) {
        return Duration.ofMillis(value);
    }

    static Duration seconds(long value) {
        return Duration.ofSeconds(value);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
