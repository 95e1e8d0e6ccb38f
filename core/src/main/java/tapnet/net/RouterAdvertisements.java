package tapnet.net;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import tapnet.node.HostTable;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.wire.Icmpv6Message;
import tapnet.wire.Ipv6Address;
import tapnet.wire.Ipv6Addresses;
import tapnet.wire.Ipv6Packet;
import tapnet.wire.NeighborDiscovery;

/**
 * The routers that advertise the IPv6 routes behind them (RFC 4861 §6, RFC 4191): each answers a router
 * solicitation with an advertisement to all nodes, from its link-local address, naming each of its prefixes
 * in a Route Information option. Router lifetime 0: a router of tapnet's is nobody's default router, only the
 * way to its subnets. Filled before the engine starts; engine thread after.
 */
final class RouterAdvertisements {
    /** Routes learned from an advertisement last for ever: no advertisement comes to renew them. */
    private static final int FOREVER = 0xffff_ffff;
    private static final int HOP_LIMIT = 64;

    private final HostTable hosts;
    private final PacketWriter out;
    private final Counters counters;
    private final List<VirtualHost> routers = new ArrayList<>();
    /** Per router, its prefixes as high, low and length, three longs each. */
    private final List<long[]> prefixes = new ArrayList<>();
    private final Icmpv6Message icmp = new Icmpv6Message();
    private final NeighborDiscovery body = new NeighborDiscovery();

    RouterAdvertisements(HostTable hosts, PacketWriter out, Counters counters) {
        this.hosts = hosts;
        this.out = out;
        this.counters = counters;
    }

    /** {@code router} advertises the route to high/low/{@code length}. Before the engine starts. */
    void advertise(VirtualHost router, long high, long low, int length) {
        int at = routers.indexOf(router);
        if (at < 0) {
            routers.add(router);
            prefixes.add(new long[0]);
            at = routers.size() - 1;
        }
        long[] before = prefixes.get(at);
        long[] after = java.util.Arrays.copyOf(before, before.length + 3);
        after[before.length] = high;
        after[before.length + 1] = low;
        after[before.length + 2] = length;
        prefixes.set(at, after);
    }

    boolean any() {
        return !routers.isEmpty();
    }

    /** A solicitation came: every advertising router that runs answers it, to all nodes (RFC 4861 §6.2.6). */
    void solicited() {
        for (int i = 0; i < routers.size(); i++) {
            VirtualHost router = routers.get(i);
            if (!hosts.isStopped(router) && router.linkLocal() != Ipv6Addresses.NONE) {
                send(router, prefixes.get(i));
            }
        }
    }

    private void send(VirtualHost router, long[] routes) {
        int length = NeighborDiscovery.ADVERTISEMENT_LENGTH + routes.length / 3 * NeighborDiscovery.ROUTE_INFORMATION_LENGTH;
        Ipv6Addresses addresses = hosts.addresses6();
        Ipv6Packet header = out.beginIpv6(router.mac(), Ipv6Address.multicastMac(Ipv6Address.ALL_NODES_LOW), length,
                        Ipv6Packet.NEXT_ICMPV6, NeighborDiscovery.HOP_LIMIT)
                .setSource(addresses.high(router.linkLocal()), addresses.low(router.linkLocal())) // §4.2: link-local
                .setDestination(Ipv6Address.ALL_NODES_HIGH, Ipv6Address.ALL_NODES_LOW);
        ByteBuffer frame = header.buffer();
        body.wrap(frame, PacketWriter.TRANSPORT_OFFSET_6, length).writeAdvertisementBody(router.mac());
        for (int r = 0; r < routes.length; r += 3) {
            body.writeRouteInformation(NeighborDiscovery.ADVERTISEMENT_LENGTH + r / 3 * NeighborDiscovery.ROUTE_INFORMATION_LENGTH,
                    routes[r], routes[r + 1], (int) routes[r + 2], FOREVER);
        }
        // current hop limit, no M or O flag, router lifetime 0
        icmp.wrap(frame, PacketWriter.TRANSPORT_OFFSET_6, length).writeHeader(Icmpv6Message.TYPE_ROUTER_ADVERTISEMENT, 0,
                HOP_LIMIT << 24, header.pseudoHeader(Ipv6Packet.NEXT_ICMPV6, length));
        out.commit(Ipv6Packet.HEADER_LENGTH + length);
        counters.increment(Counter.NDP_ROUTER_ADVERTISEMENTS);
    }
}
