package tapnet.route;

import java.nio.ByteBuffer;
import tapnet.node.HostTable;
import tapnet.node.VirtualHost;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;
import tapnet.wire.EthernetFrame;
import tapnet.wire.Ipv6Address;
import tapnet.wire.Ipv6Addresses;
import tapnet.wire.Ipv6Packet;

/**
 * What a router does to an IPv6 packet it forwards (RFC 8200 §3, RFC 4443): the hop limit one less, and at
 * zero ICMPv6 time exceeded; a packet too big for the next link is answered packet too big, whatever it
 * carries (routers never fragment IPv6); one for an address on its subnet where no node is gets address
 * unreachable. The ICMPv6 messages themselves are the hosts' network layer's, through {@link HostInterfaces}.
 */
final class Ipv6Forwarding {
    private final HostTable hosts;
    private final Ipv6Addresses addresses;
    private final Counters counters;
    private final HostInterfaces interfaces;
    private final Ipv6Packet ip = new Ipv6Packet();

    Ipv6Forwarding(HostTable hosts, Counters counters, HostInterfaces interfaces) {
        this.hosts = hosts;
        this.addresses = hosts.addresses6();
        this.counters = counters;
        this.interfaces = interfaces;
    }

    /**
     * Passes the packet in {@code frame} on at {@code router}: false when it is dropped, after answering time
     * exceeded from the router when {@code answer} (a packet from the TAP; a host's own are dropped quietly).
     */
    boolean forward(ByteBuffer frame, int offset, int length, VirtualHost router, boolean answer) {
        ip.wrap(frame, offset + EthernetFrame.HEADER_LENGTH, length - EthernetFrame.HEADER_LENGTH);
        if (!ip.isValid()) {
            counters.drop(DropReason.IPV6_MALFORMED);
            return false;
        }
        if (ip.hopLimit() <= 1) {
            counters.drop(DropReason.TTL_EXCEEDED);
            if (answer) {
                interfaces.timeExceeded(router, frame, offset, length);
            }
            return false;
        }
        ip.decrementHopLimit();
        return true;
    }

    /** The link after {@code near} carries at most {@code mtu} bytes: packet too big (RFC 8201), from {@code near}. */
    void packetTooBig(ByteBuffer frame, int offset, int length, VirtualHost near, int mtu) {
        interfaces.fragmentationNeeded(near, frame, offset, length, mtu);
    }

    /** Whether the packet {@code router} received is for an address of its subnet no node has: answered, dropped. */
    boolean toNoHost(ByteBuffer frame, int offset, int length, VirtualHost router) {
        ip.wrap(frame, offset + EthernetFrame.HEADER_LENGTH, length - EthernetFrame.HEADER_LENGTH);
        if (!ip.isValid() || Ipv6Address.isMulticast(ip.destinationHigh())
                || hosts.byAddress(addresses.find(ip.destinationHigh(), ip.destinationLow())) != null) {
            return false; // the router's own input takes it: neighbour discovery for it, or a malformed one it counts
        }
        counters.drop(DropReason.NO_SUCH_HOST);
        interfaces.hostUnreachable(router, frame, offset, length);
        return true;
    }
}
