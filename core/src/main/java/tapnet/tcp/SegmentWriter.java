package tapnet.tcp;

import static tapnet.tcp.SequenceNumbers.greaterThan;
import static tapnet.tcp.SequenceNumbers.lessThan;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.RST;
import static tapnet.wire.TcpSegment.SYN;

import java.nio.ByteBuffer;
import tapnet.net.PacketWriter;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.TcpOptions;
import tapnet.wire.TcpSegment;

/**
 * Writes a connection's segments straight into outgoing frames: header, the options the handshake
 * negotiated (MSS, window scale, SACK-permitted and timestamps on SYNs; timestamps and SACK blocks after),
 * the advertised window and data from the send buffer. Also the stateless resets for segments of no
 * connection. The faults that act on what leaves (CORRUPT_AT, a WINDOW cap) come from {@link FaultInjection}.
 */
final class SegmentWriter {
    private static final int MAX_WINDOW_FIELD = 0xffff;
    private static final int TIMESTAMP_OPTION = 12;

    private final Counters counters;
    private final PacketWriter out;
    private final FaultInjection faults;
    private final TcpSegment segment = new TcpSegment();
    private final int[] sackLeft = new int[TcpOptions.MAX_SACK_BLOCKS];
    private final int[] sackRight = new int[TcpOptions.MAX_SACK_BLOCKS];

    SegmentWriter(Counters counters, PacketWriter out, FaultInjection faults) {
        this.counters = counters;
        this.out = out;
        this.faults = faults;
    }

    /** The window shift we offer: the least that lets a full buffer be advertised (RFC 7323 §2.3). */
    static int windowShiftFor(int bufferSize) {
        int shift = 0;
        while ((bufferSize >> shift) > MAX_WINDOW_FIELD && shift < 14) {
            shift++;
        }
        return shift;
    }

    /** Payload bytes one segment of {@code c} may carry: the peer's MSS less our options (RFC 9293 §3.7.1). */
    static int maxPayload(TcpConnection c) {
        return c.sendMss - (c.timestamps ? TIMESTAMP_OPTION : 0);
    }

    /**
     * Sends one segment of {@code c}: {@code seq}, {@code flags} and up to {@code dataLength} bytes taken
     * {@code dataOffset} bytes into the send buffer. Returns how many data bytes went out, which is fewer
     * when options leave less room in the frame.
     */
    int send(TcpConnection c, int seq, int flags, int dataOffset, int dataLength, long nowNanos) {
        ByteBuffer frame = out.beginIp(c.localMac, c.remoteMac, c.remoteAddress);
        int at = PacketWriter.transportOffset(c.remoteAddress);
        int optionsAt = at + TcpSegment.MIN_HEADER_LENGTH;
        int options = writeOptions(c, frame, optionsAt, flags, nowNanos);
        int headerLength = TcpSegment.MIN_HEADER_LENGTH + options;
        int length = Math.min(dataLength, out.maxTransportLength(c.remoteAddress) - headerLength);
        int window = (flags & SYN) != 0 ? synWindow(c) : advertiseWindow(c);
        segment.wrap(frame, at, headerLength + length)
                .writeHeader(c.localPort, c.remotePort, seq, (flags & ACK) != 0 ? c.rcvNxt : 0, headerLength, flags, window);
        if (length > 0) {
            c.sendBuffer.copyTo(dataOffset, frame, at + headerLength, length);
            counters.add(Counter.TCP_DATA_BYTES_OUT, length);
            faults.corrupt(c, seq, length, frame, at + headerLength);
        }
        segment.writeChecksum(out.addressSum(c.localAddress, c.remoteAddress));
        out.commitIp(c.localAddress, c.remoteAddress, Ipv4Packet.PROTOCOL_TCP, headerLength + length);
        counters.increment(Counter.TCP_SEGMENTS_OUT);
        if ((flags & ACK) != 0) {
            c.ackNow = false;
            c.ackPending = false;
            c.lastAckSent = c.rcvNxt;
        }
        if ((flags & RST) != 0) {
            counters.increment(Counter.TCP_RESETS_SENT);
        }
        return length;
    }

    private int writeOptions(TcpConnection c, ByteBuffer frame, int at, int flags, long nowNanos) {
        int start = at;
        if ((flags & SYN) != 0) {
            // MSS only ever in SYNs [MUST-65]; the rest only when we offer them (active) or the peer did (passive).
            at += TcpOptions.writeMss(frame, at, c.localMss);
            if (c.windowScaling) {
                at += TcpOptions.writeWindowScale(frame, at, c.rcvScale);
            }
            if (c.sack) {
                at += TcpOptions.writeSackPermitted(frame, at);
            }
        }
        if (c.timestamps && (flags & RST) == 0) {
            // RFC 7323 §3.2: on every non-RST segment once negotiated; TSecr echoes TS.Recent (0 in a first SYN).
            int echo = (flags & SYN) != 0 && (flags & ACK) == 0 ? 0 : c.tsRecent;
            at += TcpOptions.writeTimestamps(frame, at, timestampValue(c, nowNanos), echo);
        }
        if (c.sack && (flags & ACK) != 0 && (flags & SYN) == 0 && (c.outOfOrder.count() > 0 || c.dsackPending)) {
            at += writeSackBlocks(c, frame, at);
        }
        c.dsackPending = false; // a D-SACK is reported once (RFC 2883 §4)
        return at - start;
    }

    /**
     * RFC 2018 §4: the block holding the latest segment first, then the others; as many as fit. A D-SACK
     * (RFC 2883) for a duplicate just received comes before them all.
     */
    private int writeSackBlocks(TcpConnection c, ByteBuffer frame, int at) {
        SequenceRanges ranges = c.outOfOrder;
        int room = (TcpSegment.MAX_HEADER_LENGTH - TcpSegment.MIN_HEADER_LENGTH - (c.timestamps ? TIMESTAMP_OPTION : 0) - 4) / 8;
        int max = Math.min(room, TcpOptions.MAX_SACK_BLOCKS);
        int blocks = 0;
        if (c.dsackPending) {
            sackLeft[blocks] = c.dsackLeft;
            sackRight[blocks++] = c.dsackRight;
        }
        int latest = ranges.latest();
        if (latest >= 0 && blocks < max) {
            sackLeft[blocks] = ranges.start(latest);
            sackRight[blocks++] = ranges.end(latest);
        }
        for (int i = 0; i < ranges.count() && blocks < max; i++) {
            if (i != latest) {
                sackLeft[blocks] = ranges.start(i);
                sackRight[blocks++] = ranges.end(i);
            }
        }
        return TcpOptions.writeSack(frame, at, sackLeft, sackRight, blocks);
    }

    /** Room in the receive buffer, less what a WINDOW fault holds back (a slow reader). */
    private int receiveSpace(TcpConnection c) {
        int free = c.receiveBuffer.free();
        int cap = faults.windowCap(c);
        return cap > 0 ? Math.min(free, Math.max(0, cap - c.receiveBuffer.size())) : free;
    }

    /** TSval: a millisecond clock plus the connection's own offset (RFC 7323 §5.4). */
    static int timestampValue(TcpConnection c, long nowNanos) {
        return (int) (nowNanos / 1_000_000) + c.tsOffset;
    }

    /** The window of a SYN or SYN-ACK, never scaled (RFC 7323 §2.2). */
    private int synWindow(TcpConnection c) {
        int window = Math.min(receiveSpace(c), MAX_WINDOW_FIELD);
        c.rcvAdv = c.rcvNxt + window;
        return window;
    }

    /**
     * The window field to send. Receiver-side silly window avoidance (RFC 9293 §3.8.6.2.2): the right edge
     * moves only by at least min(buffer / 2, MSS), and never moves left. With a scale the field is rounded
     * up, so the edge the peer computes is never left of ours.
     */
    int advertiseWindow(TcpConnection c) {
        int maxWindow = MAX_WINDOW_FIELD << c.rcvScale;
        int edge = c.rcvNxt + Math.min(receiveSpace(c), maxWindow);
        int step = sillyWindowStep(c);
        if (lessThan(c.rcvAdv, c.rcvNxt)) {
            c.rcvAdv = c.rcvNxt;
        }
        if (edge - c.rcvAdv >= step || (greaterThan(edge, c.rcvAdv) && c.rcvAdv == c.rcvNxt && edge - c.rcvNxt >= step)) {
            c.rcvAdv = edge;
        }
        int window = c.rcvAdv - c.rcvNxt;
        int field = (window + (1 << c.rcvScale) - 1) >>> c.rcvScale;
        return Math.min(field, MAX_WINDOW_FIELD);
    }

    /** True when the application freed enough buffer that the peer should hear of the bigger window. */
    boolean windowUpdateDue(TcpConnection c) {
        if (!c.state.acceptsData()) {
            return false;
        }
        int maxWindow = MAX_WINDOW_FIELD << c.rcvScale;
        int edge = c.rcvNxt + Math.min(receiveSpace(c), maxWindow);
        int advertised = c.rcvAdv - c.rcvNxt;
        int step = sillyWindowStep(c);
        return edge - c.rcvAdv >= 2 * step || (advertised < step && edge - c.rcvAdv >= step);
    }

    /**
     * How far the right edge must move before it is worth telling (RFC 9293 §3.8.6.2.2): min(buffer / 2,
     * MSS), the buffer being what the window can ever reach; with a WINDOW fault that is its cap, or a cap
     * below an MSS would never open a window that once closed.
     */
    private int sillyWindowStep(TcpConnection c) {
        int cap = faults.windowCap(c);
        int buffer = cap > 0 ? Math.min(cap, c.receiveBuffer.capacity()) : c.receiveBuffer.capacity();
        return Math.max(1, Math.min(buffer / 2, c.localMss));
    }

    /** A reset answering the segment being received, addressed back to where it came from. */
    void reset(IncomingSegment incoming, int seq, int ack, int flags) {
        reset(incoming.segment, incoming.localMac, incoming.remoteMac, incoming.localAddress, incoming.remoteAddress,
                seq, ack, flags);
    }

    /** A reset answering {@code incoming}, which belongs to no connection, built from its own addresses. */
    void reset(TcpSegment incoming, long localMac, long remoteMac, int localAddress, int remoteAddress, int seq, int ack, int flags) {
        ByteBuffer frame = out.beginIp(localMac, remoteMac, remoteAddress);
        segment.wrap(frame, PacketWriter.transportOffset(remoteAddress), TcpSegment.MIN_HEADER_LENGTH)
                .writeHeader(incoming.destinationPort(), incoming.sourcePort(), seq, ack, TcpSegment.MIN_HEADER_LENGTH, flags, 0)
                .writeChecksum(out.addressSum(localAddress, remoteAddress));
        out.commitIp(localAddress, remoteAddress, Ipv4Packet.PROTOCOL_TCP, TcpSegment.MIN_HEADER_LENGTH);
        counters.increment(Counter.TCP_SEGMENTS_OUT);
        counters.increment(Counter.TCP_RESETS_SENT);
    }

    /** A SYN-ACK carrying a cookie instead of state (RFC 4987): MSS only, nothing a cookie cannot remember. */
    void cookieSynAck(TcpSegment incoming, long localMac, long remoteMac, int localAddress, int remoteAddress,
                      int cookie, int window, int mss) {
        ByteBuffer frame = out.beginIp(localMac, remoteMac, remoteAddress);
        int at = PacketWriter.transportOffset(remoteAddress);
        int options = TcpOptions.writeMss(frame, at + TcpSegment.MIN_HEADER_LENGTH, mss);
        int headerLength = TcpSegment.MIN_HEADER_LENGTH + options;
        segment.wrap(frame, at, headerLength)
                .writeHeader(incoming.destinationPort(), incoming.sourcePort(), cookie, incoming.sequenceNumber() + 1,
                        headerLength, SYN | ACK, Math.min(window, MAX_WINDOW_FIELD))
                .writeChecksum(out.addressSum(localAddress, remoteAddress));
        out.commitIp(localAddress, remoteAddress, Ipv4Packet.PROTOCOL_TCP, headerLength);
        counters.increment(Counter.TCP_SEGMENTS_OUT);
    }
}
