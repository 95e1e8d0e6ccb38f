package tapnet.frame;

import java.nio.ByteBuffer;
import tapnet.wire.EthernetFrame;
import tapnet.wire.InternetChecksum;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.Ipv6Packet;
import tapnet.wire.TcpSegment;

/**
 * Joins consecutive wire frames that are TCP segments of one flow into one GSO frame, as the kernel's GRO
 * does (net/ipv4/tcp_offload.c tcp_gro_receive, inet_gro_receive, ipv6_gro_receive): a batch of 45 segments
 * read at once becomes one frame that a TAP with offloads takes in one write, and that {@link WireFrames}
 * cuts back into the same segments for whoever needs wire frames. A segment joins the flow held when it
 * has the same Ethernet header, IP header (but for the IPv4 length, checksum and an id one higher; IPv6:
 * the payload length) and TCP header (ports, ACK number, header length, window, options: byte for byte)
 * but for the sequence number, which must follow on; when it carries ACK alone, or ACK and PSH (which ends
 * the flow, as does a segment shorter than the first); when its payload is no longer than the first's;
 * and when its checksums are right (what GRO checks before it vouches for a frame; the joined frame's TCP
 * checksum is left partial, as a port's kernel hands one over). IPv4 without options or fragments, IPv6
 * without extension headers. Anything else ends the flow held, then goes on alone, unchanged.
 *
 * <p>{@link #add} takes the frames of a batch in order, {@link #flush} ends the batch: each frame or
 * joined frame goes to the {@link Delivery} given at construction, in order. A flow of one segment goes on
 * as it was, from where it lay, without a copy; the frames a flow is joined from are only read. Engine
 * thread only; no allocation after construction.
 */
public final class TcpCoalescer {
    /** Where each frame or joined frame goes, with its {@link Offload}. */
    @FunctionalInterface
    public interface Delivery {
        void frame(ByteBuffer buffer, int offset, int length, long offload);
    }

    /** The largest IPv4 packet, and IPv6 payload: what a joined frame may reach. */
    private static final int MAX_IP_LENGTH = 0xffff;
    private static final int NETWORK = EthernetFrame.HEADER_LENGTH;
    private static final int IPV6_HEADER_LENGTH = Ipv6Packet.HEADER_LENGTH;
    // Where the fields compared byte for byte lie in their headers: judged as ranges, not read one by one
    private static final int IPV4_FLAGS_TO_PROTOCOL = 6;
    private static final int IPV4_ADDRESSES = 12;
    private static final int IPV6_NEXT_HEADER_TO_ADDRESSES = 6;
    private static final int TCP_ACK = 8;
    private static final int TCP_DATA_OFFSET = 12;
    private static final int TCP_WINDOW = 14;
    /** Room before the joined frame, so that a TAP's sink writes its virtio-net header there, without a copy. */
    private static final int ROOM = VirtioNetHeader.LENGTH;

    private final Delivery delivery;
    // The segment just read by eligible(): add() reads it through these until the next one
    private final EthernetFrame ethernet = new EthernetFrame();
    private final Ipv4Packet ip4 = new Ipv4Packet();
    private final Ipv6Packet ip6 = new Ipv6Packet();
    private final TcpSegment tcp = new TcpSegment();
    // The joined frame's headers: flyweights of their own, as the segment just read keeps its own
    private final Ipv4Packet joinedIp4 = new Ipv4Packet();
    private final Ipv6Packet joinedIp6 = new Ipv6Packet();
    private final TcpSegment joinedTcp = new TcpSegment();
    /** The joined frame, from {@link #ROOM}: direct, as a ring slot, for a TAP's write. */
    private final ByteBuffer joined;

    // The segment just read by eligible()
    private boolean ipv6;
    private int transport;
    private int headers;
    private int payload;
    private int flags;

    // The flow held: its first segment where it lies until a second joins, then the joined frame
    private int count;
    private ByteBuffer first;
    private int firstOffset;
    private int firstLength;
    private boolean heldIpv6;
    private int heldTransport;
    private int heldHeaders;
    private int mss;
    private int nextSequence;
    private int nextId;
    private int joinedLength;
    /** The flow ended (PSH, a short segment): the next segment starts another. */
    private boolean ended;

    public TcpCoalescer(Delivery delivery) {
        this.delivery = delivery;
        this.joined = ByteBuffer.allocateDirect(ROOM + NETWORK + IPV6_HEADER_LENGTH + MAX_IP_LENGTH);
    }

    /** The next frame of the batch, {@code length} bytes at absolute index {@code offset}, a wire frame. */
    public void add(ByteBuffer frame, int offset, int length) {
        if (!eligible(frame, offset, length)) {
            flush();
            delivery.frame(frame, offset, length, Offload.NONE);
            return;
        }
        if (count > 0 && !ended && joins(frame, offset)) {
            append(frame, offset);
        } else {
            flush();
            hold(frame, offset, length);
        }
        if ((flags & TcpSegment.PSH) != 0 || payload < mss) {
            ended = true;
        }
    }

    /** The batch ended: what is held goes on, joined or alone. */
    public void flush() {
        int segments = count;
        count = 0;
        if (segments == 1) {
            ByteBuffer frame = first;
            first = null;
            delivery.frame(frame, firstOffset, firstLength, Offload.NONE);
        } else if (segments > 1) {
            delivery.frame(joined, ROOM, finishJoined(), Offload.of(Offload.FLAG_NEEDS_CSUM,
                    heldIpv6 ? Offload.GSO_TCPV6 : Offload.GSO_TCPV4, mss, heldTransport, TcpSegment.CHECKSUM_OFFSET));
        }
    }

    /**
     * Whether the frame is a TCP segment that may be joined: IPv4 without options or fragments, or IPv6
     * without extension headers; its IP length the frame's; flags ACK or ACK and PSH; some payload; IPv4
     * header and TCP checksums right. Reads its layout into the fields.
     */
    private boolean eligible(ByteBuffer frame, int offset, int length) {
        if (length < NETWORK + Ipv4Packet.MIN_HEADER_LENGTH + TcpSegment.MIN_HEADER_LENGTH) {
            return false;
        }
        int etherType = ethernet.wrap(frame, offset, length).etherType();
        long pseudoHeader;
        if (etherType == EthernetFrame.TYPE_IPV4) {
            ip4.wrap(frame, offset + NETWORK, length - NETWORK);
            // version 4 with a 20-byte header, TCP, not a fragment (DF alone may be set), header checksum right
            if (ip4.version() != 4 || ip4.headerLength() != Ipv4Packet.MIN_HEADER_LENGTH
                    || ip4.protocol() != Ipv4Packet.PROTOCOL_TCP || ip4.isFragment() || ip4.reservedFlag()
                    || ip4.totalLength() != length - NETWORK || ip4.check() != Ipv4Packet.Validity.VALID) {
                return false;
            }
            ipv6 = false;
            transport = NETWORK + Ipv4Packet.MIN_HEADER_LENGTH;
            pseudoHeader = InternetChecksum.pseudoHeader(ip4.source(), ip4.destination(), Ipv4Packet.PROTOCOL_TCP,
                    length - transport);
        } else if (etherType == EthernetFrame.TYPE_IPV6) {
            ip6.wrap(frame, offset + NETWORK, length - NETWORK);
            if (length < NETWORK + IPV6_HEADER_LENGTH + TcpSegment.MIN_HEADER_LENGTH || ip6.version() != 6
                    || ip6.nextHeader() != Ipv6Packet.NEXT_TCP || ip6.payloadLength() != length - NETWORK - IPV6_HEADER_LENGTH) {
                return false;
            }
            ipv6 = true;
            transport = NETWORK + IPV6_HEADER_LENGTH;
            pseudoHeader = ip6.pseudoHeader(Ipv6Packet.NEXT_TCP, length - transport);
        } else {
            return false;
        }
        tcp.wrap(frame, offset + transport, length - transport);
        int headerLength = tcp.headerLength();
        headers = transport + headerLength;
        payload = length - headers;
        flags = tcp.flags();
        return headerLength >= TcpSegment.MIN_HEADER_LENGTH && payload > 0
                && (flags == TcpSegment.ACK || flags == (TcpSegment.ACK | TcpSegment.PSH))
                && InternetChecksum.finish(InternetChecksum.add(pseudoHeader, frame, offset + transport, length - transport)) == 0;
    }

    /** Whether the segment just read follows the flow held (see the class comment), and fits the joined frame. */
    private boolean joins(ByteBuffer frame, int offset) {
        int ipLength = (count == 1 ? firstLength : joinedLength) + payload - NETWORK - (ipv6 ? IPV6_HEADER_LENGTH : 0);
        if (ipv6 != heldIpv6 || headers != heldHeaders || payload > mss || ipLength > MAX_IP_LENGTH
                || tcp.sequenceNumber() != nextSequence) {
            return false;
        }
        ByteBuffer held = count == 1 ? first : joined;
        int at = count == 1 ? firstOffset : ROOM;
        int ip = NETWORK;
        if (!same(frame, offset, held, at, 0, NETWORK)) {
            return false;
        }
        if (ipv6) {
            // version, traffic class, flow label; next header, hop limit, addresses
            if (!same(frame, offset, held, at, ip, 4)
                    || !same(frame, offset, held, at, ip + IPV6_NEXT_HEADER_TO_ADDRESSES, IPV6_HEADER_LENGTH - IPV6_NEXT_HEADER_TO_ADDRESSES)) {
                return false;
            }
        } else if (ip4.identification() != nextId
                || !same(frame, offset, held, at, ip, 2) || !same(frame, offset, held, at, ip + IPV4_FLAGS_TO_PROTOCOL, 4)
                || !same(frame, offset, held, at, ip + IPV4_ADDRESSES, 8)) {
            return false; // TOS, DF, TTL, protocol, addresses; the id one higher than the last
        }
        int tcp = transport;
        // ports; ACK number; header length and window (flags were judged); options
        return same(frame, offset, held, at, tcp, 4) && same(frame, offset, held, at, tcp + TCP_ACK, 4)
                && frame.get(offset + tcp + TCP_DATA_OFFSET) == held.get(at + tcp + TCP_DATA_OFFSET)
                && frame.getShort(offset + tcp + TCP_WINDOW) == held.getShort(at + tcp + TCP_WINDOW)
                && same(frame, offset, held, at, tcp + TcpSegment.MIN_HEADER_LENGTH, headers - tcp - TcpSegment.MIN_HEADER_LENGTH);
    }

    /** Starts a flow with the segment just read, left where it lies. */
    private void hold(ByteBuffer frame, int offset, int length) {
        count = 1;
        first = frame;
        firstOffset = offset;
        firstLength = length;
        heldIpv6 = ipv6;
        heldTransport = transport;
        heldHeaders = headers;
        mss = payload;
        ended = false;
        nextSequence = tcp.sequenceNumber() + payload;
        nextId = ipv6 ? 0 : (ip4.identification() + 1) & 0xffff;
    }

    /** Adds the segment just read to the joined frame: its payload, and PSH when it has it. */
    private void append(ByteBuffer frame, int offset) {
        if (count == 1) {
            joined.put(ROOM, first, firstOffset, firstLength);
            joinedLength = firstLength;
            first = null;
        }
        joined.put(ROOM + joinedLength, frame, offset + headers, payload);
        joinedLength += payload;
        if ((flags & TcpSegment.PSH) != 0) {
            joinedTcp.wrap(joined, ROOM + heldTransport, joinedLength - heldTransport);
            joinedTcp.setFlags(joinedTcp.flags() | TcpSegment.PSH);
        }
        count++;
        nextSequence += payload;
        nextId = (nextId + 1) & 0xffff;
    }

    /**
     * Sets the joined frame's IP length (and IPv4 header checksum) and leaves its TCP checksum partial: the
     * pseudo-header's sum, folded and not complemented; returns its length.
     */
    private int finishJoined() {
        int ip = ROOM + NETWORK;
        int tcpLength = joinedLength - heldTransport;
        long pseudoHeader;
        if (heldIpv6) {
            pseudoHeader = joinedIp6.wrap(joined, ip, joinedLength - NETWORK).setPayloadLength(joinedLength - NETWORK - IPV6_HEADER_LENGTH)
                    .pseudoHeader(Ipv6Packet.NEXT_TCP, tcpLength);
        } else {
            joinedIp4.wrap(joined, ip, joinedLength - NETWORK).setTotalLength(joinedLength - NETWORK).updateChecksum();
            pseudoHeader = InternetChecksum.pseudoHeader(joinedIp4.source(), joinedIp4.destination(), Ipv4Packet.PROTOCOL_TCP,
                    tcpLength);
        }
        joinedTcp.wrap(joined, ROOM + heldTransport, tcpLength).writePartialChecksum(pseudoHeader);
        return joinedLength;
    }

    /** Whether {@code length} bytes from {@code from} are the same in both frames. */
    private static boolean same(ByteBuffer a, int aOffset, ByteBuffer b, int bOffset, int from, int length) {
        int aAt = aOffset + from;
        int bAt = bOffset + from;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            if (a.getLong(aAt + i) != b.getLong(bAt + i)) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (a.get(aAt + i) != b.get(bAt + i)) {
                return false;
            }
        }
        return true;
    }
}
