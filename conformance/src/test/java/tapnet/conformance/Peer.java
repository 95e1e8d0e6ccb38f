package tapnet.conformance;

import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.FIN;
import static tapnet.wire.TcpSegment.RST;
import static tapnet.wire.TcpSegment.SYN;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import tapnet.testing.Decoded;
import tapnet.testing.FrameBuilder;
import tapnet.wire.Ipv4Address;
import tapnet.wire.Ipv6Address;

/**
 * One conversation of the fake peer with a port of the target, from a source port of its own: the test
 * sends segments and states what must come back. Keeps the peer's side of the sequence space:
 * {@link #sndNxt} (starting at {@link #ISS}), {@link #rcvNxt} and {@link #irs} (the target's ISN, from its
 * SYN-ACK). Every segment sent and received is kept in a trace that failure messages show.
 */
final class Peer implements AutoCloseable {
    /** The peer's initial sequence number. */
    static final int ISS = 1_000_000;

    private final RawPeer raw;
    private final TargetNetwork network;
    /** What this conversation runs against: the stack, and the family its segments ride on. */
    final Target target;
    final int localPort;
    /** The target's port; for a conversation the target opens, learned from its SYN. */
    int remotePort;
    private final BlockingQueue<RawPeer.Received> inbox;
    private final long startNanos = System.nanoTime();
    private final List<String> trace = new ArrayList<>();

    /** Next sequence number the peer sends. */
    int sndNxt = ISS;
    /** Next sequence number the peer expects from the target. */
    int rcvNxt;
    /** The target's initial sequence number, once its SYN-ACK came. */
    int irs;
    /** The window the peer advertises unless a segment says otherwise; never scaled. */
    int window = 65535;
    /** The window the target advertised last. */
    int targetWindow;
    private boolean synchronizedWithTarget;
    private RawPeer.Received last;
    private final List<Decoded.Tcp> received = new ArrayList<>();
    /** Whether every segment but an RST gets a timestamps option (RFC 7323 §3.2), once turned on. */
    private boolean timestamps;
    private int tsVal = 0x10000;
    private int tsRecent;
    private final List<Integer> tsValsSent = new ArrayList<>();

    Peer(RawPeer raw, TargetNetwork network, Target target, int localPort, int remotePort) {
        this.raw = raw;
        this.network = network;
        this.target = target;
        this.localPort = localPort;
        this.remotePort = remotePort;
        this.inbox = raw.subscribe(localPort);
    }

    /** Sends {@code segment}, filling in what it leaves out (see {@link Outgoing}). */
    void send(Outgoing segment) {
        int seq = segment.seq != null ? segment.seq : sndNxt;
        int ack = segment.ack != null ? segment.ack : ((segment.flags & ACK) != 0 ? rcvNxt : 0);
        int destination = segment.ipDestination != null ? segment.ipDestination : network.address();
        long[] destination6 = segment.ipDestination6 != null ? segment.ipDestination6 : network.address6();
        long destinationMac = segment.ethDestination != null ? segment.ethDestination : network.mac();
        int advertised = segment.window != null ? segment.window : window;
        FrameBuilder.Tcp builder = FrameBuilder.tcp(raw.mac, destinationMac, raw.ip, destination)
                .ports(localPort, remotePort).seq(seq).ack(ack).flags(segment.flags).window(advertised)
                .payload(segment.payload);
        if (timestamps && !segment.timestamps && segment.rawOptions == null && (segment.flags & RST) == 0) {
            segment.timestamps(++tsVal, tsRecent);
        }
        if (segment.rawOptions != null) {
            builder.rawOptions(segment.rawOptions);
        } else {
            if (segment.mss >= 0) builder.mss(segment.mss);
            if (segment.windowScale >= 0) builder.windowScale(segment.windowScale);
            if (segment.sackPermitted) builder.sackPermitted();
            if (segment.timestamps) {
                builder.timestamps(segment.tsVal, segment.tsEcr);
                tsValsSent.add(segment.tsVal);
            }
        }
        byte[] frame = inFamily(builder.build(), destination6);
        if (segment.badChecksum) {
            int checksumAt = Ipv6Frames.tcpOffset(target.family) + 16;
            frame[checksumAt + 1] ^= 0x01;
        }
        note("-> " + segment.describe(seq, ack, advertised)
                + (segment.ipDestination != null ? " to " + Ipv4Address.format(destination) : "")
                + (segment.ipDestination6 != null ? " to " + Ipv6Address.format(destination6[0], destination6[1]) : ""));
        raw.send(frame);
        if (segment.seq == null) {
            sndNxt = seq + segment.sequenceLength();
        }
    }

    /** The next segment from the target must come within {@code within} and match {@code expected}. */
    Decoded.Tcp expect(Expected expected, Duration within) {
        RawPeer.Received r = next(within);
        if (r == null) {
            throw failure("expected " + expected + " within " + within.toMillis() + " ms, got nothing");
        }
        String mismatch = expected.mismatch(r.tcp());
        if (mismatch != null) {
            throw failure("expected " + expected + "; got " + r.tcp() + ", which lacks: " + mismatch);
        }
        return r.tcp();
    }

    /** Skips segments until one matches {@code expected}; it must come within {@code within}. */
    Decoded.Tcp await(Expected expected, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            RawPeer.Received r = left > 0 ? next(Duration.ofNanos(left)) : null;
            if (r == null) {
                throw failure("expected, among what came, " + expected + " within " + within.toMillis() + " ms");
            }
            if (expected.mismatch(r.tcp()) == null) {
                return r.tcp();
            }
        }
    }

    /** Nothing may come from the target on this conversation for {@code during}. */
    void expectNothing(Duration during) {
        RawPeer.Received r = next(during);
        if (r != null) {
            throw failure("expected nothing for " + during.toMillis() + " ms; got " + r.tcp());
        }
    }

    /** For {@code during}, whatever comes from the target must match {@code allowed}. */
    void expectNothingBut(Expected allowed, Duration during) {
        long deadline = System.nanoTime() + during.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            RawPeer.Received r = left > 0 ? next(Duration.ofNanos(left)) : null;
            if (r == null) {
                return;
            }
            String mismatch = allowed.mismatch(r.tcp());
            if (mismatch != null) {
                throw failure("expected only " + allowed + " for " + during.toMillis() + " ms; got " + r.tcp());
            }
        }
    }

    /** Takes what {@code segment} brings in order (data, FIN) into {@link #rcvNxt}, as a receiver would. */
    void take(Decoded.Tcp segment) {
        int end = segment.seq() + segment.payload().length + (segment.has(FIN) ? 1 : 0);
        if (segment.seq() - rcvNxt <= 0 && end - rcvNxt > 0) {
            rcvNxt = end;
        }
    }

    /** The next segment, or null when none comes within {@code within}. Fails on an invalid frame. */
    Decoded.Tcp poll(Duration within) {
        RawPeer.Received r = next(within);
        return r == null ? null : r.tcp();
    }

    private RawPeer.Received next(Duration within) {
        RawPeer.Received r;
        try {
            r = inbox.poll(Math.max(0, within.toNanos()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (r == null) {
            return null;
        }
        last = r;
        if (r.invalid() != null) {
            note("<- INVALID " + r.invalid());
            throw failure("the target sent an invalid frame: " + r.invalid());
        }
        Decoded.Tcp t = r.tcp();
        note("<- " + t + options(t), r.atNanos());
        received.add(t);
        if (t.timestamps()) {
            tsRecent = t.tsVal();
        }
        if (t.has(SYN) && !t.has(RST)) {
            if (remotePort < 0) {
                remotePort = t.sourcePort(); // the target opens this conversation
            }
            irs = t.seq();
            rcvNxt = t.seq() + 1;
            synchronizedWithTarget = true;
        }
        if (!t.has(RST)) {
            targetWindow = t.window();
        }
        return r;
    }

    /** Every segment received on this conversation so far, in order. */
    List<Decoded.Tcp> received() {
        return List.copyOf(received);
    }

    /**
     * From now on every segment but an RST carries a timestamps option: TSval counting up from 0x10001,
     * TSecr the target's last TSval (RFC 7323 §3.2). For conversations that negotiate timestamps.
     */
    void useTimestamps() {
        timestamps = true;
    }

    /** The last TSval the target sent (TS.Recent, RFC 7323 §4.3). */
    int tsRecent() {
        return tsRecent;
    }

    /** The TSvals the peer has sent, in order. */
    List<Integer> tsValsSent() {
        return List.copyOf(tsValsSent);
    }

    /**
     * Sends {@code text} as data and takes the echo of it (acknowledging it), which must come within
     * {@link Segments#ANSWER}: the connection works, and carries exactly that.
     */
    void roundTrip(String text) {
        send(Segments.data(text));
        Received echo = receive(text.length(), Segments.ANSWER);
        if (!echo.text().equals(text)) {
            throw failure("sent " + text + ", echoed " + echo.text());
        }
    }

    /**
     * Sends data (in segments of at most 1000 bytes, within the window the target advertises) until the
     * target's receive window is zero: for a port whose service never reads ({@link Ports#HOLD}). Follows
     * the target's ACKs, so that data it dropped is sent again; {@link #sndNxt} ends at the target's
     * RCV.NXT, which then equals the right edge of its window.
     */
    void fillWindow() {
        int acked = sndNxt;
        int edge = sndNxt + targetWindow;
        for (int round = 0; round < 1000; round++) {
            int room = edge - sndNxt;
            if (room > 0) {
                send(Segments.data(new byte[Math.min(room, 1000)]));
            }
            Decoded.Tcp answer = poll(Duration.ofMillis(room > 0 ? 50 : 1000));
            if (answer == null) {
                if (room <= 0) {
                    throw failure("no ACK from the target while filling its window");
                }
                continue;
            }
            if (!answer.has(ACK) || answer.has(RST) || answer.has(SYN)) {
                throw failure("filling the window, got " + answer);
            }
            if (answer.ack() - acked >= 0) {
                acked = answer.ack();
                edge = acked + answer.window();
            }
            if (sndNxt - acked > 0 && room <= 0) {
                sndNxt = acked; // the target dropped what it could not hold: send from its RCV.NXT again
            }
            if (answer.window() == 0 && acked == sndNxt) {
                return;
            }
        }
        throw failure("the target's window did not close");
    }

    /** When the last segment received arrived ({@link System#nanoTime()}). */
    long lastArrivalNanos() {
        return last.atNanos();
    }

    /** The last segment received. */
    Decoded.Tcp lastSegment() {
        return last.tcp();
    }

    /**
     * The three-way handshake with {@code syn} (its SEQ defaults to {@link #ISS}): expects the SYN-ACK
     * (ACK = ISS + 1), sends the ACK; returns the SYN-ACK.
     */
    Decoded.Tcp handshake(Outgoing syn) {
        send(syn.seq != null ? syn : syn.seq(sndNxt));
        sndNxt = syn.seq + 1;
        Decoded.Tcp synAck = expect(Segments.tcp().flags(SYN | ACK).ack(sndNxt), Segments.ANSWER);
        send(Segments.ack());
        return synAck;
    }

    /** The handshake with a SYN carrying MSS 1460, as most stacks send (and no other option). */
    Decoded.Tcp handshake() {
        return handshake(Segments.syn().mss(1460));
    }

    /**
     * Takes {@code length} bytes of data from the target, in order, acknowledging each segment as it comes
     * (with the window {@code window}); returns the bytes and the segments that carried them. Pure ACKs and
     * retransmissions of what was taken are skipped; a gap, an RST or a SYN fails.
     */
    Received receive(int length, Duration within, int window) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        List<Decoded.Tcp> segments = new ArrayList<>();
        long deadline = System.nanoTime() + within.toNanos();
        while (data.size() < length) {
            long left = deadline - System.nanoTime();
            RawPeer.Received r = left > 0 ? next(Duration.ofNanos(left)) : null;
            if (r == null) {
                throw failure("expected " + length + " bytes within " + within.toMillis() + " ms, got " + data.size());
            }
            Decoded.Tcp t = r.tcp();
            if (t.has(RST) || t.has(SYN)) {
                throw failure("expected data, got " + t);
            }
            if (t.payload().length == 0) {
                continue;
            }
            int skip = rcvNxt - t.seq();
            if (skip < 0) {
                throw failure("expected data at " + Integer.toUnsignedString(rcvNxt) + ", got " + t);
            }
            if (skip >= t.payload().length) {
                continue; // a retransmission of what was taken already
            }
            segments.add(t);
            data.write(t.payload(), skip, t.payload().length - skip);
            rcvNxt += t.payload().length - skip;
            if (t.has(FIN)) {
                rcvNxt++;
            }
            send(Segments.ack().window(window));
        }
        return new Received(data.toByteArray(), segments);
    }

    Received receive(int length, Duration within) {
        return receive(length, within, window);
    }

    /** Data taken by {@link #receive}: the bytes and the segments that brought them. */
    record Received(byte[] bytes, List<Decoded.Tcp> segments) {
        String text() {
            return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    /** {@code ipv4Frame} as this conversation's family sends it: as built, or its segment over IPv6 to {@code destination6}. */
    private byte[] inFamily(byte[] ipv4Frame, long[] destination6) {
        return target.family == Family.IPV4 ? ipv4Frame : Ipv6Frames.fromIpv4(ipv4Frame, raw.ip6, destination6);
    }

    /** A failure that shows this conversation: every segment sent and received, and the target's state. */
    AssertionError failure(String message) {
        StringBuilder s = new StringBuilder(message).append("\n  on ").append(target).append(", peer port ")
                .append(localPort).append(" -> ").append(remotePort).append(":\n");
        int from = Math.max(0, trace.size() - 40);
        for (String line : trace.subList(from, trace.size())) {
            s.append("    ").append(line).append('\n');
        }
        String state = network.describe();
        if (!state.isEmpty()) {
            s.append("  target: ").append(state).append('\n');
        }
        if (raw.receiverFailure() != null) {
            s.append("  the peer's receiver failed: ").append(raw.receiverFailure()).append('\n');
        }
        return new AssertionError(s.toString());
    }

    private void note(String line) {
        note(line, System.nanoTime());
    }

    private void note(String line, long atNanos) {
        trace.add(String.format("%7.1f ms %s", (atNanos - startNanos) / 1e6, line));
    }

    private static String options(Decoded.Tcp t) {
        return (t.windowScale() >= 0 ? " wscale " + t.windowScale() : "") + (t.sackPermitted() ? " sackOK" : "")
                + (t.timestamps() ? " TS val " + Integer.toUnsignedString(t.tsVal()) + " ecr " + Integer.toUnsignedString(t.tsEcr()) : "");
    }

    /**
     * Ends the conversation: a connection the target may still hold (SYN-SENT, SYN-RECEIVED or open) is
     * reset, with SEQ = SND.NXT (exact, RFC 5961) and ACK = RCV.NXT (acceptable in SYN-SENT), so that it does
     * not go on retransmitting into later tests; then segments for this port are no longer filed.
     */
    @Override
    public void close() {
        try {
            if (synchronizedWithTarget) {
                raw.send(inFamily(FrameBuilder.tcp(raw.mac, network.mac(), raw.ip, network.address()).ports(localPort, remotePort)
                        .seq(sndNxt).ack(rcvNxt).flags(RST | ACK).window(0).build(), network.address6()));
            }
        } finally {
            raw.unsubscribe(localPort);
        }
    }
}
