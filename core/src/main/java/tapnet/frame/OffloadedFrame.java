package tapnet.frame;

import java.nio.ByteBuffer;
import java.util.Objects;
import tapnet.wire.EthernetFrame;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.TcpSegment;
import tapnet.wire.UdpDatagram;

/**
 * Where the headers and the payload of an offloaded frame lie and how many wire frames it stands for: what
 * {@link WireFrames} reads before it makes them. {@link #read} refuses what the kernel's GSO code refuses
 * (inet_gso_segment, ipv6_gso_segment, tcp_gso_segment, __udp_gso_segment; skb_checksum_help for a frame
 * that is not GSO) and what tapnet cannot describe (VLAN tags, UFO). One instance is read again for every
 * frame, without allocation. Offsets are from the Ethernet header's first byte, as csum_start is.
 */
final class OffloadedFrame {
    static final int NETWORK = EthernetFrame.HEADER_LENGTH;
    static final int IPV6_HEADER_LENGTH = 40;

    private static final int IPV6_PAYLOAD_LENGTH = 4;
    private static final int IPV6_NEXT_HEADER = 6;
    private static final int TCP_CHECKSUM = TcpSegment.CHECKSUM_OFFSET;
    private static final int UDP_CHECKSUM = 6;
    // RFC 8200 §4.3-4.6: the extension headers ipv6_gso_pull_exthdrs steps over, each (length + 1) × 8 bytes
    private static final int IPV6_HOP_BY_HOP = 0;
    private static final int IPV6_ROUTING = 43;
    private static final int IPV6_DESTINATION_OPTIONS = 60;

    /** Whether the frame stands for wire frames of {@link #segmentSize} payload bytes; if not, it is copied. */
    boolean gso;
    /** Not GSO: its checksum is completed, from {@link #checksumStart} and stored at {@link #checksumField}. */
    boolean completeChecksum;
    int checksumStart;
    int checksumField;
    /** Not GSO: the frame's length. */
    int length;

    boolean ipv6;
    boolean tcp;
    /** IPv4: the IP header's length, options included. */
    int networkHeaderLength;
    /** Where the TCP or UDP header starts. */
    int transport;
    /** Bytes of headers (Ethernet to TCP or UDP, options and IPv6 extension headers included) before the payload. */
    int headers;
    /** Payload bytes of the GSO frame, all wire frames together. */
    int payload;
    int segmentSize;
    /** How many wire frames it stands for. */
    int frames;

    private final EthernetFrame ethernet = new EthernetFrame();
    private final Ipv4Packet ipv4 = new Ipv4Packet();
    private final TcpSegment tcpSegment = new TcpSegment();
    private final UdpDatagram udp = new UdpDatagram();

    /**
     * Reads the frame at {@code offset} ({@code length} bytes) whose virtio-net header said {@code offload};
     * returns how many wire frames it stands for, or -1 when it cannot be made into wire frames no longer than
     * {@code maxFrameLength}. Throws only when the region lies outside {@code frame}'s limit.
     */
    int read(ByteBuffer frame, int offset, int length, long offload, int maxFrameLength) {
        Objects.checkFromIndexSize(offset, length, frame.limit());
        frames = -1;
        int type = Offload.gsoType(offload) & ~Offload.GSO_ECN;
        boolean needsChecksum = Offload.needsChecksum(offload);
        checksumStart = Offload.checksumStart(offload);
        checksumField = checksumStart + Offload.checksumOffset(offload);
        gso = type != Offload.GSO_NONE;
        if (length < NETWORK) {
            return -1; // not even a whole Ethernet header
        }
        if (!gso) {
            // skb_checksum_help: the start and the 2-byte field must lie inside the frame
            completeChecksum = needsChecksum;
            this.length = length;
            boolean inside = !needsChecksum || checksumStart < length && checksumField + 2 <= length;
            return frames = inside && length <= maxFrameLength ? 1 : -1;
        }
        completeChecksum = false;
        tcp = type == Offload.GSO_TCPV4 || type == Offload.GSO_TCPV6;
        if (!tcp && type != Offload.GSO_UDP_L4) {
            return -1; // UFO (IP fragments) and unknown types
        }
        int end = readNetwork(frame, offset, length, type);
        if (end < 0) {
            return -1;
        }
        if (needsChecksum && (checksumStart != transport || checksumField - checksumStart != (tcp ? TCP_CHECKSUM : UDP_CHECKSUM))) {
            return -1; // tcp_gso_segment, __udp_gso_segment: the checksum must start at the transport header
        }
        int transportHeader;
        if (tcp) {
            if (transport + TcpSegment.MIN_HEADER_LENGTH > end) {
                return -1;
            }
            transportHeader = tcpSegment.wrap(frame, offset + transport, end - transport).headerLength();
            if (transportHeader < TcpSegment.MIN_HEADER_LENGTH) {
                return -1;
            }
        } else {
            transportHeader = UdpDatagram.HEADER_LENGTH;
            if (transport + transportHeader > end || udp.wrap(frame, offset + transport, end - transport).datagramLength() != end - transport) {
                return -1; // a UDP length that disagrees with the IP header's
            }
        }
        headers = transport + transportHeader;
        payload = end - headers;
        segmentSize = Offload.gsoSize(offload);
        if (payload <= 0 || segmentSize == 0 || headers + Math.min(segmentSize, payload) > maxFrameLength) {
            return -1;
        }
        return frames = (payload + segmentSize - 1) / segmentSize;
    }

    /** The bytes of all its wire frames together, after {@link #read}; 0 when read refused the frame. */
    long wireBytes() {
        if (frames <= 0) {
            return 0;
        }
        return gso ? (long) frames * headers + payload : length;
    }

    /**
     * Reads the IP header (and IPv6 extension headers) the GSO type asks for; sets {@link #ipv6},
     * {@link #networkHeaderLength} and {@link #transport}, returns where the IP packet ends or -1.
     */
    private int readNetwork(ByteBuffer frame, int offset, int length, int type) {
        int etherType = ethernet.wrap(frame, offset, length).etherType();
        int protocol;
        int end;
        if (etherType == EthernetFrame.TYPE_IPV4 && type != Offload.GSO_TCPV6) {
            ipv6 = false;
            if (length < NETWORK + Ipv4Packet.MIN_HEADER_LENGTH) {
                return -1;
            }
            ipv4.wrap(frame, offset + NETWORK, length - NETWORK);
            networkHeaderLength = ipv4.headerLength();
            end = NETWORK + ipv4.totalLength();
            if (ipv4.version() != 4 || networkHeaderLength < Ipv4Packet.MIN_HEADER_LENGTH
                    || end < NETWORK + networkHeaderLength || end > length) {
                return -1;
            }
            protocol = ipv4.protocol();
            transport = NETWORK + networkHeaderLength;
        } else if (etherType == EthernetFrame.TYPE_IPV6 && type != Offload.GSO_TCPV4) {
            ipv6 = true;
            if (length < NETWORK + IPV6_HEADER_LENGTH || u8(frame, offset + NETWORK) >>> 4 != 6) {
                return -1;
            }
            int payloadLength = u16(frame, offset + NETWORK + IPV6_PAYLOAD_LENGTH);
            end = NETWORK + IPV6_HEADER_LENGTH + payloadLength;
            if (payloadLength == 0 || end > length) {
                return -1; // 0 is a jumbogram's (RFC 2675), which no TAP frame can be
            }
            protocol = u8(frame, offset + NETWORK + IPV6_NEXT_HEADER);
            transport = NETWORK + IPV6_HEADER_LENGTH;
            while (protocol == IPV6_HOP_BY_HOP || protocol == IPV6_ROUTING || protocol == IPV6_DESTINATION_OPTIONS) {
                if (transport + 8 > end) {
                    return -1;
                }
                protocol = u8(frame, offset + transport);
                transport += (u8(frame, offset + transport + 1) + 1) * 8;
            }
        } else {
            return -1; // another EtherType, VLAN tags included, or an IP version the GSO type does not match
        }
        return protocol == (tcp ? Ipv4Packet.PROTOCOL_TCP : Ipv4Packet.PROTOCOL_UDP) ? end : -1;
    }

    private static int u8(ByteBuffer frame, int at) {
        return frame.get(at) & 0xff;
    }

    private static int u16(ByteBuffer frame, int at) {
        return frame.getShort(at) & 0xffff;
    }
}
