package tapnet.tcp;

import tapnet.collections.LongLongHashMap;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.Ipv6Addresses;
import tapnet.wire.Ipv6Packet;
import tapnet.wire.TcpOptions;
import tapnet.wire.TcpSegment;

/**
 * What a handshake settles: the MSS each side announces and the one it sends with (RFC 9293 §3.7.1),
 * window scaling and timestamps (RFC 7323) and SACK (RFC 2018), each used only when the peer offered it.
 * Also what each host announces: the configured MSS, capped by the MTU of its way out, as a host whose
 * interface has that MTU would.
 */
final class HandshakeOptions {
    private static final int MIN_SEND_MSS = 64;
    /** RFC 9293 §3.7.1: MSS = MTU less the IPv4 and TCP headers without options. */
    private static final int IPV4_AND_TCP_HEADERS = 40;
    private static final int MAX_WINDOW_SHIFT = 14;

    private final TcpConfig config;
    private final IsnGenerator isn;
    private final int maxTransportLength;
    private final int windowShift;
    /** Per local address: the MSS its interface MTU allows (MTU - 40); absent for no limit. */
    private final LongLongHashMap mssCaps = new LongLongHashMap(16, 0);

    HandshakeOptions(TcpConfig config, IsnGenerator isn, int maxTransportLength) {
        this.config = config;
        this.isn = isn;
        this.maxTransportLength = maxTransportLength;
        this.windowShift = SegmentWriter.windowShiftFor(config.bufferSize());
    }

    /** The host at {@code localAddress} sits behind links whose smallest MTU is {@code mtu} (0: no limit). */
    void interfaceMtu(int localAddress, int mtu) {
        long key = localAddress & 0xffff_ffffL;
        if (mtu <= 0) {
            mssCaps.remove(key);
        } else {
            mssCaps.put(key, mtu - IPV4_AND_TCP_HEADERS - ipv6Extra(localAddress));
        }
    }

    /**
     * The MSS the host at {@code localAddress} announces: the configured one, capped by its interface MTU;
     * over IPv6, whose header is 20 bytes longer, 20 less (MTU - 60, RFC 8200 §8.3).
     */
    int localMss(int localAddress) {
        long cap = mssCaps.get(localAddress & 0xffff_ffffL);
        int configured = config.mss() - ipv6Extra(localAddress);
        return cap == 0 ? configured : (int) Math.min(configured, cap);
    }

    /** What IPv6's header takes from a segment beyond IPv4's. */
    private static int ipv6Extra(int address) {
        return Ipv6Addresses.isHandle(address) ? Ipv6Packet.HEADER_LENGTH - Ipv4Packet.MIN_HEADER_LENGTH : 0;
    }

    /** An active open's SYN offers everything; the SYN-ACK says what the peer takes. */
    void offerAll(TcpConnection c) {
        c.windowScaling = true;
        c.rcvScale = windowShift;
        c.sack = true;
        c.timestamps = true;
        c.tsOffset = isn.timestampOffset(c.localAddress, c.localPort, c.remoteAddress, c.remotePort);
    }

    /** The options of a SYN (or SYN-ACK): each is used only when the peer offered it. */
    void takeSynOptions(TcpConnection c, TcpOptions options) {
        c.sendMss = effectiveSendMss(c, options.hasMss() ? options.mss() : TcpConfig.defaultPeerMss(c.localAddress));
        if (options.hasWindowScale()) {
            c.windowScaling = true;
            c.sndScale = Math.min(options.windowScale(), MAX_WINDOW_SHIFT); // RFC 7323 §2.3: larger shifts count as 14
            c.rcvScale = windowShift;
        } else {
            c.windowScaling = false;
            c.sndScale = 0;
            c.rcvScale = 0;
        }
        c.sack = options.sackPermitted();
        c.timestamps = options.hasTimestamps();
        if (c.timestamps) {
            c.tsRecent = options.timestampValue();
            c.tsOffset = isn.timestampOffset(c.localAddress, c.localPort, c.remoteAddress, c.remotePort);
        }
    }

    /** What {@code c} sends per segment: the peer's MSS within ours and the frame; never past the interface MTU. */
    int effectiveSendMss(TcpConnection c, int peerMss) {
        int fits = maxTransportLength - ipv6Extra(c.localAddress) - TcpSegment.MIN_HEADER_LENGTH;
        return Math.min(Math.max(MIN_SEND_MSS, Math.min(Math.min(peerMss, config.mss()), fits)), c.localMss);
    }
}
