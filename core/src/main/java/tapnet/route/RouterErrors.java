package tapnet.route;

import java.nio.ByteBuffer;
import tapnet.node.HostTable;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;
import tapnet.wire.EthernetFrame;
import tapnet.wire.IcmpMessage;
import tapnet.wire.Ipv4Packet;

/**
 * The ICMP errors routers answer for packets they cannot pass on: fragmentation needed (packet too big) and
 * host unreachable, IPv4 here and IPv6 through {@link Ipv6Forwarding}. Never about an ICMP error or a later
 * fragment (RFC 1812 section 4.3.2.7). Engine thread only.
 */
final class RouterErrors {
    private final NodeTree tree;
    private final HostTable hosts;
    private final Counters counters;
    private final HostInterfaces interfaces;
    private final Ipv6Forwarding router6;
    private final EthernetFrame ethernet = new EthernetFrame();
    private final Ipv4Packet ip = new Ipv4Packet();

    RouterErrors(NodeTree tree, HostTable hosts, Counters counters, HostInterfaces interfaces, Ipv6Forwarding router6) {
        this.tree = tree;
        this.hosts = hosts;
        this.counters = counters;
        this.interfaces = interfaces;
        this.router6 = router6;
    }

    /**
     * A packet from the TAP was too big for a link: with DF set, the node at the link's near end answers
     * ICMP fragmentation needed with the link's MTU (RFC 1191), and the kernel lowers its path MTU; without
     * DF it stays dropped (only a link from the TAP's segment drops those: behind a router they are cut,
     * {@link Paths}). Below a router the near end is that router. A node's
     * link from the TAP's segment has no router at its near end, so the node itself answers: Linux takes a
     * "fragmentation needed" from any source, matching it by the quoted header alone (icmp_unreach).
     */
    void fragmentationNeeded(ByteBuffer frame, int offset, int length, int nearNode, int mtu) {
        ethernet.wrap(frame, offset, length);
        if (ethernet.etherType() == EthernetFrame.TYPE_IPV6) {
            router6.packetTooBig(frame, offset, length, hosts.get(nearNode), mtu);
            return;
        }
        if (ethernet.etherType() != EthernetFrame.TYPE_IPV4) {
            return;
        }
        ip.wrap(frame, ethernet.payloadOffset(), ethernet.payloadLength());
        if (ip.length() < Ipv4Packet.MIN_HEADER_LENGTH || ip.headerLength() >= ip.length()
                || !ip.dontFragment() || ip.fragmentOffset() != 0 || isIcmpError(frame)) {
            return; // RFC 1812 §4.3.2.7: no ICMP error about an ICMP error or a later fragment
        }
        interfaces.fragmentationNeeded(hosts.get(nearNode), frame, offset, length, mtu);
    }

    /** Whether the packet {@link #ip} is on is an ICMP error message (its first payload byte is the type). */
    private boolean isIcmpError(ByteBuffer frame) {
        return ip.protocol() == Ipv4Packet.PROTOCOL_ICMP && IcmpMessage.isError(frame.get(ip.payloadOffset()) & 0xff);
    }

    /**
     * Whether the frame a router received is for an address on its subnet where no host is: then the router
     * answers host unreachable, as it would when its ARP for the address went unanswered.
     */
    boolean toNoHost(ByteBuffer frame, int offset, int length, int routerEntry) {
        ethernet.wrap(frame, offset, length);
        if (ethernet.etherType() == EthernetFrame.TYPE_IPV6) {
            return router6.toNoHost(frame, offset, length, hosts.get(tree.nodeOf(routerEntry)));
        }
        if (ethernet.etherType() != EthernetFrame.TYPE_IPV4) {
            return false;
        }
        ip.wrap(frame, ethernet.payloadOffset(), ethernet.payloadLength());
        if (ip.check() == Ipv4Packet.Validity.MALFORMED || hosts.byAddress(ip.destination()) != null) {
            return false; // a malformed one goes on to the router's own input, which counts it
        }
        counters.drop(DropReason.NO_SUCH_HOST);
        if (ip.fragmentOffset() == 0 && !isIcmpError(frame)) {
            interfaces.hostUnreachable(hosts.get(tree.nodeOf(routerEntry)), frame, offset, length);
        }
        return true;
    }

}
