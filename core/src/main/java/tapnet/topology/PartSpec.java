package tapnet.topology;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tapnet.wire.Ipv4Address;

/**
 * One part of a topology split over several runs ({@code tapnet run FILE --part NAME}): the hosts, routers
 * and ports it plays, and its address on the underlay, where the other parts reach it over VXLAN.
 *
 * @param name     what {@code --part} names it by
 * @param nodes    the names of the hosts, routers and ports it plays, in the file's order; at least one
 * @param underlay its IPv4 address on the underlay: the local address of every VXLAN segment it runs
 * @param tap      the kernel's IPv4 address on this part's TAP, in the TAP's subnet; 0: the file's {@code
 *                 tap.address}. Each part's kernel sits on the one segment, so each needs an address of its own.
 * @param tap6     the same for IPv6; null: the file's {@code tap.address6}
 */
public record PartSpec(String name, List<String> nodes, int underlay, int tap, Address6 tap6) {
    /** A part whose kernel takes the file's TAP addresses. */
    public PartSpec(String name, List<String> nodes, int underlay) {
        this(name, nodes, underlay, 0, null);
    }

    public PartSpec {
        String problem = nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("part " + name + " has no nodes");
        }
    }

    /** Part names follow host names' rules, since {@code --part NAME} gives them on a command line. */
    public static String nameProblem(String name) {
        String problem = HostSpec.nameProblem(name);
        return problem == null ? null : problem.replace("host name", "part name").replace("like web or db-1", "like east");
    }

    /** Whether this part plays the host, router or port called {@code node}. */
    public boolean plays(String node) {
        return nodes.contains(node);
    }

    /**
     * Null when each part's kernel has TAP addresses of its own: in the TAP's subnet (and prefix), at most one
     * part taking the file's, and none a node's ({@code taken}); else what is wrong.
     */
    static String tapProblem(List<PartSpec> parts, TapSpec tap, Set<Integer> taken, Set<Address6> taken6) {
        Map<Integer, String> addresses = new HashMap<>();
        Map<Address6, String> addresses6 = new HashMap<>();
        for (PartSpec part : parts) {
            int address = part.tap == 0 ? tap.address() : part.tap;
            if (!tap.contains(address) || address == tap.network() || address == tap.broadcast() || taken.contains(address)) {
                return "part " + part.name + "'s tap " + Ipv4Address.format(address) + " is not a free host address of " + tap.subnet();
            }
            String other = addresses.putIfAbsent(address, part.name);
            if (other != null) {
                return "parts " + other + " and " + part.name + " both give their kernel " + Ipv4Address.format(address)
                        + "; give each part but one a tap address of its own";
            }
            if (part.tap6 != null && !tap.hasIpv6()) {
                return "part " + part.name + " has tap6, but the TAP has no address6";
            }
            if (tap.hasIpv6()) {
                Address6 address6 = part.tap6 == null ? tap.address6().address() : part.tap6;
                if (!tap.address6().contains(address6) || taken6.contains(address6)) {
                    return "part " + part.name + "'s tap6 " + address6 + " is not a free address of " + tap.address6().subnet();
                }
                other = addresses6.putIfAbsent(address6, part.name);
                if (other != null) {
                    return "parts " + other + " and " + part.name + " both give their kernel " + address6
                            + "; give each part but one a tap6 address of its own";
                }
            }
        }
        return null;
    }

    /**
     * Null when {@code parts} (none: a topology run whole) fit the VXLAN segments {@code vxlans}: with parts,
     * at least one segment, each taking its local address from the part, no remote a part's underlay;
     * without, every segment with a local address of its own; a VNI per segment, one underlay for all. Else what
     * is wrong.
     */
    static String vxlanProblem(List<PartSpec> parts, List<VxlanSpec> vxlans) {
        if (vxlans.stream().map(VxlanSpec::vni).distinct().count() < vxlans.size()) {
            return "two vxlan segments have the same VNI"; // frames of one would land on the other
        }
        if (vxlans.stream().map(v -> java.util.Arrays.asList(v.local(), v.port(), v.netns())).distinct().count() > 1) {
            return "the vxlan segments have different underlays: every segment goes through one UDP socket (the same"
                    + " local, port and netns)";
        }
        if (parts.isEmpty()) {
            return vxlans.stream().anyMatch(VxlanSpec::localFromPart)
                    ? "a vxlan segment without a local address needs parts, whose underlay addresses stand in"
                    : vxlans.stream().anyMatch(v -> v.netns() != null && v.netns().contains(VxlanSpec.PART))
                    ? "a vxlan's netns names " + VxlanSpec.PART + ", and the file has no parts" : null;
        }
        if (vxlans.isEmpty()) {
            return "parts join over VXLAN, and no segment has vxlan";
        }
        for (VxlanSpec vxlan : vxlans) {
            if (!vxlan.localFromPart()) {
                return "with parts, a vxlan segment's local address is each part's underlay, not " + Ipv4Address.format(vxlan.local());
            }
            for (PartSpec part : parts) {
                if (vxlan.remotes().contains(part.underlay())) {
                    return "remote " + Ipv4Address.format(part.underlay()) + " is part " + part.name() + "'s underlay";
                }
            }
        }
        return null;
    }

    /**
     * Null when {@code parts} split {@code nodes} (every host, router and port) so that each is in exactly
     * one part, with part names and underlay addresses unique; else what is wrong.
     */
    static String splitProblem(List<PartSpec> parts, Collection<String> nodes) {
        Map<String, String> partOf = new HashMap<>();
        Map<Integer, String> underlays = new HashMap<>();
        Map<String, PartSpec> names = new HashMap<>();
        for (PartSpec part : parts) {
            if (names.putIfAbsent(part.name(), part) != null) {
                return "two parts are named " + part.name();
            }
            String other = underlays.putIfAbsent(part.underlay(), part.name());
            if (other != null) {
                return "parts " + other + " and " + part.name() + " have the underlay " + Ipv4Address.format(part.underlay());
            }
            for (String node : part.nodes()) {
                if (!nodes.contains(node)) {
                    return "part " + part.name() + " names " + node + ", which is not a host, router or port";
                }
                other = partOf.putIfAbsent(node, part.name());
                if (other != null) {
                    return node + " is in parts " + other + " and " + part.name();
                }
            }
        }
        for (String node : nodes) {
            if (!partOf.containsKey(node)) {
                return node + " is in no part";
            }
        }
        return null;
    }
}
