package tapnet.route;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tapnet.link.Impairments;
import tapnet.link.LinkDirection;
import tapnet.link.Links;
import tapnet.link.SplitMix64;
import tapnet.node.HostTable;
import tapnet.node.VirtualHost;
import tapnet.wire.Ipv6Address;
import tapnet.wire.Ipv6Addresses;

/**
 * Where each node sits: on the TAP's segment or behind a router (a tree of routers, at most
 * {@link #MAX_DEPTH} deep), the subnets the routers route, and the emulated link each node has to its
 * parent, one {@link LinkDirection} per direction. Nodes are named by their index in the host table; a
 * router also has an entry for its address on its own subnet, which stands for the same node. Built before
 * the engine starts; links change any time. Engine thread only.
 */
public final class NodeTree {
    static final int MAX_DEPTH = 32;
    private static final int DOWN = 0;
    private static final int UP = 1;

    private final HostTable hosts;
    private final long seed;
    /** Routed subnets: network, mask and router node, in the order routers were added. */
    private final List<int[]> subnets = new ArrayList<>();
    /** Routers' IPv6 subnets: high, low, prefix length, router node. */
    private final List<long[]> subnets6 = new ArrayList<>();
    private HostInterfaces interfaces;

    // By host-table index: the node an entry stands for, its parent node (-1: the TAP), whether it routes.
    private int[] node = new int[0];
    private int[] parent = new int[0];
    private boolean[] router = new boolean[0];
    private LinkDirection[] toNode = new LinkDirection[0];
    private LinkDirection[] toParent = new LinkDirection[0];
    /** Whether any frame needs more than the direct path: a router or a link exists. */
    private boolean active;

    /** @param seed the engine's: each node's link draws from generators derived from it and the node */
    public NodeTree(HostTable hosts, long seed) {
        this.hosts = hosts;
        this.seed = seed;
    }

    /** Where the hosts learn the MTU of their way; before the first node is added. */
    public void tellMtusTo(HostInterfaces hostInterfaces) {
        this.interfaces = hostInterfaces;
    }

    /** A host (or a router's upstream entry) whose parent is {@code parentNode} (-1: on the TAP's segment). */
    public void addNode(VirtualHost entry, int parentNode, boolean isRouter) {
        grow(entry.index() + 1);
        node[entry.index()] = entry.index();
        parent[entry.index()] = parentNode;
        router[entry.index()] = isRouter;
        active |= parentNode >= 0 || isRouter;
        interfaces.setInterfaceMtu(entry, pathMtu(entry.index()));
    }

    /** A router's subnet: addresses under {@code mask} equal to {@code network} lie behind {@code routerNode}. */
    public void addSubnet(int network, int mask, int routerNode) {
        subnets.add(new int[] {network & mask, mask, routerNode});
    }

    /** Router {@code routerNode} serves the IPv6 subnet high/low/{@code prefixLength}. Before the engine starts. */
    public void addSubnet6(long high, long low, int prefixLength, int routerNode) {
        subnets6.add(new long[] {high, low, prefixLength, routerNode});
    }

    /**
     * The router node whose IPv6 subnet holds high/low most specifically, or -1. A walk of the routers, for
     * a packet to an address no node has (a router answers it address unreachable), never per packet to a node.
     */
    public int routerFor6(long high, long low) {
        int best = -1;
        long bestLength = -1;
        for (int i = 0; i < subnets6.size(); i++) { // by index: an iterator per packet is an allocation per packet
            long[] subnet = subnets6.get(i);
            if (Ipv6Address.samePrefix(high, low, subnet[0], subnet[1], (int) subnet[2]) && subnet[2] > bestLength) {
                best = (int) subnet[3];
                bestLength = subnet[2];
            }
        }
        return best;
    }

    /** Router {@code routerNode}'s IPv6 subnet: high, low and prefix length; null when it has none. */
    long[] subnet6Of(int routerNode) {
        for (long[] subnet : subnets6) {
            if (subnet[3] == routerNode) {
                return new long[] {subnet[0], subnet[1], subnet[2]};
            }
        }
        return null;
    }

    /** The router node whose subnet holds {@code address} most specifically, or -1: the TAP's segment. */
    public int routerFor(int address) {
        int best = -1;
        int bestMask = 0;
        for (int i = 0; i < subnets.size(); i++) { // by index: an iterator per packet is an allocation per packet
            int[] subnet = subnets.get(i);
            if ((address & subnet[1]) == subnet[0] && (best < 0 || Integer.compareUnsigned(subnet[1], bestMask) > 0)) {
                best = subnet[2];
                bestMask = subnet[1];
            }
        }
        return best;
    }

    /** A router's address on its own subnet: another name for node {@code routerNode}. */
    public void addAlias(VirtualHost entry, int routerNode) {
        grow(entry.index() + 1);
        node[entry.index()] = routerNode;
        parent[entry.index()] = parent[routerNode];
        router[entry.index()] = true;
    }

    /**
     * Makes the per-entry arrays hold at least {@code size} entries: by half again at least, so that adding
     * 100,000 hosts one by one copies them some thirty times, not 100,000. Entries past the table stand for
     * themselves, on the TAP's segment, without links, as an entry the tree never heard of does.
     */
    private void grow(int size) {
        if (node.length < size) {
            int old = node.length;
            int capacity = Math.max(size, old + (old >> 1) + 16);
            node = Arrays.copyOf(node, capacity);
            parent = Arrays.copyOf(parent, capacity);
            router = Arrays.copyOf(router, capacity);
            toNode = Arrays.copyOf(toNode, capacity);
            toParent = Arrays.copyOf(toParent, capacity);
            for (int i = old; i < capacity; i++) {
                node[i] = i;
                parent[i] = -1;
            }
        }
    }

    /** The node a host-table entry stands for (a router's subnet-side entry stands for the router). */
    public int nodeOf(VirtualHost entry) {
        return nodeOf(entry.index());
    }

    int nodeOf(int entry) {
        return entry < node.length ? node[entry] : entry;
    }

    /** Whether the tree knows the entry (a frame for an entry it does not know takes the direct path). */
    boolean knows(int entry) {
        return entry < node.length;
    }

    /** Sets the link between a node and its parent, each direction on its own generators. Any time. */
    public void setLink(VirtualHost entry, Impairments towardNode, Impairments towardParent) {
        grow(hosts.size());
        int n = nodeOf(entry);
        // keyed by the node's name, not its place in the table: a run of one part makes the same choices as a whole one
        long key = SplitMix64.derive(seed, hosts.get(n).name().hashCode());
        toNode[n] = Links.update(toNode[n], towardNode, SplitMix64.derive(key, DOWN));
        toParent[n] = Links.update(toParent[n], towardParent, SplitMix64.derive(key, UP));
        active = true;
        if (!router[n]) {
            interfaces.setInterfaceMtu(entry, pathMtu(n)); // a host's link is on its own path only
            return;
        }
        for (int i = 0; i < hosts.size(); i++) {
            interfaces.setInterfaceMtu(hosts.get(i), pathMtu(i)); // the hosts below a router too; new connections follow
        }
    }

    /** Whether an entry stands for a router (either of its addresses), which may have nodes below it. */
    public boolean isRouter(VirtualHost entry) {
        return isRouter(entry.index());
    }

    boolean isRouter(int entry) {
        return entry < router.length && router[entry];
    }

    /**
     * Every host-table entry that stands for {@code host}'s node: a router has one on each of its subnets,
     * found by a walk of the table; a host has only itself, found without one (a ctl command or script event
     * naming one of 100,000 hosts should not cost a walk).
     */
    public List<VirtualHost> entriesOf(VirtualHost host) {
        if (!isRouter(host)) {
            return List.of(host);
        }
        List<VirtualHost> entries = new ArrayList<>();
        int n = nodeOf(host);
        for (VirtualHost entry : hosts.all()) {
            if (nodeOf(entry) == n) {
                entries.add(entry);
            }
        }
        return entries;
    }

    /**
     * The smallest MTU of the links (either direction) between an entry's node and the TAP, or
     * {@link Impairments#NO_MTU}: what the host takes for its interface's MTU when it picks its MSS.
     */
    private int pathMtu(int entry) {
        int smallest = Impairments.NO_MTU;
        for (int n = node[entry], depth = 0; n >= 0 && depth < MAX_DEPTH; n = parent[n], depth++) {
            smallest = smaller(smaller(smallest, toNode[n]), toParent[n]);
        }
        return smallest;
    }

    private static int smaller(int mtu, LinkDirection link) {
        int other = link == null ? Impairments.NO_MTU : link.impairments().mtu();
        if (other == Impairments.NO_MTU) {
            return mtu;
        }
        return mtu == Impairments.NO_MTU ? other : Math.min(mtu, other);
    }

    public LinkDirection towardNode(VirtualHost entry) {
        return towardNode(nodeOf(entry));
    }

    public LinkDirection towardParent(VirtualHost entry) {
        return towardParent(nodeOf(entry));
    }

    /** Node {@code n}'s link toward it, or null. */
    LinkDirection towardNode(int n) {
        return n < toNode.length ? toNode[n] : null;
    }

    /** Node {@code n}'s link toward its parent, or null. */
    LinkDirection towardParent(int n) {
        return n < toParent.length ? toParent[n] : null;
    }

    /** The router node above a host-table entry's node, or -1 when it is on the TAP's segment. */
    public int parentOf(int entry) {
        return entry < node.length ? parent[node[entry]] : -1;
    }

    /** The MAC of the router a node sits behind, or -1 when it is on the TAP's segment. */
    public long parentMac(VirtualHost entry) {
        int n = nodeOf(entry);
        return n < parent.length && parent[n] >= 0 ? hosts.get(parent[n]).mac() : -1;
    }

    /**
     * Where {@code from} sends a packet for {@code address} without ARP: behind a router, to that router;
     * on the TAP's segment, to the router on the segment above a routed address; otherwise -1 (ask ARP).
     */
    public long nextHopMac(VirtualHost from, int address) {
        long up = parentMac(from);
        if (up >= 0) {
            return up;
        }
        int routerNode = Ipv6Addresses.isHandle(address)
                ? routerFor6(hosts.addresses6().high(address), hosts.addresses6().low(address)) : routerFor(address);
        return routerNode < 0 ? -1 : hosts.get(topOf(routerNode)).mac();
    }

    /** The node on the TAP's segment that {@code n} is, or sits below. */
    int topOf(int n) {
        for (int depth = 0; parent[n] >= 0 && depth < MAX_DEPTH; depth++) {
            n = parent[n];
        }
        return n;
    }

    /** Whether any frame needs more than the direct path: a router or a link exists. */
    public boolean active() {
        return active;
    }

    /** Nodes from {@code source} up to the one on the TAP's segment, into {@code chain}; returns how many. */
    int chainUp(int source, int[] chain) {
        int depth = 0;
        for (int n = source; n >= 0 && depth < MAX_DEPTH; n = parent[n]) {
            chain[depth++] = n;
        }
        return depth;
    }

    /** Nodes from the top (on the TAP's segment) down to {@code target}, into {@code chain}; returns how many. */
    int chainDown(int target, int[] chain) {
        int depth = chainUp(target, chain);
        for (int i = 0, j = depth - 1; i < j; i++, j--) {
            int t = chain[i];
            chain[i] = chain[j];
            chain[j] = t;
        }
        return depth;
    }

    /** Whether a node on the TAP's segment neither routes nor has a link: its frames take the direct path. */
    boolean direct(int entry) {
        return parent[entry] < 0 && toNode[node[entry]] == null && !router[entry];
    }

    /** Whether a node's frames up to the TAP take the direct path: on the TAP's segment, no link up. */
    boolean directUp(int entry) {
        return parent[entry] < 0 && toParent[node[entry]] == null;
    }

    /** Whether the entry's node sits behind a router. */
    boolean behindRouter(int entry) {
        return parent[entry] >= 0;
    }
}
