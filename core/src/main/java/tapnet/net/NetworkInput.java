package tapnet.net;

import java.nio.ByteBuffer;
import tapnet.node.HostTable;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;
import tapnet.wire.ArpPacket;
import tapnet.wire.EthernetFrame;
import tapnet.wire.IcmpMessage;
import tapnet.wire.Icmpv6Message;
import tapnet.wire.Ipv4Address;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.Ipv6Addresses;

/**
 * The virtual hosts' network layer: takes an Ethernet frame, answers ARP and ICMP echo, hands UDP to its
 * services ({@link UdpInput}) and refuses it at ports nobody serves, and hands TCP to the transport. Everything it cannot use is counted under a reason.
 * It also sends the hosts' own pings and hands their replies (or ICMP errors quoting them) to the caller;
 * a stopped host hears nothing.
 */
public final class NetworkInput {
    private static final int UNREACHABLE_QUOTE = 8; // RFC 792: the IP header and 64 bits of the datagram

    private final HostTable hosts;
    private final NeighborTable neighbors;
    private final Counters counters;
    private final PacketWriter out;
    private TcpReceiver tcp;

    private final EthernetFrame ethernet = new EthernetFrame();
    private final ArpPacket arp = new ArpPacket();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final IcmpMessage icmp = new IcmpMessage();
    private final UdpInput udp;
    private final UdpOutput udpOut;
    private final Ipv6Input ipv6;
    private final ArpPacket arpOut = new ArpPacket();
    private final IcmpMessage icmpOut = new IcmpMessage();
    private final Ipv4Packet quoted = new Ipv4Packet();
    private final EthernetFrame quotedFrame = new EthernetFrame();
    private final HostPings pings;
    private final Ipv4Reassembly fragments;
    private long now;
    /** The frame's TCP/UDP checksums were vouched for by its device (virtio-net offload): not checked again. */
    private boolean checksumsVerified;
    /** The host the IPv4 packet being handled is for: TCP may answer it with ICMP through us. */
    private VirtualHost currentHost;

    public NetworkInput(HostTable hosts, NeighborTable neighbors, Counters counters, PacketWriter out, TcpReceiver tcp) {
        this(hosts, neighbors, counters, out);
        this.tcp = tcp;
    }

    /**
     * A network layer whose TCP comes later ({@link #carryTcpTo}): the TCP stack is made with this layer
     * under it, to ask for ARP and send port unreachables.
     */
    public NetworkInput(HostTable hosts, NeighborTable neighbors, Counters counters, PacketWriter out) {
        this.hosts = hosts;
        this.neighbors = neighbors;
        this.counters = counters;
        this.out = out;
        this.udp = new UdpInput(counters, out);
        this.udpOut = new UdpOutput(out, counters);
        this.pings = new HostPings(out, this::requestArp);
        FragmentReassembly reassembly = new FragmentReassembly(); // one bound for both families' fragments
        this.fragments = new Ipv4Reassembly(reassembly, counters);
        this.ipv6 = new Ipv6Input(hosts, neighbors, counters, out, udp, this::learned, pings,
                new Ipv6Reassembly(reassembly, counters));
    }

    /** Serves UDP {@code port} of {@code host} with {@code handler}. Before the first frame. */
    public void listenUdp(VirtualHost host, int port, UdpHandler handler) {
        udp.listen(host.address(), port, handler);
    }

    /** Sends the UDP replies services held until {@code nowNanos} (a late answer's time has come). */
    public void releaseHeldReplies(long nowNanos) {
        udp.releaseDue(nowNanos);
    }

    /** When the next held UDP reply is due, or {@link tapnet.time.Deadline#NONE}. */
    public long nextHeldReply() {
        return udp.nextRelease();
    }

    /**
     * Drops the datagrams whose fragments did not all come within 30 s; when the first had come, its host
     * answers ICMP time exceeded, fragment reassembly time exceeded (RFC 792 type 11 code 1), quoting it.
     */
    public void expireFragments(long nowNanos) {
        for (int slot; (slot = fragments.expired(nowNanos)) >= 0; fragments.forget(slot)) {
            VirtualHost host = hosts.byAddress(fragments.destination(slot));
            if (host != null && Ipv6Addresses.isHandle(fragments.destination(slot))) {
                ipv6.reassemblyTimedOut(host, slot); // RFC 8200 §4.5: ICMPv6 time exceeded, code 1
            } else if (fragments.answerable(slot) && host != null && !hosts.isStopped(host)) {
                sendError(host, fragments.buffer(slot), fragments.quoteOffset(slot), fragments.quoteLength(slot),
                        IcmpMessage.TYPE_TIME_EXCEEDED, IcmpMessage.CODE_REASSEMBLY_TIME_EXCEEDED, 0);
                counters.increment(Counter.ICMP_TIME_EXCEEDED);
            }
        }
    }

    /** When the next datagram in reassembly times out, or {@link tapnet.time.Deadline#NONE}. */
    public long nextFragmentTimeout() {
        return fragments.nextDeadline();
    }

    /** Where TCP segments for the hosts go. Before the first frame. */
    public void carryTcpTo(TcpReceiver receiver) {
        this.tcp = receiver;
    }

    /** One frame from the wire. Never throws for anything the frame contains. */
    public void receive(ByteBuffer buffer, int offset, int length, boolean checksumsVerified, long nowNanos) {
        this.now = nowNanos;
        this.checksumsVerified = checksumsVerified;
        ethernet.wrap(buffer, offset, length);
        if (!ethernet.isComplete()) {
            counters.drop(DropReason.ETHERNET_TRUNCATED);
            return;
        }
        switch (ethernet.etherType()) {
            case EthernetFrame.TYPE_ARP -> receiveArp();
            case EthernetFrame.TYPE_IPV4 -> receiveIpv4(nowNanos);
            case EthernetFrame.TYPE_IPV6 -> ipv6.receive(ethernet, tcp, checksumsVerified, nowNanos);
            default -> counters.drop(DropReason.ETHERTYPE_UNSUPPORTED);
        }
    }

    /** RFC 826: learn the sender, answer requests for our addresses. */
    private void receiveArp() {
        arp.wrap(ethernet.buffer(), ethernet.payloadOffset(), ethernet.payloadLength());
        if (!arp.isValidEthernetIpv4()) {
            counters.drop(DropReason.ARP_MALFORMED);
            return;
        }
        VirtualHost host = hosts.byAddress(arp.targetIp());
        if (host != null && hosts.isStopped(host)) {
            counters.drop(DropReason.HOST_STOPPED); // silent: it neither answers nor learns
            return;
        }
        // 0.0.0.0 is an address probe (RFC 5227), nothing to learn; a sender off the segment is no neighbour
        if (arp.senderIp() != 0 && !Ipv6Addresses.isHandle(arp.senderIp()) && neighbors.learn(arp.senderIp(), arp.senderMac())) {
            learned(arp.senderIp(), arp.senderMac());
        }
        if (arp.operation() != ArpPacket.OPERATION_REQUEST) {
            return; // a reply: learned above
        }
        if (host == null) {
            counters.drop(DropReason.ARP_NOT_OURS);
            return;
        }
        long requester = arp.senderMac();
        int requesterIp = arp.senderIp();
        ByteBuffer frame = out.begin(host.mac(), requester, EthernetFrame.TYPE_ARP);
        arpOut.wrap(frame, PacketWriter.IP_OFFSET, ArpPacket.LENGTH)
                .write(ArpPacket.OPERATION_REPLY, host.mac(), host.address(), requester, requesterIp);
        out.commit(ArpPacket.LENGTH);
        counters.increment(Counter.ARP_REPLIES);
    }

    /**
     * The host a packet to {@code address} in a frame to {@code destinationMac} is for, either family; null,
     * counted, when no host has the address, the frame was for another MAC, or the host is stopped.
     */
    static VirtualHost receivingHost(HostTable hosts, Counters counters, int address, long destinationMac) {
        VirtualHost host = hosts.byAddress(address);
        if (host == null) {
            counters.drop(DropReason.NO_HOST);
        } else if (destinationMac != host.mac()) {
            counters.drop(DropReason.NOT_OUR_MAC);
        } else if (hosts.isStopped(host)) {
            counters.drop(DropReason.HOST_STOPPED);
        } else {
            return host;
        }
        return null;
    }

    /** A neighbour's MAC is known (ARP, neighbour discovery): what waited to be sent to it goes. */
    private void learned(int address, long mac) {
        tcp.neighborLearned(address, mac, now);
        pings.learned(address, mac);
        udpOut.learned(address, mac, hosts);
    }

    /** Router {@code router} advertises the route to high/low/{@code length} (RFC 4191). Before the first frame. */
    public void advertise(VirtualHost router, long high, long low, int length) {
        ipv6.advertise(router, high, low, length);
    }

    /** The TAP's segment has the IPv6 prefix high/low/{@code prefixLength}: the hosts learn neighbours on it. */
    public void segmentPrefix6(long high, long low, int prefixLength) {
        ipv6.segmentPrefix(high, low, prefixLength);
    }

    private void receiveIpv4(long nowNanos) {
        ip.wrap(ethernet.buffer(), ethernet.payloadOffset(), ethernet.payloadLength());
        switch (ip.check()) {
            case MALFORMED -> {
                counters.drop(DropReason.IPV4_MALFORMED);
                return;
            }
            case BAD_CHECKSUM -> {
                counters.drop(DropReason.IPV4_BAD_CHECKSUM);
                return;
            }
            default -> {
            }
        }
        int destination = ip.destination();
        if (Ipv6Addresses.isHandle(destination) || Ipv6Addresses.isHandle(ip.source())) {
            counters.drop(DropReason.IPV4_RESERVED); // 240.0.0.0/4 names IPv6 addresses inside tapnet
            return;
        }
        if (destination == Ipv4Address.BROADCAST || Ipv4Address.isMulticast(destination)) {
            counters.drop(DropReason.IPV4_NOT_UNICAST); // RFC 9293 MUST-57 for SYNs; no service of ours is multicast
            return;
        }
        VirtualHost host = receivingHost(hosts, counters, destination, ethernet.destination());
        if (host == null) {
            return;
        }
        if (ip.isFragment()) {
            receiveFragment(host, nowNanos);
            return;
        }
        dispatch(host, nowNanos);
    }

    /** A fragment for {@code host}: kept; the datagram it completes is handled as one that came whole. */
    private void receiveFragment(VirtualHost host, long nowNanos) {
        if (!fragments.add(ethernet, ip, nowNanos)) {
            return;
        }
        ethernet.wrap(fragments.buffer(), fragments.frameOffset(), fragments.frameLength());
        ip.wrap(ethernet.buffer(), ethernet.payloadOffset(), ethernet.payloadLength());
        checksumsVerified = false; // the device vouched for no fragment's transport checksum
        try {
            dispatch(host, nowNanos);
        } finally {
            fragments.release();
        }
    }

    /** The IPv4 datagram in {@link #ip}, for {@code host}, to its protocol. */
    private void dispatch(VirtualHost host, long nowNanos) {
        int destination = ip.destination();
        currentHost = host;
        switch (ip.protocol()) {
            case Ipv4Packet.PROTOCOL_TCP -> tcp.receive(host.mac(), ethernet.source(), ip.source(), destination,
                    ip.buffer(), ip.payloadOffset(), ip.payloadLength(), checksumsVerified, nowNanos);
            case Ipv4Packet.PROTOCOL_ICMP -> receiveIcmp(host);
            case Ipv4Packet.PROTOCOL_UDP -> receiveUdp(host);
            default -> {
                counters.drop(DropReason.PROTOCOL_UNSUPPORTED);
                sendUnreachable(host, IcmpMessage.CODE_PROTOCOL_UNREACHABLE);
            }
        }
    }

    /** Answers the IPv4 packet being received with ICMP port unreachable (TCP's UNREACHABLE fault). */
    public void portUnreachable() {
        sendUnreachable(currentHost, IcmpMessage.CODE_PORT_UNREACHABLE);
    }

    /**
     * ICMP time exceeded in transit (RFC 792 type 11 code 0) from {@code router}, for the IPv4 packet in
     * {@code frame}: to its source, quoting its header and first 8 bytes (what traceroute reads).
     */
    public void timeExceeded(VirtualHost router, ByteBuffer frame, int offset, int length) {
        if (isIpv6(frame, offset)) { // RFC 4443 §3.3: code 0, hop limit exceeded in transit
            ipv6.errorAbout(router, frame, offset, length, Icmpv6Message.TYPE_TIME_EXCEEDED, Icmpv6Message.CODE_HOP_LIMIT, 0);
            return;
        }
        sendError(router, frame, offset, length, IcmpMessage.TYPE_TIME_EXCEEDED, 0, 0);
        counters.increment(Counter.ICMP_TIME_EXCEEDED);
    }

    /**
     * ICMP destination unreachable, fragmentation needed and DF set (RFC 792 type 3 code 4) from
     * {@code from}, for the IPv4 packet in {@code frame} that a link of {@code mtu} bytes could not carry:
     * the next-hop MTU in the low 16 bits of the second word (RFC 1191 §4), so that the sender lowers its
     * path MTU. Quotes the header and first 8 bytes, by which the sender finds the route or socket.
     */
    public void fragmentationNeeded(VirtualHost from, ByteBuffer frame, int offset, int length, int mtu) {
        if (isIpv6(frame, offset)) { // RFC 4443 §3.2: packet too big, with the MTU of the next hop (RFC 8201)
            ipv6.errorAbout(from, frame, offset, length, Icmpv6Message.TYPE_PACKET_TOO_BIG, 0, mtu);
            return;
        }
        sendError(from, frame, offset, length, IcmpMessage.TYPE_DESTINATION_UNREACHABLE,
                IcmpMessage.CODE_FRAGMENTATION_NEEDED, mtu & 0xffff);
        counters.increment(Counter.ICMP_FRAG_NEEDED_SENT);
    }

    /**
     * ICMP destination unreachable, host unreachable (RFC 792 type 3 code 1) from {@code router}, for an
     * IPv4 packet to an address on its subnet where no host is: what a router sends when its ARP for the
     * address goes unanswered (RFC 1812 §5.2.7.1).
     */
    public void hostUnreachable(VirtualHost router, ByteBuffer frame, int offset, int length) {
        if (isIpv6(frame, offset)) { // RFC 4443 §3.1: code 3, address unreachable (neighbour discovery failed)
            ipv6.errorAbout(router, frame, offset, length, Icmpv6Message.TYPE_DESTINATION_UNREACHABLE,
                    Icmpv6Message.CODE_ADDRESS_UNREACHABLE, 0);
            return;
        }
        sendError(router, frame, offset, length, IcmpMessage.TYPE_DESTINATION_UNREACHABLE, IcmpMessage.CODE_HOST_UNREACHABLE, 0);
        counters.increment(Counter.ICMP_UNREACHABLES);
    }

    private boolean isIpv6(ByteBuffer frame, int offset) {
        return quotedFrame.wrap(frame, offset, EthernetFrame.HEADER_LENGTH).etherType() == EthernetFrame.TYPE_IPV6;
    }

    /** An ICMP error from {@code from} to the source of the IPv4 packet in {@code frame}, quoting it (RFC 792). */
    private void sendError(VirtualHost from, ByteBuffer frame, int offset, int length, int type, int code, int rest) {
        EthernetFrame offending = quotedFrame.wrap(frame, offset, length);
        Ipv4Packet packet = quoted.wrap(frame, offending.payloadOffset(), offending.payloadLength());
        int quotedLength = Math.min(packet.headerLength() + UNREACHABLE_QUOTE, packet.length());
        int icmpLength = IcmpMessage.HEADER_LENGTH + quotedLength;
        long to = offending.source();
        int source = packet.source();
        ByteBuffer out = this.out.beginIpv4(from.mac(), to);
        int at = PacketWriter.TRANSPORT_OFFSET;
        out.put(at + IcmpMessage.HEADER_LENGTH, frame, packet.offset(), quotedLength);
        icmpOut.wrap(out, at, icmpLength).writeHeader(type, code, rest);
        this.out.commitIpv4(from.address(), source, Ipv4Packet.PROTOCOL_ICMP, icmpLength);
    }

    /**
     * The smallest MTU between {@code host} and the TAP (0: none), which it takes for its interface's: TCP
     * announces and sends segments that fit, as a host whose interface has that MTU would. Not per frame.
     */
    public void setInterfaceMtu(VirtualHost host, int mtu) {
        tcp.interfaceMtu(host.address(), mtu);
        if (host.hasIpv6()) {
            tcp.interfaceMtu(host.address6(), mtu);
            tcp.interfaceMtu(host.linkLocal(), mtu);
            out.interfaceMtu(host.address6(), mtu);
            out.interfaceMtu(host.linkLocal(), mtu);
            for (int more : host.moreAddresses6()) {
                tcp.interfaceMtu(more, mtu);
                out.interfaceMtu(more, mtu);
            }
        }
        out.interfaceMtu(host.address(), mtu);
    }

    /**
     * Asks who has {@code target}, on behalf of the host at {@code hostAddress}: ARP broadcast (RFC 826), or
     * for an IPv6 target a neighbour solicitation (RFC 4861).
     */
    public void requestArp(int hostAddress, long hostMac, int target) {
        if (Ipv6Addresses.isHandle(target)) {
            ipv6.solicit(hostAddress, hostMac, target);
            return;
        }
        ByteBuffer frame = out.begin(hostMac, tapnet.wire.MacAddress.BROADCAST, EthernetFrame.TYPE_ARP);
        arpOut.wrap(frame, PacketWriter.IP_OFFSET, ArpPacket.LENGTH)
                .write(ArpPacket.OPERATION_REQUEST, hostMac, hostAddress, 0, target);
        out.commit(ArpPacket.LENGTH);
    }

    /** Echo request → echo reply with the same identifier, sequence and payload (RFC 792). */
    private void receiveIcmp(VirtualHost host) {
        icmp.wrap(ip.buffer(), ip.payloadOffset(), ip.payloadLength());
        if (!icmp.isComplete()) {
            counters.drop(DropReason.ICMP_MALFORMED);
            return;
        }
        if (!icmp.isChecksumValid()) {
            counters.drop(DropReason.ICMP_BAD_CHECKSUM);
            return;
        }
        if (icmp.type() == IcmpMessage.TYPE_ECHO_REPLY && icmp.code() == 0
                && pings.echoReply(host, icmp.identifier(), icmp.sequence(), now)) {
            return;
        }
        if ((icmp.type() == IcmpMessage.TYPE_DESTINATION_UNREACHABLE || icmp.type() == IcmpMessage.TYPE_TIME_EXCEEDED)
                && pings.error(host, icmp.buffer(), icmp.payloadOffset(), icmp.payloadLength(), icmp.type(), icmp.code())) {
            return;
        }
        if (icmp.type() != IcmpMessage.TYPE_ECHO_REQUEST || icmp.code() != 0) {
            counters.drop(DropReason.ICMP_IGNORED);
            return;
        }
        int length = icmp.length(); // up to 65,515 bytes: a reply longer than the MTU leaves as fragments
        ByteBuffer frame = out.beginIpv4(host.mac(), ethernet.source(), length);
        int at = PacketWriter.TRANSPORT_OFFSET;
        frame.put(at + IcmpMessage.HEADER_LENGTH, icmp.buffer(), icmp.payloadOffset(), icmp.payloadLength());
        icmpOut.wrap(frame, at, length).writeHeader(IcmpMessage.TYPE_ECHO_REPLY, 0, icmp.restOfHeader());
        out.commitIpv4(host.address(), ip.source(), Ipv4Packet.PROTOCOL_ICMP, length);
        counters.increment(Counter.ICMP_ECHO_REPLIES);
    }

    // ------------------------------------------------------------------------------------------------
    // The hosts' own pings
    // ------------------------------------------------------------------------------------------------

    /**
     * Sends an echo request from {@code host} to {@code address} (IPv4, or an IPv6 handle) with
     * {@code payloadBytes} bytes of payload: to {@code mac} at once, or after the neighbour answers when
     * {@code mac} is negative (unknown). {@code listener} hears the reply or an error quoting the request.
     * At most {@value PingTable#CAPACITY} pings wait at once; beyond, the oldest is forgotten.
     */
    public void ping(VirtualHost host, long mac, int address, int identifier, int sequence, int payloadBytes,
                     PingListener listener, long nowNanos) {
        pings.ping(host, mac, address, identifier, sequence, payloadBytes, listener, nowNanos);
    }

    /** The largest payload a ping can carry: 65,507 bytes, in fragments beyond the MTU. */
    public int maxPingPayload() {
        return PacketWriter.MAX_TRANSPORT_LENGTH - IcmpMessage.HEADER_LENGTH;
    }

    /** Forgets the pings {@code host} waits for (it stopped): their listeners hear nothing. */
    public void forgetPings(VirtualHost host) {
        pings.forget(host);
    }

    // ------------------------------------------------------------------------------------------------
    // The hosts' own datagrams
    // ------------------------------------------------------------------------------------------------

    /** Stops the service on UDP {@code port} of {@code host}, or starts it again; false when there is none. */
    public boolean serveUdp(VirtualHost host, int port, boolean serving) {
        return udp.serve(host.address(), port, serving);
    }

    /**
     * Serves a free port of {@code host} from the dynamic range (RFC 6335 §6) with {@code handler}, for the
     * answers to the datagrams it sends from there ({@link #sendUdp}); the port, or -1 when none is free.
     */
    public int bindUdp(VirtualHost host, UdpHandler handler) {
        return udp.bindDynamic(host.address(), handler);
    }

    /** The largest payload {@link #sendUdp} takes. */
    public int maxUdpPayload() {
        return udpOut.maxPayload();
    }

    /**
     * Sends {@code length} bytes of {@code payload} in a datagram from {@code host}'s {@code localPort} to
     * {@code address:remotePort}: to {@code mac} at once, or after ARP when {@code mac} is negative (unknown).
     */
    public void sendUdp(VirtualHost host, long mac, int address, int localPort, int remotePort, byte[] payload, int length) {
        if (length < 0 || length > udpOut.maxPayload()) {
            throw new IllegalArgumentException("a datagram of " + length + " bytes; at most " + udpOut.maxPayload() + " fit");
        }
        if (mac >= 0) {
            udpOut.send(host, mac, address, localPort, remotePort, payload, length);
            return;
        }
        udpOut.hold(host, address, localPort, remotePort, payload, length);
        requestArp(host.sourceFor(address), host.mac(), address);
    }

    /** A datagram nobody serves gets "port unreachable", as a real host answers (RFC 1122 §4.1.3.1). */
    private void receiveUdp(VirtualHost host) {
        if (udp.receive(host, ethernet.source(), ip, checksumsVerified, now) == UdpInput.Outcome.NO_SERVICE) {
            sendUnreachable(host, IcmpMessage.CODE_PORT_UNREACHABLE);
        }
    }

    /** ICMP destination unreachable quoting the offending datagram's header and first 8 bytes (RFC 792). */
    private void sendUnreachable(VirtualHost host, int code) {
        int quoted = ip.headerLength() + Math.min(UNREACHABLE_QUOTE, ip.payloadLength());
        int length = IcmpMessage.HEADER_LENGTH + quoted;
        ByteBuffer frame = out.beginIpv4(host.mac(), ethernet.source());
        int at = PacketWriter.TRANSPORT_OFFSET;
        frame.put(at + IcmpMessage.HEADER_LENGTH, ip.buffer(), ip.offset(), quoted);
        icmpOut.wrap(frame, at, length).writeHeader(IcmpMessage.TYPE_DESTINATION_UNREACHABLE, code, 0);
        out.commitIpv4(host.address(), ip.source(), Ipv4Packet.PROTOCOL_ICMP, length);
        counters.increment(Counter.ICMP_UNREACHABLES);
    }
}
