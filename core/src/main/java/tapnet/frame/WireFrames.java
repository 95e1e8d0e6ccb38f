package tapnet.frame;

import java.nio.ByteBuffer;
import tapnet.wire.InternetChecksum;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.Ipv6Packet;
import tapnet.wire.TcpSegment;
import tapnet.wire.UdpDatagram;

/**
 * Makes the wire frames an offloaded frame stands for, the ones a kernel with every offload off would have
 * put on the wire, for links that act per frame (loss, jitter, corruption). It does what the kernel's
 * software GSO does (net/core/gso.c skb_gso_segment): inet_gso_segment and ipv6_gso_segment give every
 * wire frame the headers, its IP length and, IPv4, the next IP id; tcp_gso_segment advances the sequence
 * number, keeps FIN and PSH for the last frame and CWR for the first; __udp_gso_segment (USO) sets the UDP
 * length; each frame's TCP or UDP checksum is computed in full. A frame that is not GSO but left its
 * checksum partial (NEEDS_CSUM) is completed as skb_checksum_help does.
 *
 * <p>{@link #begin} reads a frame, {@link #next} writes its wire frames one by one into {@link #buffer()}.
 * The source frame is only read; each frame is rebuilt from it, so a caller may change the buffer's content
 * between calls. Engine thread only; no allocation after construction.
 */
public final class WireFrames {
    private static final int NETWORK = OffloadedFrame.NETWORK;
    /** RFC 768: a computed checksum of 0 is sent as all ones, 0 meaning "none" (the kernel's CSUM_MANGLED_0). */
    private static final int CHECKSUM_MANGLED_ZERO = 0xffff;

    private final ByteBuffer buffer;
    private final OffloadedFrame current = new OffloadedFrame();
    // The headers of the wire frame being made
    private final Ipv4Packet ip4 = new Ipv4Packet();
    private final Ipv6Packet ip6 = new Ipv6Packet();
    private final TcpSegment tcp = new TcpSegment();
    private final UdpDatagram udp = new UdpDatagram();
    /** For {@link #count}, so that counting does not disturb the frame being made. */
    private final OffloadedFrame probe = new OffloadedFrame();
    private ByteBuffer frame;
    private int offset;
    private int made;

    /** @param maxFrameLength the longest wire frame it makes (Ethernet header included): its scratch buffer's size */
    public WireFrames(int maxFrameLength) {
        this.buffer = ByteBuffer.allocate(maxFrameLength);
    }

    /**
     * Starts on an offloaded frame (offload != {@link Offload#NONE}) of {@code length} bytes at absolute
     * index {@code offset}; returns how many wire frames it stands for, or -1 when it cannot be made into
     * wire frames (malformed, a GSO type other than TCPv4, TCPv6 and USO, a wire frame longer than the
     * buffer): nothing is produced then, the caller counts a drop. Never throws for the frame's bytes or the
     * descriptor; throws IndexOutOfBoundsException when the region lies outside {@code frame}'s limit.
     */
    public int begin(ByteBuffer frame, int offset, int length, long offload) {
        int frames = current.read(frame, offset, length, offload, buffer.capacity());
        this.frame = frames > 0 ? frame : null;
        this.offset = offset;
        this.made = 0;
        return frames;
    }

    /**
     * Writes the next wire frame into {@link #buffer()} from index 0 and returns its length; 0 when all
     * were made (or {@link #begin} refused the frame).
     */
    public int next() {
        return next(buffer, 0);
    }

    /**
     * As {@link #next()}, into {@code out} from index {@code at} (room for the longest wire frame there): a
     * caller that gathers frames (datagrams of a batch) has them made in place, without a copy.
     */
    public int next(ByteBuffer out, int at) {
        if (frame == null || made == current.frames) {
            frame = null; // not kept beyond its last wire frame
            return 0;
        }
        int index = made++;
        return current.gso ? segment(index, out, at) : copy(out, at);
    }

    /** Where {@link #next} writes, from index 0; its capacity is the longest wire frame it makes. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /**
     * How many wire frames an offloaded frame stands for, without making them: 1 for a frame that is not
     * GSO, -1 when {@link #begin} would refuse it (this instance's buffer length included, hence not
     * static). Leaves a frame begun and not yet made whole as it was; no copying, no allocation.
     */
    public int count(ByteBuffer frame, int offset, int length, long offload) {
        return probe.read(frame, offset, length, offload, buffer.capacity());
    }

    /**
     * The bytes of the wire frames the last {@link #count} found, all together, Ethernet headers included
     * (what a link that counts bytes would see); 0 when it refused the frame.
     */
    public long countedBytes() {
        return probe.wireBytes();
    }

    private int copy(ByteBuffer out, int base) {
        int length = current.length;
        out.put(base, frame, offset, length);
        if (current.completeChecksum) {
            // skb_checksum_help: the field holds the pseudo-header's sum, which the sum from start takes in
            int start = current.checksumStart;
            int checksum = InternetChecksum.finish(InternetChecksum.add(0, out, base + start, length - start));
            out.putShort(base + current.checksumField, (short) (checksum == 0 ? CHECKSUM_MANGLED_ZERO : checksum));
        }
        return length;
    }

    private int segment(int index, ByteBuffer out, int base) {
        OffloadedFrame f = current;
        int from = index * f.segmentSize;
        int size = Math.min(f.segmentSize, f.payload - from);
        int length = f.headers + size;
        out.put(base, frame, offset, f.headers);
        out.put(base + f.headers, frame, offset + f.headers + from, size);

        int network = base + NETWORK;
        int transport = base + f.transport;
        int transportLength = length - f.transport;
        long addressSum;
        if (f.ipv6) {
            // RFC 8200 §8.1. Like tcp6_gso_segment for a frame without a partial checksum, the destination is
            // the header's, not a Routing header's final one.
            addressSum = ip6.wrap(out, network, length - NETWORK)
                    .setPayloadLength(length - NETWORK - OffloadedFrame.IPV6_HEADER_LENGTH).addressSum();
        } else {
            // inet_gso_segment numbers the frames from the GSO frame's id, unless SKB_GSO_TCP_FIXEDID, which a
            // virtio-net header cannot carry
            ip4.wrap(out, network, length - NETWORK).setTotalLength(length - NETWORK);
            addressSum = ip4.setIdentification(ip4.identification() + index).updateChecksum().addressSum();
        }
        if (f.tcp) {
            tcp.wrap(out, transport, transportLength).setSequenceNumber(tcp.sequenceNumber() + from);
            int flags = tcp.flags();
            if (index < f.frames - 1) {
                flags &= ~(TcpSegment.FIN | TcpSegment.PSH); // they belong to the end of the data
            }
            if (index > 0) {
                flags &= ~TcpSegment.CWR; // RFC 3168 §6.1.2: the window was reduced once, at the first
            }
            tcp.setFlags(flags).writeChecksum(addressSum);
        } else {
            udp.wrap(out, transport, transportLength).setDatagramLength(transportLength).writeChecksum(addressSum);
        }
        return length;
    }
}
