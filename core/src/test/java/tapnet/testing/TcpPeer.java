package tapnet.testing;

import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.FIN;
import static tapnet.wire.TcpSegment.SYN;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import tapnet.node.VirtualHost;

/**
 * The kernel's side of one TCP connection, played by a test: it crafts segments with the right ports and
 * sequence numbers, and keeps track of what the virtual host sent. Tests read like RFC rules: send this
 * segment, expect that one.
 */
public final class TcpPeer {
    public static final int ISS = 1_000_000;
    private final FrameExchange net;
    private final VirtualHost host;
    public final int localPort;
    public final int remotePort;
    /** Next sequence number we send. */
    public int sndNxt = ISS;
    /** Next sequence number we expect from the host (its ISN + 1 after the SYN-ACK). */
    public int rcvNxt;
    /** Highest acknowledgment received from the host. */
    public int sndUna = ISS;
    /** The host's last advertised window. */
    public int peerWindow;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private boolean finReceived;
    private long[] source6;
    private long[] destination6;

    TcpPeer(FrameExchange net, VirtualHost host, int localPort, int remotePort) {
        this.net = net;
        this.host = host;
        this.localPort = localPort;
        this.remotePort = remotePort;
    }

    /** Talks over IPv6 from {@code source} to the host's {@code destination} (one of its addresses). */
    public TcpPeer ipv6(long[] source, long[] destination) {
        source6 = source;
        destination6 = destination;
        return this;
    }

    /** A segment from this peer, ports filled, seq = sndNxt, ack = rcvNxt, flags ACK; change what the test needs. */
    public FrameBuilder.Tcp segment() {
        FrameBuilder.Tcp t = FrameBuilder.tcp(FrameExchange.PEER_MAC, host.mac(), FrameExchange.PEER_IP, host.address())
                .ports(localPort, remotePort).seq(sndNxt).ack(rcvNxt).flags(ACK).window(65535);
        return source6 == null ? t : t.ipv6(source6, destination6);
    }

    /** Sends a segment as built; returns the TCP segments that came back, and absorbs them. */
    public List<Decoded.Tcp> send(FrameBuilder.Tcp segment) {
        return absorb(net.send(segment.build()));
    }

    /** Sends a SYN with MSS 1460 (and advances sndNxt past it). */
    public List<Decoded.Tcp> sendSyn() {
        List<Decoded.Tcp> out = send(segment().flags(SYN).ack(0).mss(1460));
        sndNxt = ISS + 1;
        return out;
    }

    /** The whole 3-way handshake; returns the SYN-ACK, after checking that exactly one came. */
    public Decoded.Tcp connect() {
        List<Decoded.Tcp> answer = sendSyn();
        if (answer.size() != 1 || !answer.get(0).only(SYN | ACK)) {
            throw new AssertionError("expected one SYN-ACK, got " + answer);
        }
        Decoded.Tcp synAck = answer.get(0);
        List<Decoded.Tcp> afterAck = send(segment());
        if (!afterAck.isEmpty() && afterAck.stream().anyMatch(s -> s.payload().length == 0 && !s.has(FIN))) {
            throw new AssertionError("the handshake's ACK was answered with " + afterAck);
        }
        return synAck;
    }

    /** Sends data at sndNxt in one segment and advances sndNxt. */
    public List<Decoded.Tcp> sendData(byte[] data) {
        List<Decoded.Tcp> out = send(segment().payload(data));
        sndNxt += data.length;
        return out;
    }

    public List<Decoded.Tcp> sendFin() {
        List<Decoded.Tcp> out = send(segment().flags(FIN | ACK));
        sndNxt += 1;
        return out;
    }

    /** Acknowledges everything received so far. */
    public List<Decoded.Tcp> sendAck() {
        return send(segment());
    }

    /** Records what the host sent on this connection: in-order data, its FIN, its ACK and window. */
    public List<Decoded.Tcp> absorb(List<Decoded> frames) {
        List<Decoded.Tcp> mine = new ArrayList<>();
        for (Decoded d : frames) {
            Decoded.Tcp t = d.tcp();
            if (t == null || t.destinationPort() != localPort || t.sourcePort() != remotePort) {
                continue;
            }
            mine.add(t);
            if (t.has(SYN)) {
                rcvNxt = t.seq() + 1;
            } else if (t.seq() == rcvNxt) {
                received.writeBytes(t.payload());
                rcvNxt += t.payload().length;
                if (t.has(FIN)) {
                    rcvNxt += 1;
                    finReceived = true;
                }
            }
            if (t.has(ACK) && t.ack() - sndUna > 0) {
                sndUna = t.ack();
            }
            peerWindow = t.window();
        }
        return mine;
    }

    public List<Decoded.Tcp> advanceMillis(long millis) {
        return absorb(net.advanceMillis(millis));
    }

    /** Everything the host sent in order so far. */
    public byte[] received() {
        return received.toByteArray();
    }

    public boolean finReceived() {
        return finReceived;
    }

    /**
     * Streams {@code data} to the host like a well-behaved sender: segments of at most {@code mss} within the
     * host's window, acknowledging what comes back, until everything sent is acknowledged and
     * {@code expectBack} bytes have come back. Fails after a bounded number of rounds.
     */
    public void stream(byte[] data, int mss, int expectBack) {
        int offset = 0;
        int rounds = 0;
        while (offset < data.length || sndUna != sndNxt || received.size() < expectBack) {
            if (++rounds > 10 * (data.length / Math.max(1, mss) + expectBack / 536 + 100)) {
                throw new AssertionError("stream stalled: sent " + offset + "/" + data.length + ", acked to "
                        + (sndUna - ISS - 1) + ", received " + received.size() + "/" + expectBack + ", window " + peerWindow);
            }
            int inFlight = sndNxt - sndUna;
            int room = peerWindow - inFlight;
            int n = Math.min(Math.min(mss, room), data.length - offset);
            if (n > 0) {
                byte[] chunk = java.util.Arrays.copyOfRange(data, offset, offset + n);
                sendData(chunk);
                offset += n;
            } else {
                sendAck();
            }
        }
        sendAck();
    }
}
