package tapnet.route;

import java.nio.ByteBuffer;
import tapnet.wire.EthernetFrame;
import tapnet.wire.Ipv4Packet;

/**
 * Cuts an IPv4 datagram too big for an MTU into fragments (RFC 791 §3.2, RFC 1812 §5.2.6), one frame at a
 * time: {@link #begin} with the datagram's frame, then {@link #next} writes each fragment's frame until none
 * is left. Each fragment carries a multiple of 8 bytes of payload but the last, DF clear, the same
 * identification; options with the copy flag go into every fragment, the others into the first only. A
 * datagram that is itself a fragment is cut again: the offsets add up and MF stays on all but its true
 * last piece. Hosts use it for their large replies, routers for links of smaller MTU. Allocates nothing.
 */
public final class Ipv4Fragmenter {
    /** RFC 791: option type 0 ends the list, type 1 is a one-byte no-operation; bit 0x80 is the copy flag. */
    private static final int OPTION_END = 0;
    private static final int OPTION_NOP = 1;
    private static final int OPTION_COPIED = 0x80;
    private static final int MAX_OPTIONS = 40;

    private final Ipv4Packet datagram = new Ipv4Packet();
    private final Ipv4Packet fragment = new Ipv4Packet();
    /** The options every fragment after the first carries, padded to a multiple of 4 bytes. */
    private final byte[] copiedOptions = new byte[MAX_OPTIONS];
    private int copiedLength;
    private ByteBuffer source;
    private int frameOffset;
    private int mtu;
    private int headerLength;
    private int payloadLength;
    /** The datagram's own fragment offset and MF: a fragment cut again keeps its place in the original. */
    private int baseOffset;
    private boolean baseMoreFragments;
    private int position;

    /**
     * Prepares to cut the IPv4 datagram in the Ethernet frame at {@code offset} for links of {@code mtu} bytes;
     * false (nothing to cut) when it is no sound IPv4 packet, has DF set, fits already, or the MTU leaves
     * no room for 8 bytes of payload past its header.
     */
    public boolean begin(ByteBuffer frame, int offset, int length, int mtu) {
        if (length < EthernetFrame.HEADER_LENGTH + Ipv4Packet.MIN_HEADER_LENGTH) {
            return false;
        }
        datagram.wrap(frame, offset + EthernetFrame.HEADER_LENGTH, length - EthernetFrame.HEADER_LENGTH);
        if (datagram.check() != Ipv4Packet.Validity.VALID || datagram.dontFragment() || datagram.totalLength() <= mtu
                || mtu - datagram.headerLength() < 8) {
            return false;
        }
        this.source = frame;
        this.frameOffset = offset;
        this.mtu = mtu;
        this.headerLength = datagram.headerLength();
        this.payloadLength = datagram.payloadLength();
        this.baseOffset = datagram.fragmentOffset();
        this.baseMoreFragments = datagram.moreFragments();
        this.position = 0;
        copyOptions();
        return true;
    }

    /** Whether a fragment is left to write. */
    public boolean hasNext() {
        return position < payloadLength;
    }

    /**
     * Writes the next fragment's frame into {@code into} from index 0 and returns its length, or 0 when all
     * are written. {@code into} must not be the datagram's buffer.
     */
    public int next(ByteBuffer into) {
        if (position >= payloadLength) {
            return 0;
        }
        boolean first = position == 0;
        int header = first ? headerLength : Ipv4Packet.MIN_HEADER_LENGTH + copiedLength;
        int room = (mtu - header) & ~7;
        int length = Math.min(room, payloadLength - position);
        boolean last = position + length >= payloadLength;
        int ipAt = EthernetFrame.HEADER_LENGTH;
        into.put(0, source, frameOffset, ipAt + Ipv4Packet.MIN_HEADER_LENGTH); // Ethernet and the fixed IPv4 header
        if (first) {
            into.put(ipAt + Ipv4Packet.MIN_HEADER_LENGTH, source, datagram.offset() + Ipv4Packet.MIN_HEADER_LENGTH,
                    headerLength - Ipv4Packet.MIN_HEADER_LENGTH);
        } else {
            into.put(ipAt + Ipv4Packet.MIN_HEADER_LENGTH, copiedOptions, 0, copiedLength);
        }
        into.put(ipAt + header, source, datagram.payloadOffset() + position, length);
        fragment.wrap(into, ipAt, header + length)
                .setHeaderLength(header)
                .setTotalLength(header + length)
                .setFragment(baseOffset + position, !last || baseMoreFragments)
                .updateChecksum();
        position += length;
        return ipAt + header + length;
    }

    /** The options with the copy flag (RFC 791 §3.1), for the fragments after the first. */
    private void copyOptions() {
        copiedLength = 0;
        int at = datagram.offset() + Ipv4Packet.MIN_HEADER_LENGTH;
        int end = datagram.offset() + headerLength;
        while (at < end) {
            int type = source.get(at) & 0xff;
            if (type == OPTION_END) {
                break;
            }
            if (type == OPTION_NOP) {
                at++;
                continue;
            }
            int length = at + 1 < end ? source.get(at + 1) & 0xff : 0;
            if (length < 2 || at + length > end) {
                break; // a malformed option list: the rest is not copied
            }
            if ((type & OPTION_COPIED) != 0) {
                source.get(at, copiedOptions, copiedLength, length);
                copiedLength += length;
            }
            at += length;
        }
        while ((copiedLength & 3) != 0) {
            copiedOptions[copiedLength++] = OPTION_END;
        }
    }
}
