package tapnet.net;

import java.nio.ByteBuffer;
import tapnet.collections.LongLongHashMap;
import tapnet.frame.FrameSink;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.route.Ipv4Fragmenter;
import tapnet.wire.EthernetFrame;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.Ipv6Addresses;
import tapnet.wire.Ipv6FragmentHeader;
import tapnet.wire.Ipv6Packet;

/**
 * Writes outgoing frames straight into the sink's buffer: the Ethernet and IP headers here, the transport
 * above writes its own header and payload in between, at {@link #transportOffset} of its destination:
 * {@link #TRANSPORT_OFFSET} past an IPv4 header, {@link #TRANSPORT_OFFSET_6} past an IPv6 one. Addresses
 * are {@code int}s, IPv6 ones their handles ({@link Ipv6Addresses}), so one call serves both families.
 * An IPv4 datagram larger than its host's interface MTU (an echo reply to a large ping, a long UDP reply) is written once
 * into a buffer of 64 KiB made with the writer and leaves as IPv4 fragments (RFC 791 §3.2), DF clear; TCP
 * never needs it (its segments fit the MSS) and keeps DF.
 */
public final class PacketWriter {
    /** Where the IPv4 header starts in an outgoing frame. */
    public static final int IP_OFFSET = EthernetFrame.HEADER_LENGTH;
    /** Where the transport header starts: past Ethernet and an option-less IPv4 header. */
    public static final int TRANSPORT_OFFSET = IP_OFFSET + Ipv4Packet.MIN_HEADER_LENGTH;
    /** Where the transport header starts past Ethernet and IPv6's fixed header. */
    public static final int TRANSPORT_OFFSET_6 = IP_OFFSET + Ipv6Packet.HEADER_LENGTH;
    /** The longest transport segment an IPv4 datagram carries: 65,535 bytes less an option-less header. */
    public static final int MAX_TRANSPORT_LENGTH = 65_535 - Ipv4Packet.MIN_HEADER_LENGTH;
    private static final int DEFAULT_TTL = 64;

    private final FrameSink sink;
    private final Counters counters;
    private final EthernetFrame ethernet = new EthernetFrame();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final Ipv6Packet ip6 = new Ipv6Packet();
    private final Ipv6Addresses addresses6;
    private ByteBuffer frame;
    private int identification;
    /** Where datagrams longer than one frame are written, to leave as fragments. */
    private final ByteBuffer large = ByteBuffer.allocate(TRANSPORT_OFFSET_6 + MAX_TRANSPORT_LENGTH);
    private final Ipv6FragmentHeader fragmentHeader = new Ipv6FragmentHeader();
    /** The identification of the last IPv6 datagram sent in fragments (RFC 8200 §4.5: 32 bits, per source). */
    private int identification6;
    private final Ipv4Fragmenter fragmenter = new Ipv4Fragmenter();
    /** Each host's interface MTU (absent: the frame sink's limit), so that what it sends fits its way out. */
    private final LongLongHashMap mtuByAddress = new LongLongHashMap(64, 0);
    /** No host's MTU was ever smaller: a datagram this long that fits a frame goes whole without a look-up. */
    private int smallestMtu = Integer.MAX_VALUE;

    public PacketWriter(FrameSink sink, Counters counters, Ipv6Addresses addresses6) {
        this.sink = sink;
        this.counters = counters;
        this.addresses6 = addresses6;
    }

    /** The largest transport segment (header and payload) an IPv4 frame can carry. */
    public int maxTransportLength() {
        return sink.maxFrameLength() - TRANSPORT_OFFSET;
    }

    /** The largest transport segment a frame to {@code destination} can carry. */
    public int maxTransportLength(int destination) {
        return sink.maxFrameLength() - transportOffset(destination);
    }

    /** Where the transport header goes in a frame to {@code destination}: past its family's IP header. */
    public static int transportOffset(int destination) {
        return Ipv6Addresses.isHandle(destination) ? TRANSPORT_OFFSET_6 : TRANSPORT_OFFSET;
    }

    /** The engine's IPv6 addresses, by which handles are written. */
    public Ipv6Addresses addresses6() {
        return addresses6;
    }

    /**
     * The unfolded sum of the two addresses of a pseudo-header (RFC 9293 §3.1, RFC 8200 §8.1): what TCP's
     * and UDP's checksums add their protocol and length to. IPv4 addresses or two handles.
     */
    public long addressSum(int source, int destination) {
        if (Ipv6Addresses.isHandle(source)) {
            return addresses6.sum(source) + addresses6.sum(destination);
        }
        return (source & 0xffff_ffffL) + (destination & 0xffff_ffffL);
    }

    /** Claims a frame to {@code destination} (IPv4 or IPv6); the transport goes at {@link #transportOffset}. */
    public ByteBuffer beginIp(long sourceMac, long destinationMac, int destination) {
        return begin(sourceMac, destinationMac,
                Ipv6Addresses.isHandle(destination) ? EthernetFrame.TYPE_IPV6 : EthernetFrame.TYPE_IPV4);
    }

    /** Writes the IPv4 or IPv6 header around a transport segment already in place, then sends the frame. */
    public void commitIp(int source, int destination, int protocol, int transportLength) {
        if (!Ipv6Addresses.isHandle(destination)) {
            commitIpv4(source, destination, protocol, transportLength);
            return;
        }
        writeIpv6Header(source, destination, protocol, transportLength);
        int datagram = Ipv6Packet.HEADER_LENGTH + transportLength;
        if (protocol != Ipv4Packet.PROTOCOL_TCP && (datagram > smallestMtu || frame == large)) {
            int mtu = mtu(source);
            if (datagram > mtu) {
                sendFragments6(IP_OFFSET + datagram, mtu);
                return;
            }
        }
        commit(datagram);
    }

    /**
     * Begins a datagram to {@code destination} (either family) whose transport part will be
     * {@code transportLength} bytes, up to {@link #MAX_TRANSPORT_LENGTH}: in a frame of the sink when it fits
     * one, else in the large buffer, to leave as fragments when committed.
     */
    public ByteBuffer beginIp(long sourceMac, long destinationMac, int destination, int transportLength) {
        if (!Ipv6Addresses.isHandle(destination)) {
            return beginIpv4(sourceMac, destinationMac, transportLength);
        }
        if (transportLength <= maxTransportLength(destination)) {
            return beginIp(sourceMac, destinationMac, destination);
        }
        frame = large;
        ethernet.wrap(frame, 0, EthernetFrame.HEADER_LENGTH).setDestination(destinationMac).setSource(sourceMac)
                .setEtherType(EthernetFrame.TYPE_IPV6);
        return frame;
    }

    /**
     * The IPv6 datagram in {@link #frame}, {@code length} bytes with Ethernet, as fragments for {@code mtu}
     * (RFC 8200 §4.5): each the fixed header, a Fragment header with one identification, and a multiple of
     * 8 bytes of the rest (the last what is left). Only its source fragments IPv6; no router does.
     */
    private void sendFragments6(int length, int mtu) {
        if (frame != large) {
            large.put(0, frame, 0, length); // it fit the sink's frame, not the host's MTU
            sink.abandon();
        }
        int nextHeader = large.get(IP_OFFSET + 6) & 0xff;
        int payload = length - TRANSPORT_OFFSET_6;
        int chunk = (mtu - Ipv6Packet.HEADER_LENGTH - Ipv6FragmentHeader.LENGTH) & ~7;
        identification6++;
        for (int at = 0; at < payload; at += chunk) {
            int size = Math.min(chunk, payload - at);
            frame = sink.claim();
            frame.put(0, large, 0, TRANSPORT_OFFSET_6);
            ip6.wrap(frame, IP_OFFSET, Ipv6Packet.HEADER_LENGTH).setPayloadLength(Ipv6FragmentHeader.LENGTH + size)
                    .setNextHeader(Ipv6Packet.NEXT_FRAGMENT);
            fragmentHeader.wrap(frame, TRANSPORT_OFFSET_6).writeFragmentHeader(nextHeader, at, at + size < payload, identification6);
            frame.put(TRANSPORT_OFFSET_6 + Ipv6FragmentHeader.LENGTH, large, TRANSPORT_OFFSET_6 + at, size);
            commit(Ipv6Packet.HEADER_LENGTH + Ipv6FragmentHeader.LENGTH + size);
            counters.increment(Counter.IPV6_FRAGMENTS_OUT);
        }
        frame = null;
    }

    /** As {@link #writeIpv4Header}, for either family. */
    public int writeIpHeader(int source, int destination, int protocol, int transportLength) {
        if (!Ipv6Addresses.isHandle(destination)) {
            return writeIpv4Header(source, destination, protocol, transportLength);
        }
        writeIpv6Header(source, destination, protocol, transportLength);
        return TRANSPORT_OFFSET_6 + transportLength;
    }

    private void writeIpv6Header(int source, int destination, int nextHeader, int transportLength) {
        ip6.wrap(frame, IP_OFFSET, Ipv6Packet.HEADER_LENGTH).writeHeader(transportLength, nextHeader, DEFAULT_TTL);
        addresses6.write(source, frame, IP_OFFSET + Ipv6Packet.SOURCE);
        addresses6.write(destination, frame, IP_OFFSET + Ipv6Packet.DESTINATION);
    }

    /**
     * Claims an IPv6 frame to a multicast group or from an address without a handle: the caller sets the
     * addresses on the header returned and writes the transport at {@link #TRANSPORT_OFFSET_6}.
     */
    public Ipv6Packet beginIpv6(long sourceMac, long destinationMac, int payloadLength, int nextHeader, int hopLimit) {
        begin(sourceMac, destinationMac, EthernetFrame.TYPE_IPV6);
        return ip6.wrap(frame, IP_OFFSET, Ipv6Packet.HEADER_LENGTH).writeHeader(payloadLength, nextHeader, hopLimit);
    }

    /** The smallest MTU between the host at {@code address} and the TAP (0: none), as its interface's. */
    public void interfaceMtu(int address, int mtu) {
        mtuByAddress.put(address & 0xffff_ffffL, mtu);
        if (mtu > 0) {
            smallestMtu = Math.min(smallestMtu, mtu);
        }
    }

    /** The MTU of the host at {@code address}: its interface's, and no more than one frame of the sink carries. */
    public int mtu(int address) {
        int mtu = (int) mtuByAddress.get(address & 0xffff_ffffL);
        int frameMtu = sink.maxFrameLength() - IP_OFFSET;
        return mtu <= 0 ? frameMtu : Math.min(frameMtu, mtu);
    }

    /** Claims a frame and writes its Ethernet header; the payload goes at {@link #IP_OFFSET}. */
    public ByteBuffer begin(long sourceMac, long destinationMac, int etherType) {
        frame = sink.claim();
        ethernet.wrap(frame, 0, EthernetFrame.HEADER_LENGTH)
                .setDestination(destinationMac)
                .setSource(sourceMac)
                .setEtherType(etherType);
        return frame;
    }

    /** Claims an IPv4 frame; the transport's header and payload go at {@link #TRANSPORT_OFFSET}. */
    public ByteBuffer beginIpv4(long sourceMac, long destinationMac) {
        return begin(sourceMac, destinationMac, EthernetFrame.TYPE_IPV4);
    }

    /**
     * Begins an IPv4 datagram whose transport part will be {@code transportLength} bytes, up to
     * {@link #MAX_TRANSPORT_LENGTH}: in a frame of the sink when it fits one, else in the large buffer, to
     * leave as fragments when committed.
     */
    public ByteBuffer beginIpv4(long sourceMac, long destinationMac, int transportLength) {
        if (transportLength <= maxTransportLength()) {
            return beginIpv4(sourceMac, destinationMac);
        }
        frame = large;
        ethernet.wrap(frame, 0, EthernetFrame.HEADER_LENGTH)
                .setDestination(destinationMac)
                .setSource(sourceMac)
                .setEtherType(EthernetFrame.TYPE_IPV4);
        return frame;
    }

    /** Sends a frame begun with {@link #begin} whose payload is {@code payloadLength} bytes. */
    public void commit(int payloadLength) {
        int length = EthernetFrame.HEADER_LENGTH + payloadLength;
        sink.commit(length);
        frame = null;
        counters.increment(Counter.FRAMES_OUT);
        counters.add(Counter.BYTES_OUT, length);
    }

    /** The frame begun is not sent after all (a UDP service began a reply and did not send it). */
    public void abandon() {
        if (frame != large) {
            sink.abandon();
        }
        frame = null;
    }

    /**
     * Writes the IPv4 header around a transport segment already in place, then sends the frame; or its
     * fragments, when it is no TCP segment and longer than the source's {@linkplain #mtu MTU}.
     */
    public void commitIpv4(int source, int destination, int protocol, int transportLength) {
        int length = writeIpv4Header(source, destination, protocol, transportLength);
        int datagram = Ipv4Packet.MIN_HEADER_LENGTH + transportLength;
        if (protocol != Ipv4Packet.PROTOCOL_TCP && (datagram > smallestMtu || transportLength > maxTransportLength())) {
            int mtu = mtu(source);
            if (datagram > mtu) {
                sendFragments(length, mtu);
                return;
            }
        }
        commit(datagram);
    }

    /** The datagram in {@link #frame}, {@code length} bytes with Ethernet, as fragments for {@code mtu}. */
    private void sendFragments(int length, int mtu) {
        if (frame != large) {
            large.put(0, frame, 0, length); // it fit the sink's frame, not the host's MTU
            sink.abandon();
        }
        ip.wrap(large, IP_OFFSET, length - IP_OFFSET).setFragment(0, false).updateChecksum();
        if (!fragmenter.begin(large, 0, length, mtu)) {
            return; // never: the MTU leaves room for 8 bytes past a 20-byte header (RFC 791's 68 bytes)
        }
        while (fragmenter.hasNext()) {
            frame = sink.claim();
            commit(fragmenter.next(frame) - EthernetFrame.HEADER_LENGTH);
            counters.increment(Counter.IPV4_FRAGMENTS_OUT);
        }
        frame = null;
    }

    /**
     * Writes the IPv4 header around a transport segment already in place, sending nothing: the frame is whole,
     * to be copied and sent later ({@link #send}), then {@link #abandon}ed. Returns the frame's length.
     */
    public int writeIpv4Header(int source, int destination, int protocol, int transportLength) {
        identification = (identification + 1) & 0xffff;
        ip.wrap(frame, IP_OFFSET, Ipv4Packet.MIN_HEADER_LENGTH)
                .writeHeader(identification, DEFAULT_TTL, protocol, source, destination, transportLength);
        return IP_OFFSET + Ipv4Packet.MIN_HEADER_LENGTH + transportLength;
    }

    /** Sends a whole frame written before, {@code length} bytes of {@code whole} from index 0. */
    public void send(ByteBuffer whole, int length) {
        frame = sink.claim();
        frame.put(0, whole, 0, length);
        commit(length - EthernetFrame.HEADER_LENGTH);
    }
}
