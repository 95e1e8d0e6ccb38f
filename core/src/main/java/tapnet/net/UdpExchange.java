package tapnet.net;

import java.nio.ByteBuffer;
import tapnet.link.HeldFrames;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.UdpDatagram;

/**
 * One datagram a {@link UdpHandler} receives, and the way to answer it: a flyweight, wrapped around each
 * datagram in turn, valid only during {@link UdpHandler#onDatagram}. The payload is read in place; a reply
 * is written straight into the outgoing frame ({@link #beginReply}, then {@link #sendReply}), so that
 * neither allocates. A reply goes from the port the datagram came to, to the port it came from.
 */
public final class UdpExchange {
    /** The longest reply {@link #reply} sends: 65,535 bytes less the IPv4 and UDP headers, in fragments beyond the MTU. */
    public static final int MAX_REPLY_LENGTH = PacketWriter.MAX_TRANSPORT_LENGTH - UdpDatagram.HEADER_LENGTH;
    /** Where an IPv4 reply's payload starts in the buffer {@link #beginReply} returns; see {@link #replyOffset}. */
    public static final int REPLY_OFFSET = PacketWriter.TRANSPORT_OFFSET + UdpDatagram.HEADER_LENGTH;

    private final PacketWriter out;
    private final Counters counters;
    private final UdpDatagram reply = new UdpDatagram();
    private long localMac;
    private long remoteMac;
    private int localAddress;
    private int remoteAddress;
    private int localPort;
    private int remotePort;
    private ByteBuffer buffer;
    private int payloadOffset;
    private int payloadLength;
    private int maxReplyLength;
    private ByteBuffer replyFrame;
    private boolean replied;
    /** Where replies sent late wait; the time the datagram arrived, which their delay counts from. */
    private final HeldFrames held;
    private long nowNanos;

    UdpExchange(PacketWriter out, Counters counters, HeldFrames held) {
        this.out = out;
        this.counters = counters;
        this.held = held;
    }

    /** Points the exchange at a received datagram; {@code maxTransport} is what one frame back can carry. */
    void wrap(long localMac, long remoteMac, int localAddress, int remoteAddress, UdpDatagram datagram, int maxTransport,
              long nowNanos) {
        this.nowNanos = nowNanos;
        this.localMac = localMac;
        this.remoteMac = remoteMac;
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
        this.localPort = datagram.destinationPort();
        this.remotePort = datagram.sourcePort();
        this.buffer = datagram.buffer();
        this.payloadOffset = datagram.payloadOffset();
        this.payloadLength = datagram.payloadLength();
        this.maxReplyLength = maxTransport - UdpDatagram.HEADER_LENGTH;
        this.replyFrame = null;
        this.replied = false;
    }

    /** After the handler: a reply begun and never sent is given back to the sink. */
    void finish() {
        if (replyFrame != null) {
            out.abandon();
            replyFrame = null;
        }
    }

    /** Where the reply's payload starts in the buffer {@link #beginReply} returns: past its family's headers. */
    public int replyOffset() {
        return PacketWriter.transportOffset(remoteAddress) + UdpDatagram.HEADER_LENGTH;
    }

    public int localAddress() {
        return localAddress;
    }

    public int localPort() {
        return localPort;
    }

    public int remoteAddress() {
        return remoteAddress;
    }

    public int remotePort() {
        return remotePort;
    }

    /** The buffer the payload is in, from {@link #payloadOffset()}; read it, do not write it. */
    public ByteBuffer buffer() {
        return buffer;
    }

    public int payloadOffset() {
        return payloadOffset;
    }

    public int payloadLength() {
        return payloadLength;
    }

    /**
     * The longest reply payload: what one frame can carry on the way back (the interface's MTU, as a host
     * whose interface has the path's smallest MTU; UDP does not fragment here, RFC 768 leaves that to IP).
     */
    public int maxReplyLength() {
        return maxReplyLength;
    }

    /**
     * Claims the frame the reply is written into: its payload goes from {@link #REPLY_OFFSET}, at most
     * {@link #maxReplyLength()} bytes. Send it with {@link #sendReply}; once per datagram.
     */
    public ByteBuffer beginReply() {
        return begin(0);
    }

    private ByteBuffer begin(int transportLength) {
        if (replied || replyFrame != null) {
            throw new IllegalStateException("one reply per datagram");
        }
        replyFrame = out.beginIp(localMac, remoteMac, remoteAddress, transportLength);
        return replyFrame;
    }

    /** Sends the reply begun with {@link #beginReply}, whose payload of {@code length} bytes is in place. */
    public void sendReply(int length) {
        send(length, maxReplyLength);
    }

    private void send(int length, int limit) {
        writeHeaders(length, limit);
        out.commitIp(localAddress, remoteAddress, Ipv4Packet.PROTOCOL_UDP, UdpDatagram.HEADER_LENGTH + length);
        replyFrame = null;
        counters.increment(Counter.UDP_DATAGRAMS_OUT);
    }

    /**
     * As {@link #sendReply}, the reply leaving {@code delayNanos} after the datagram arrived: a copy of its
     * frame waits in a bounded store, without blocking anything (a slow server). When the store is full the
     * reply (or one longer than 4 KiB) is dropped, counted as {@code udp_held_full}. Returns whether it was kept.
     */
    public boolean sendReplyAfter(int length, long delayNanos) {
        writeHeaders(length, maxReplyLength);
        int frameLength = out.writeIpHeader(localAddress, remoteAddress, Ipv4Packet.PROTOCOL_UDP,
                UdpDatagram.HEADER_LENGTH + length);
        boolean kept = held.hold(replyFrame, 0, frameLength, nowNanos + delayNanos, 0) != null;
        out.abandon();
        replyFrame = null;
        if (!kept) {
            counters.drop(DropReason.UDP_HELD_FULL);
        }
        return kept;
    }

    private void writeHeaders(int length, int limit) {
        if (replyFrame == null) {
            throw new IllegalStateException("no reply begun");
        }
        if (length < 0 || length > limit) {
            throw new IllegalArgumentException("a reply of " + length + " bytes; at most " + limit + " fit");
        }
        reply.wrap(replyFrame, PacketWriter.transportOffset(remoteAddress), UdpDatagram.HEADER_LENGTH + length)
                .write(localPort, remotePort, length, out.addressSum(localAddress, remoteAddress));
        replied = true;
    }

    /**
     * Replies with {@code length} bytes of {@code source} from {@code offset} (the received payload, for
     * echo), up to {@link #MAX_REPLY_LENGTH}: beyond the interface's MTU ({@link #maxReplyLength()}) the
     * reply leaves as fragments, as a kernel sends a long datagram.
     */
    public void reply(ByteBuffer source, int offset, int length) {
        if (length < 0 || length > MAX_REPLY_LENGTH) {
            throw new IllegalArgumentException("a reply of " + length + " bytes; at most " + MAX_REPLY_LENGTH + " fit");
        }
        begin(UdpDatagram.HEADER_LENGTH + length);
        replyFrame.put(replyOffset(), source, offset, length);
        send(length, MAX_REPLY_LENGTH);
    }
}
