package tapnet.topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The VXLAN underlay of one run: one UDP socket, bound to {@code local} and {@code port} in {@code netns},
 * for every segment the run extends over VXLAN, as the kernel's vxlan devices share one socket per port; a
 * datagram's VNI says which segment it is for. Its peers are the remotes of every segment, each once, the
 * TAP segment's first and in their order: the underlay numbers them so.
 *
 * @param tap     the TAP's segment as this run extends it, or null
 * @param routers each router whose subnet this run extends, by name, in the file's order
 */
public record Underlay(int local, int port, String netns, VxlanSpec tap, Map<String, VxlanSpec> routers, List<Integer> peers) {
    public Underlay {
        routers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(routers));
        peers = List.copyOf(peers);
    }

    /** The underlay of the whole topology, run in one process; null when no segment has a vxlan. */
    public static Underlay of(Topology topology) {
        Map<String, VxlanSpec> routers = new LinkedHashMap<>();
        topology.routers().stream().filter(r -> r.vxlan() != null).forEach(r -> routers.put(r.name(), r.vxlan()));
        return of(topology.tap().vxlan(), routers);
    }

    /** The underlay of one part of a split topology: the TAP segment's, and the subnets of the routers it plays. */
    public static Underlay of(PartRun part) {
        Map<String, VxlanSpec> routers = new LinkedHashMap<>();
        for (RouterSpec router : part.topology().routers()) {
            VxlanSpec vxlan = part.vxlanOf(router);
            if (vxlan != null) {
                routers.put(router.name(), vxlan);
            }
        }
        return of(part.vxlan(), routers);
    }

    private static Underlay of(VxlanSpec tap, Map<String, VxlanSpec> routers) {
        List<VxlanSpec> segments = new ArrayList<>();
        if (tap != null) {
            segments.add(tap);
        }
        segments.addAll(routers.values());
        if (segments.isEmpty()) {
            return null;
        }
        List<Integer> peers = new ArrayList<>();
        for (VxlanSpec segment : segments) {
            segment.remotes().stream().filter(r -> !peers.contains(r)).forEach(peers::add);
        }
        VxlanSpec first = segments.get(0);
        return new Underlay(first.local(), first.port(), first.netns(), tap, routers, peers);
    }

    /** The VNI of the first segment: what the socket's own datagrams (not a segment's) carry. */
    public int firstVni() {
        return tap != null ? tap.vni() : routers.values().iterator().next().vni();
    }

    /** Per peer, its remote number in {@code segment}'s remotes, or -1 when it is none of them. */
    public int[] remoteOfPeer(VxlanSpec segment) {
        int[] remoteOf = new int[peers.size()];
        for (int i = 0; i < remoteOf.length; i++) {
            remoteOf[i] = segment.remotes().indexOf(peers.get(i));
        }
        return remoteOf;
    }
}
