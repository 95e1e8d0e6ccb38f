package tapnet.topology;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tapnet.wire.Ipv4Address;

/**
 * One part of a topology split over several runs ({@code tapnet run FILE --part NAME}): the hosts, routers
 * and ports it plays, and its address on the underlay, where the other parts reach it over VXLAN.
 *
 * @param name     what {@code --part} names it by
 * @param nodes    the names of the hosts, routers and ports it plays, in the file's order; at least one
 * @param underlay its IPv4 address on the underlay: the local address of every VXLAN segment it runs
 */
public record PartSpec(String name, List<String> nodes, int underlay) {
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

    /**
     * Null when {@code parts} (none: a topology run whole) fit the VXLAN segments {@code vxlans}: with parts,
     * at least one segment, each taking its local address from the part, no remote a part's underlay;
     * without, every segment with a local address of its own; a VNI per segment. Else what is wrong.
     */
    static String vxlanProblem(List<PartSpec> parts, List<VxlanSpec> vxlans) {
        if (vxlans.stream().map(VxlanSpec::vni).distinct().count() < vxlans.size()) {
            return "two vxlan segments have the same VNI"; // frames of one would land on the other
        }
        if (parts.isEmpty()) {
            return vxlans.stream().anyMatch(VxlanSpec::localFromPart)
                    ? "a vxlan segment without a local address needs parts, whose underlay addresses stand in" : null;
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
