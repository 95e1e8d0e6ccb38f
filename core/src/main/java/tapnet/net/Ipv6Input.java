package tapnet.net;

import java.nio.ByteBuffer;
import tapnet.node.HostTable;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;
import tapnet.wire.EthernetFrame;
import tapnet.wire.Icmpv6Message;
import tapnet.wire.Ipv6Address;
import tapnet.wire.Ipv6Addresses;
import tapnet.wire.Ipv6HeaderChain;
import tapnet.wire.Ipv6Packet;
import tapnet.wire.TcpSegment;
import tapnet.wire.UdpDatagram;

/**
 * The virtual hosts' IPv6 (RFC 8200): hands neighbour discovery to {@link Ipv6Neighbors}, answers echo
 * requests (RFC 4443), reassembles fragments ({@link Ipv6Reassembly}), hands TCP and UDP up with the addresses as their
 * handles ({@link Ipv6Addresses}), and answers what it cannot take with the ICMPv6 error a kernel sends.
 * Peers' addresses are added to the engine's table as their packets are accepted. Engine thread only;
 * nothing allocated per packet.
 */
final class Ipv6Input {
    /** RFC 4443 §2.4(c): an error quotes as much of the packet as fits in the minimum MTU. */
    private static final int MAX_QUOTE = Ipv6Packet.MIN_MTU - Ipv6Packet.HEADER_LENGTH - Icmpv6Message.HEADER_LENGTH;

    /** Who hears that a neighbour's MAC is known: TCP, pings and datagrams waiting for it. */
    interface NeighborListener {
        void learned(int address, long mac);
    }

    private final HostTable hosts;
    private final Ipv6Addresses addresses;
    private final Counters counters;
    private final PacketWriter out;
    private final UdpInput udp;
    /** The hosts' own pings: echo replies and errors that quote their requests go there. */
    private final HostPings pings;
    private final Ipv6Reassembly reassembly;
    /** Neighbour and router discovery: what the ICMPv6 messages of RFC 4861 ask. */
    private final Ipv6Neighbors neighborDiscovery;
    private final Ipv6Packet ip = new Ipv6Packet();
    private final Icmpv6Message icmp = new Icmpv6Message();
    private final Icmpv6Message icmpOut = new Icmpv6Message();
    private final Ipv6HeaderChain chain = new Ipv6HeaderChain();
    private final EthernetFrame offending = new EthernetFrame();
    /** A reassembled packet's frame. */
    private final EthernetFrame whole = new EthernetFrame();
    private final TcpSegment tcpSegment = new TcpSegment();
    private final UdpDatagram datagram = new UdpDatagram();

    Ipv6Input(HostTable hosts, NeighborTable neighbors, Counters counters, PacketWriter out, UdpInput udp,
              NeighborListener listener, HostPings pings, Ipv6Reassembly reassembly) {
        this.pings = pings;
        this.reassembly = reassembly;
        this.neighborDiscovery = new Ipv6Neighbors(hosts, neighbors, counters, out, listener);
        this.hosts = hosts;
        this.addresses = hosts.addresses6();
        this.counters = counters;
        this.out = out;
        this.udp = udp;
    }

    /** Asks who has {@code target} for the host at {@code local}: a neighbour solicitation. */
    void solicit(int local, long hostMac, int target) {
        neighborDiscovery.solicit(local, hostMac, target);
    }

    /** The TAP's segment has the IPv6 prefix high/low/{@code prefixLength}: its senders are neighbours. */
    void segmentPrefix(long high, long low, int prefixLength) {
        neighborDiscovery.segmentPrefix(high, low, prefixLength);
    }

    /** {@code router} advertises the route to high/low/{@code length} (RFC 4191). Before the engine starts. */
    void advertise(VirtualHost router, long high, long low, int length) {
        neighborDiscovery.advertise(router, high, low, length);
    }

    /** An IPv6 packet in {@code ethernet}'s payload. */
    void receive(EthernetFrame ethernet, TcpReceiver tcp, boolean checksumsVerified, long now) {
        ip.wrap(ethernet.buffer(), ethernet.payloadOffset(), ethernet.payloadLength());
        if (!ip.isValid()) {
            counters.drop(DropReason.IPV6_MALFORMED);
            return;
        }
        if (Ipv6Address.isMulticast(ip.sourceHigh())) {
            counters.drop(DropReason.IPV6_NOT_UNICAST); // RFC 4291 §2.7: never a source
            return;
        }
        if (Ipv6Address.isMulticast(ip.destinationHigh())) {
            receiveMulticast(ethernet);
            return;
        }
        int local = addresses.find(ip.destinationHigh(), ip.destinationLow()); // the host's address it was sent to
        VirtualHost host = NetworkInput.receivingHost(hosts, counters, local, ethernet.destination());
        if (host == null) {
            return;
        }
        if (Ipv6Address.isUnspecified(ip.sourceHigh(), ip.sourceLow())) {
            // only DAD's solicitations come from ::, and only to a solicited-node group (RFC 4861 §7.1.1)
            counters.drop(isSolicitation() ? DropReason.NDP_MALFORMED : DropReason.IPV6_MALFORMED);
            return;
        }
        Ipv6HeaderChain.Outcome outcome =
                chain.walk(ip.buffer(), ip.payloadOffset(), ip.nextHeader(), ip.payloadOffset() + ip.payloadLength(), false);
        if (outcome == Ipv6HeaderChain.Outcome.DROP) {
            counters.drop(chain.reason() == Ipv6HeaderChain.Reason.TRUNCATED
                    || chain.reason() == Ipv6HeaderChain.Reason.OPTION_TRUNCATED
                    ? DropReason.IPV6_MALFORMED : DropReason.IPV6_EXTENSION_REFUSED);
            return;
        }
        if (outcome == Ipv6HeaderChain.Outcome.UPPER_LAYER && !isWorthAnswering(checksumsVerified)) {
            return; // counted; a packet refused adds no peer to the table, which never gives one back
        }
        int remote = addresses.intern(ip.sourceHigh(), ip.sourceLow()); // a peer whose packet is taken or answered
        if (remote == Ipv6Addresses.NONE) {
            counters.drop(DropReason.IPV6_ADDRESS_TABLE_FULL);
            return;
        }
        if (outcome == Ipv6HeaderChain.Outcome.FRAGMENT) {
            receiveFragment(host, local, remote, ethernet, tcp, now);
            return;
        }
        if (outcome == Ipv6HeaderChain.Outcome.PARAMETER_PROBLEM) {
            counters.drop(DropReason.IPV6_EXTENSION_REFUSED);
            sendError(host, local, remote, ethernet.source(), Icmpv6Message.TYPE_PARAMETER_PROBLEM,
                    chain.problemCode(), chain.problemPointer());
            return;
        }
        deliver(host, local, remote, ethernet.source(), tcp, now);
    }

    /**
     * A fragment for {@code host}: kept; the packet it completes is walked again as one that came whole
     * (its headers after the Fragment header are judged only now) and handled so.
     */
    private void receiveFragment(VirtualHost host, int local, int remote, EthernetFrame ethernet, TcpReceiver tcp, long now) {
        if (!reassembly.add(ethernet, ip, chain, remote, local, now)) {
            return;
        }
        try {
            EthernetFrame frame = whole.wrap(reassembly.buffer(), reassembly.frameOffset(), reassembly.frameLength());
            ip.wrap(frame.buffer(), frame.payloadOffset(), frame.payloadLength());
            switch (chain.walk(ip.buffer(), ip.payloadOffset(), ip.nextHeader(), ip.payloadOffset() + ip.payloadLength(), false)) {
                case UPPER_LAYER -> {
                    if (isWorthAnswering(false)) { // no device vouched for the whole packet's checksum
                        deliver(host, local, remote, frame.source(), tcp, now);
                    }
                }
                case PARAMETER_PROBLEM -> {
                    counters.drop(DropReason.IPV6_EXTENSION_REFUSED);
                    sendError(host, local, remote, frame.source(), Icmpv6Message.TYPE_PARAMETER_PROBLEM,
                            chain.problemCode(), chain.problemPointer());
                }
                default -> counters.drop(DropReason.IPV6_EXTENSION_REFUSED); // a Fragment header inside: not again
            }
        } finally {
            reassembly.release();
        }
    }

    /** A packet in reassembly for {@code host} timed out (slot {@code expired}): time exceeded when answerable. */
    void reassemblyTimedOut(VirtualHost host, int expired) {
        if (!hosts.isStopped(host) && reassembly.answerable(expired)) {
            errorAbout(host, reassembly.buffer(expired), reassembly.frameOffset(expired), reassembly.frameLength(expired),
                    Icmpv6Message.TYPE_TIME_EXCEEDED, Icmpv6Message.CODE_REASSEMBLY_TIME, 0);
        }
    }

    /**
     * Whether the upper layer the walk found may be taken or answered: its checksum right (RFC 8200 §8.1,
     * a UDP checksum of 0 included), and for ICMPv6 a type a host answers. Counts what it refuses. Done
     * before the sender's address is added to the table, so that a refused packet takes no entry.
     */
    private boolean isWorthAnswering(boolean checksumsVerified) {
        int at = chain.upperLayerOffset();
        int length = chain.upperLayerLength();
        long addressSum = ip.pseudoHeader(0, 0);
        switch (chain.protocol()) {
            case Ipv6Packet.NEXT_TCP -> {
                if (!checksumsVerified && !tcpSegment.wrap(ip.buffer(), at, length).isChecksumValid(addressSum)) {
                    counters.drop(DropReason.TCP_BAD_CHECKSUM);
                    return false;
                }
            }
            case Ipv6Packet.NEXT_UDP -> {
                if (!datagram.wrap(ip.buffer(), at, length).isWellFormed()) {
                    counters.drop(DropReason.UDP_MALFORMED);
                    return false;
                }
                if (!checksumsVerified && !datagram.isChecksumValid(addressSum, true)) {
                    counters.drop(DropReason.UDP_BAD_CHECKSUM);
                    return false;
                }
            }
            case Ipv6Packet.NEXT_ICMPV6 -> {
                icmp.wrap(ip.buffer(), at, length);
                if (!icmp.isComplete()) {
                    counters.drop(DropReason.ICMPV6_MALFORMED);
                    return false;
                }
                if (!icmp.isChecksumValid(ip.pseudoHeader(Ipv6Packet.NEXT_ICMPV6, length))) {
                    counters.drop(DropReason.ICMPV6_BAD_CHECKSUM);
                    return false;
                }
                int type = icmp.type();
                if (type != Icmpv6Message.TYPE_ECHO_REQUEST && type != Icmpv6Message.TYPE_NEIGHBOR_SOLICITATION
                        && type != Icmpv6Message.TYPE_NEIGHBOR_ADVERTISEMENT && type != Icmpv6Message.TYPE_ECHO_REPLY
                        && !Icmpv6Message.isError(type)) { // replies and errors may answer the hosts' own pings
                    counters.drop(DropReason.ICMPV6_IGNORED);
                    return false;
                }
            }
            default -> {
                counters.drop(DropReason.PROTOCOL_UNSUPPORTED); // No Next Header (RFC 8200 §4.7): nothing follows
                return false;
            }
        }
        return true;
    }

    /** The upper layer the walk of the header chain found, to its protocol (RFC 8200 §4: headers skipped), checked. */
    private void deliver(VirtualHost host, int local, int remote, long remoteMac, TcpReceiver tcp, long now) {
        int at = chain.upperLayerOffset(); // checksums were verified by isWorthAnswering, over the real addresses
        int length = chain.upperLayerLength();
        switch (chain.protocol()) {
            case Ipv6Packet.NEXT_TCP -> tcp.receive(host.mac(), remoteMac, remote, local, ip.buffer(), at, length, true, now);
            case Ipv6Packet.NEXT_UDP -> {
                if (udp.receive(host, remoteMac, remote, local, ip.buffer(), at, length, true, now)
                        == UdpInput.Outcome.NO_SERVICE) {
                    sendError(host, local, remote, remoteMac, Icmpv6Message.TYPE_DESTINATION_UNREACHABLE,
                            Icmpv6Message.CODE_PORT_UNREACHABLE, 0);
                }
            }
            default -> receiveIcmp(host, local, remote, remoteMac, now); // ICMPv6, its checksum checked
        }
    }

    private boolean isRouterSolicitation() {
        return neighborDiscovery.anyAdvertiser() && ip.nextHeader() == Ipv6Packet.NEXT_ICMPV6 && ip.destinationHigh() == Ipv6Address.ALL_NODES_HIGH
                && ip.destinationLow() == Ipv6Address.ALL_ROUTERS_LOW && ip.payloadLength() >= Icmpv6Message.HEADER_LENGTH
                && (ip.buffer().get(ip.payloadOffset()) & 0xff) == Icmpv6Message.TYPE_ROUTER_SOLICITATION;
    }

    /** Whether the packet is an ICMPv6 neighbour solicitation with no extension header before it. */
    private boolean isSolicitation() {
        return ip.nextHeader() == Ipv6Packet.NEXT_ICMPV6
                && (ip.buffer().get(ip.payloadOffset()) & 0xff) == Icmpv6Message.TYPE_NEIGHBOR_SOLICITATION;
    }

    /**
     * Of multicast a host takes neighbour solicitations to its solicited-node group, and an advertising
     * router router solicitations to all routers.
     */
    private void receiveMulticast(EthernetFrame ethernet) {
        if (isRouterSolicitation()) {
            neighborDiscovery.routerSolicitation(ip, icmp);
            return;
        }
        if (ip.nextHeader() != Ipv6Packet.NEXT_ICMPV6
                || !Ipv6Address.isSolicitedNode(ip.destinationHigh(), ip.destinationLow())) {
            counters.drop(DropReason.IPV6_NOT_UNICAST);
            return;
        }
        icmp.wrap(ip.buffer(), ip.payloadOffset(), ip.payloadLength());
        if (!icmp.isComplete() || icmp.type() != Icmpv6Message.TYPE_NEIGHBOR_SOLICITATION) {
            counters.drop(DropReason.IPV6_NOT_UNICAST);
            return;
        }
        if (!icmp.isChecksumValid(ip.pseudoHeader(Ipv6Packet.NEXT_ICMPV6, icmp.length()))) {
            counters.drop(DropReason.ICMPV6_BAD_CHECKSUM);
            return;
        }
        neighborDiscovery.solicitation(ip, icmp, ethernet.source(), true);
    }

    /** An ICMPv6 message {@link #isWorthAnswering} wrapped in {@link #icmp}. */
    private void receiveIcmp(VirtualHost host, int local, int remote, long remoteMac, long now) {
        switch (icmp.type()) {
            case Icmpv6Message.TYPE_ECHO_REQUEST -> echo(host, local, remote, remoteMac);
            case Icmpv6Message.TYPE_ECHO_REPLY -> {
                if (icmp.code() != 0 || !pings.echoReply(host, icmp.identifier(), icmp.sequence(), now)) {
                    counters.drop(DropReason.ICMPV6_IGNORED);
                }
            }
            case Icmpv6Message.TYPE_NEIGHBOR_SOLICITATION -> neighborDiscovery.solicitation(ip, icmp, remoteMac, false);
            case Icmpv6Message.TYPE_NEIGHBOR_ADVERTISEMENT -> neighborDiscovery.advertisement(ip, icmp);
            default -> { // an error (isWorthAnswering let no other type through): about one of the host's pings?
                if (!pings.error6(host, icmp.buffer(), icmp.payloadOffset(), icmp.payloadLength(), icmp.type(), icmp.code())) {
                    counters.drop(DropReason.ICMPV6_IGNORED);
                }
            }
        }
    }

    /** Echo request → echo reply with the same identifier, sequence and data (RFC 4443 §4.2). */
    private void echo(VirtualHost host, int local, int remote, long remoteMac) {
        if (icmp.code() != 0) {
            counters.drop(DropReason.ICMPV6_IGNORED);
            return;
        }
        int length = icmp.length(); // up to 65,515 bytes: a reply longer than the MTU leaves as fragments
        if (length > PacketWriter.MAX_TRANSPORT_LENGTH) {
            counters.drop(DropReason.ICMPV6_MALFORMED);
            return;
        }
        ByteBuffer frame = out.beginIp(host.mac(), remoteMac, remote, length);
        int at = PacketWriter.TRANSPORT_OFFSET_6;
        frame.put(at + Icmpv6Message.HEADER_LENGTH, icmp.buffer(), icmp.payloadOffset(), icmp.payloadLength());
        icmpOut.wrap(frame, at, length).writeHeader(Icmpv6Message.TYPE_ECHO_REPLY, 0, icmp.restOfHeader(),
                pseudoHeader(local, remote, length));
        out.commitIp(local, remote, Ipv6Packet.NEXT_ICMPV6, length);
        counters.increment(Counter.ICMPV6_ECHO_REPLIES);
    }

    /**
     * An ICMPv6 error from {@code from} (a router, a link's near end) about the IPv6 packet in the Ethernet
     * frame at {@code offset}, to its source: quoting it as {@link #sendError} does. Nothing when {@code from}
     * has no IPv6 address, or the packet is itself an error or came from no unicast address.
     */
    void errorAbout(VirtualHost from, ByteBuffer frame, int offset, int length, int type, int code, int rest) {
        int local = from.address6() != Ipv6Addresses.NONE ? from.address6() : from.linkLocal();
        ip.wrap(frame, offset + EthernetFrame.HEADER_LENGTH, length - EthernetFrame.HEADER_LENGTH);
        if (local == Ipv6Addresses.NONE || !ip.isValid() || Ipv6Address.isMulticast(ip.sourceHigh())
                || Ipv6Address.isUnspecified(ip.sourceHigh(), ip.sourceLow())) {
            return;
        }
        int remote = addresses.intern(ip.sourceHigh(), ip.sourceLow());
        if (remote == Ipv6Addresses.NONE) {
            counters.drop(DropReason.IPV6_ADDRESS_TABLE_FULL);
            return;
        }
        sendError(from, local, remote, offending.wrap(frame, offset, length).source(), type, code, rest);
    }

    /**
     * An ICMPv6 error from the host at {@code local} about the packet being received, quoting as much of it
     * as fits the minimum MTU (RFC 4443 §2.4(c)); never about an error (§2.4(e)).
     */
    private void sendError(VirtualHost host, int local, int remote, long remoteMac, int type, int code, int rest) {
        if (carriesIcmpv6Error()) {
            return;
        }
        int quoted = Math.min(Math.min(Ipv6Packet.HEADER_LENGTH + ip.payloadLength(), MAX_QUOTE),
                out.maxTransportLength(remote) - Icmpv6Message.HEADER_LENGTH);
        int length = Icmpv6Message.HEADER_LENGTH + quoted;
        ByteBuffer frame = out.beginIp(host.mac(), remoteMac, remote);
        int at = PacketWriter.TRANSPORT_OFFSET_6;
        frame.put(at + Icmpv6Message.HEADER_LENGTH, ip.buffer(), ip.offset(), quoted);
        icmpOut.wrap(frame, at, length).writeHeader(type, code, rest, pseudoHeader(local, remote, length));
        out.commitIp(local, remote, Ipv6Packet.NEXT_ICMPV6, length);
        counters.increment(Counter.ICMPV6_ERRORS_SENT);
    }

    /**
     * Whether the packet is an ICMPv6 error, behind whatever extension headers (skipped by their lengths
     * alone, as Linux's ipv6_skip_exthdr does, since a header the walk refused may precede it). A later
     * fragment, whose upper layer is elsewhere, is not known to be one.
     */
    private boolean carriesIcmpv6Error() {
        ByteBuffer b = ip.buffer();
        int next = ip.nextHeader();
        int at = ip.payloadOffset();
        int end = at + ip.payloadLength();
        for (int headers = 0; headers <= Ipv6HeaderChain.MAX_EXTENSION_HEADERS && at + 8 <= end; headers++) {
            switch (next) {
                case Ipv6HeaderChain.ICMPV6 -> {
                    return Icmpv6Message.isError(b.get(at) & 0xff);
                }
                case Ipv6HeaderChain.HOP_BY_HOP_OPTIONS, Ipv6HeaderChain.ROUTING, Ipv6HeaderChain.DESTINATION_OPTIONS -> {
                    next = b.get(at) & 0xff;
                    at += ((b.get(at + 1) & 0xff) + 1) * 8;
                }
                case Ipv6HeaderChain.FRAGMENT -> {
                    if ((b.getShort(at + 2) & 0xfff8) != 0) {
                        return false;
                    }
                    next = b.get(at) & 0xff;
                    at += 8;
                }
                default -> {
                    return false;
                }
            }
        }
        return false;
    }

    private long pseudoHeader(int source, int destination, int length) {
        return out.addressSum(source, destination) + Ipv6Packet.NEXT_ICMPV6 + length;
    }


}
