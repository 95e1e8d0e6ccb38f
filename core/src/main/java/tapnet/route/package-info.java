/**
 * Layer 5, routers: where each node sits and its link to its parent ({@link tapnet.route.NodeTree}), how
 * frames cross those links and the routers between the segment and their node ({@link tapnet.route.Paths}:
 * TTL, ICMP time exceeded, fragmentation needed and path MTU, host unreachable), how IPv4 packets too big
 * for a link are cut ({@link tapnet.route.Ipv4Fragmenter}, which the hosts use too), and what the hosts
 * write into ({@link tapnet.route.HostSink}). Frames that reached their node go up through
 * {@link tapnet.route.HostInterfaces}, which the layer above implements. A router's subnet may be extended
 * over VXLAN to real machines ({@link tapnet.route.VxlanSubnet}: ARP and neighbour discovery, MACs per
 * remote; {@link tapnet.route.VxlanRouting}: what crosses, and how).
 *
 * <p>Depends on segment (its partitions, which machines on a router's subnet obey), link, node, frame, wire
 * and the basics. Engine thread only.
 */
package tapnet.route;
