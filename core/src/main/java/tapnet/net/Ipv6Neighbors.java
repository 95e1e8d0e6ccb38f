package tapnet.net;

import java.nio.ByteBuffer;
import tapnet.node.HostTable;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;
import tapnet.wire.Icmpv6Message;
import tapnet.wire.Ipv6Address;
import tapnet.wire.Ipv6Addresses;
import tapnet.wire.Ipv6Packet;
import tapnet.wire.NeighborDiscovery;

/**
 * Neighbour discovery for the virtual hosts (RFC 4861): a host answers solicitations for its addresses
 * (duplicate address detection included: the prober learns the address is taken), learns its on-link
 * neighbours from solicitations and advertisements, and solicits the neighbours it must send to; advertising
 * routers answer router solicitations ({@link RouterAdvertisements}). Engine thread only; nothing allocated
 * per message.
 */
final class Ipv6Neighbors {
    private final HostTable hosts;
    private final Ipv6Addresses addresses;
    private final NeighborTable neighbors;
    private final Counters counters;
    private final PacketWriter out;
    private final Ipv6Input.NeighborListener listener;
    private final RouterAdvertisements advertisements;
    private final NeighborDiscovery discovery = new NeighborDiscovery();
    private final NeighborDiscovery discoveryOut = new NeighborDiscovery();
    private final Icmpv6Message icmpOut = new Icmpv6Message();
    /** The TAP's IPv6 prefix: the on-link peers a host learns besides link-local ones (-1: none). */
    private long segmentHigh;
    private long segmentLow;
    private int segmentPrefix = -1;

    Ipv6Neighbors(HostTable hosts, NeighborTable neighbors, Counters counters, PacketWriter out,
                  Ipv6Input.NeighborListener listener) {
        this.hosts = hosts;
        this.addresses = hosts.addresses6();
        this.neighbors = neighbors;
        this.counters = counters;
        this.out = out;
        this.listener = listener;
        this.advertisements = new RouterAdvertisements(hosts, out, counters);
    }

    /** Whether any router advertises: only then are router solicitations worth a look. */
    boolean anyAdvertiser() {
        return advertisements.any();
    }

    /** The TAP's segment has the IPv6 prefix high/low/{@code prefixLength}: its senders are neighbours. */
    void segmentPrefix(long high, long low, int prefixLength) {
        segmentHigh = high;
        segmentLow = low;
        segmentPrefix = prefixLength;
    }

    /** RFC 4861 §6.1.1 checks of a router solicitation, then the advertising routers answer it. */
    void routerSolicitation(Ipv6Packet ip, Icmpv6Message icmp) {
        icmp.wrap(ip.buffer(), ip.payloadOffset(), ip.payloadLength());
        discovery.wrap(icmp.buffer(), icmp.offset(), icmp.length());
        if (!icmp.isChecksumValid(ip.pseudoHeader(Ipv6Packet.NEXT_ICMPV6, icmp.length()))) {
            counters.drop(DropReason.ICMPV6_BAD_CHECKSUM);
            return;
        }
        if (ip.hopLimit() != NeighborDiscovery.HOP_LIMIT || icmp.code() != 0 || !discovery.isValidSolicitation()
                || Ipv6Address.isUnspecified(ip.sourceHigh(), ip.sourceLow())
                && discovery.linkLayerAddress(NeighborDiscovery.OPTION_SOURCE_LINK_LAYER, 8) >= 0) {
            counters.drop(DropReason.NDP_MALFORMED);
            return;
        }
        advertisements.solicited();
    }

    /** {@code router} advertises the route to high/low/{@code length} (RFC 4191). Before the engine starts. */
    void advertise(VirtualHost router, long high, long low, int length) {
        advertisements.advertise(router, high, low, length);
    }

    /**
     * A neighbour solicitation (RFC 4861 §7.1.1 checks, §7.2.3 answer): the host whose address is its
     * target advertises its MAC, to the asker, or to all nodes when the asker is a duplicate address
     * detection probe from :: (§7.2.4), which then learns that the address is taken.
     */
    void solicitation(Ipv6Packet ip, Icmpv6Message icmp, long askerMac, boolean multicast) {
        discovery.wrap(icmp.buffer(), icmp.offset(), icmp.length());
        boolean fromUnspecified = Ipv6Address.isUnspecified(ip.sourceHigh(), ip.sourceLow());
        long sourceLinkLayer = discovery.isValid() ? discovery.linkLayerAddress(NeighborDiscovery.OPTION_SOURCE_LINK_LAYER) : -1;
        if (ip.hopLimit() != NeighborDiscovery.HOP_LIMIT || icmp.code() != 0 || !discovery.isValid()
                || Ipv6Address.isMulticast(discovery.targetHigh())
                || (fromUnspecified && (!multicast || sourceLinkLayer >= 0))) {
            counters.drop(DropReason.NDP_MALFORMED);
            return;
        }
        VirtualHost host = hosts.byAddress(addresses.find(discovery.targetHigh(), discovery.targetLow()));
        if (host == null) {
            counters.drop(DropReason.NDP_NOT_OURS);
            return;
        }
        if (hosts.isStopped(host)) {
            counters.drop(DropReason.HOST_STOPPED);
            return;
        }
        long targetHigh = discovery.targetHigh();
        long targetLow = discovery.targetLow();
        if (fromUnspecified) {
            advertise(host, targetHigh, targetLow, Ipv6Address.multicastMac(Ipv6Address.ALL_NODES_LOW),
                    Ipv6Address.ALL_NODES_HIGH, Ipv6Address.ALL_NODES_LOW, 0);
            return;
        }
        long askerHigh = ip.sourceHigh();
        long askerLow = ip.sourceLow();
        long replyMac = sourceLinkLayer >= 0 ? sourceLinkLayer : askerMac;
        if (sourceLinkLayer >= 0 && isOnLink(askerHigh, askerLow)) {
            int asker = addresses.intern(askerHigh, askerLow);
            if (asker != Ipv6Addresses.NONE && neighbors.learn(asker, sourceLinkLayer)) {
                listener.learned(asker, sourceLinkLayer);
            }
        }
        advertise(host, targetHigh, targetLow, replyMac, askerHigh, askerLow, NeighborDiscovery.FLAG_SOLICITED);
    }

    private void advertise(VirtualHost host, long targetHigh, long targetLow, long toMac, long toHigh, long toLow,
                           int solicited) {
        int length = NeighborDiscovery.LENGTH_WITH_LINK_LAYER;
        Ipv6Packet header = out.beginIpv6(host.mac(), toMac, length, Ipv6Packet.NEXT_ICMPV6, NeighborDiscovery.HOP_LIMIT)
                .setSource(targetHigh, targetLow).setDestination(toHigh, toLow);
        ByteBuffer frame = header.buffer();
        int at = PacketWriter.TRANSPORT_OFFSET_6;
        discoveryOut.wrap(frame, at, length).writeBody(targetHigh, targetLow, NeighborDiscovery.OPTION_TARGET_LINK_LAYER, host.mac());
        int flags = solicited | NeighborDiscovery.FLAG_OVERRIDE;
        icmpOut.wrap(frame, at, length).writeHeader(Icmpv6Message.TYPE_NEIGHBOR_ADVERTISEMENT, 0, flags,
                header.pseudoHeader(Ipv6Packet.NEXT_ICMPV6, length));
        out.commit(Ipv6Packet.HEADER_LENGTH + length);
        counters.increment(Counter.NDP_ADVERTISEMENTS);
    }

    /** An advertisement teaches its target's MAC (§7.2.5), when it carries one. */
    void advertisement(Ipv6Packet ip, Icmpv6Message icmp) {
        discovery.wrap(icmp.buffer(), icmp.offset(), icmp.length());
        if (ip.hopLimit() != NeighborDiscovery.HOP_LIMIT || icmp.code() != 0 || !discovery.isValid()
                || Ipv6Address.isMulticast(discovery.targetHigh())) {
            counters.drop(DropReason.NDP_MALFORMED);
            return;
        }
        long mac = discovery.linkLayerAddress(NeighborDiscovery.OPTION_TARGET_LINK_LAYER);
        if (mac < 0 || !isOnLink(discovery.targetHigh(), discovery.targetLow())) {
            return;
        }
        int target = addresses.intern(discovery.targetHigh(), discovery.targetLow());
        if (target != Ipv6Addresses.NONE && neighbors.learn(target, mac)) {
            listener.learned(target, mac);
        }
    }

    /**
     * Asks who has {@code target} for the host at {@code local} (RFC 4861 §7.2.2): to the target's
     * solicited-node group, with the host's MAC as source link-layer option.
     */
    void solicit(int local, long hostMac, int target) {
        long low = addresses.low(target);
        long groupLow = Ipv6Address.solicitedNodeLow(low);
        int length = NeighborDiscovery.LENGTH_WITH_LINK_LAYER;
        Ipv6Packet header = out.beginIpv6(hostMac, Ipv6Address.multicastMac(groupLow), length, Ipv6Packet.NEXT_ICMPV6,
                        NeighborDiscovery.HOP_LIMIT)
                .setSource(addresses.high(local), addresses.low(local))
                .setDestination(Ipv6Address.ALL_NODES_HIGH, groupLow);
        ByteBuffer frame = header.buffer();
        int at = PacketWriter.TRANSPORT_OFFSET_6;
        discoveryOut.wrap(frame, at, length).writeBody(addresses.high(target), low, NeighborDiscovery.OPTION_SOURCE_LINK_LAYER, hostMac);
        icmpOut.wrap(frame, at, length).writeHeader(Icmpv6Message.TYPE_NEIGHBOR_SOLICITATION, 0, 0,
                header.pseudoHeader(Ipv6Packet.NEXT_ICMPV6, length));
        out.commit(Ipv6Packet.HEADER_LENGTH + length);
        counters.increment(Counter.NDP_SOLICITATIONS);
    }

    /** Link-local, or inside the TAP's IPv6 prefix: a neighbour, whose MAC is worth learning. */
    private boolean isOnLink(long high, long low) {
        return Ipv6Address.isLinkLocal(high)
                || (segmentPrefix >= 0 && Ipv6Address.samePrefix(high, low, segmentHigh, segmentLow, segmentPrefix));
    }
}
