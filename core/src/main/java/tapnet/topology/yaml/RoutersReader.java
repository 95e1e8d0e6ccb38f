package tapnet.topology.yaml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import tapnet.topology.Address6;
import tapnet.topology.Prefix6;
import tapnet.topology.RouterSpec;
import tapnet.topology.TapSpec;
import tapnet.topology.Topology;
import tapnet.topology.VxlanSpec;
import tapnet.wire.MacAddress;

/**
 * Reads {@code routers: { r1: { address: 10.77.0.254, subnet: 10.78.1.1/24 } }}: each router on the TAP's
 * subnet or another router's, its own subnet overlapping nothing else. Routers are read before hosts, which
 * may live on their subnets; routers whose definitions had mistakes are noted in {@link KnownNodes}.
 */
final class RoutersReader {
    static final Section.Keys ROUTER = new Section.Keys("a router", List.of("address", "subnet", "address6", "subnet6", "advertise", "mac", "vxlan"));

    private final Problems problems;
    private final Scalars scalars;
    private final KnownNodes nodes;
    private final VxlanReader vxlans;

    RoutersReader(Problems problems, Scalars scalars, KnownNodes nodes, VxlanReader vxlans) {
        this.problems = problems;
        this.scalars = scalars;
        this.nodes = nodes;
        this.vxlans = vxlans;
    }

    /** The routers that read; without a TAP (null, reported) they are not checked against its subnet. */
    List<RouterSpec> read(Node value, TapSpec tap) {
        if (!(value instanceof MappingNode mapping)) {
            problems.at(value, "'routers' is " + Section.describe(value) + "; expected a mapping from names to routers,"
                    + " like routers: { r1: { address: 10.77.0.254, subnet: 10.78.1.1/24 } }");
            nodes.markNamesUnknown();
            return List.of();
        }
        List<RouterSpec> read = new ArrayList<>();
        Map<RouterSpec, Node> where = new HashMap<>();
        Map<RouterSpec, Node> where6 = new HashMap<>();
        for (NodeTuple entry : Section.uniqueEntries(mapping, "routers", problems).values()) {
            String name = ((ScalarNode) entry.getKeyNode()).getValue();
            RouterSpec router = router(name, entry.getKeyNode(), entry.getValueNode(), where, where6);
            if (router == null) {
                nodes.markUnread(name, "router");
                continue;
            }
            read.add(router);
            nodes.definedAt(router, entry.getKeyNode());
        }
        for (RouterSpec r : read) {
            if (tap != null && r.overlaps(tap.network(), tap.prefixLength())) {
                problems.at(where.get(r), "router " + r.name() + "'s subnet " + r.subnet() + " overlaps the TAP's "
                        + tap.subnet() + "; expected a subnet of its own");
                continue;
            }
            for (RouterSpec o : read) {
                if (o != r && r.overlaps(o.network(), o.prefixLength())) {
                    problems.at(where.get(r), "router " + r.name() + "'s subnet " + r.subnet() + " overlaps router "
                            + o.name() + "'s " + o.subnet() + "; expected subnets of their own");
                }
            }
            List<RouterSpec> others = read.stream().filter(o -> o != r).toList();
            String problem = tap == null ? null : Topology.addressProblem(tap, others, r.address());
            if (problem != null) {
                problems.at(where.get(r), problem);
            } else if (tap != null && r.hasIpv6()) {
                problem = Topology.router6Problem(r, Topology.prefix6For(tap, others, r.address()), tap, others);
                if (problem != null) {
                    problems.at(where6.get(r), "router " + r.name() + ": " + problem);
                }
            }
        }
        return read;
    }

    /** One router, its address node put in {@code where}; null when its address or subnet is missing or wrong. */
    private RouterSpec router(String name, Node nameNode, Node value, Map<RouterSpec, Node> where, Map<RouterSpec, Node> where6) {
        Section router = Section.read(value, nameNode, "router '" + name + "'", ROUTER, problems);
        if (router == null) {
            return null;
        }
        Node addressNode = router.require("address", "its address on its parent's subnet, like 10.77.0.254");
        Node subnetNode = router.require("subnet", "its address and prefix on the subnet it serves, like 10.78.1.1/24");
        Integer address = addressNode == null ? null : scalars.ipv4(addressNode, "address", "an IPv4 address like 10.77.0.254");
        Scalars.InterfaceAddress inside = subnetNode == null ? null : scalars.interfaceAddress(subnetNode);
        if (address == null || inside == null) {
            return null;
        }
        Long mac = router.has("mac") ? scalars.mac(router.get("mac")) : Long.valueOf(MacAddress.derivedFrom(address));
        // a wrong mac was reported: the router is still read, for the names and subnets of the others
        Address6 address6 = router.has("address6") ? scalars.ipv6(router.get("address6"), "address6", "fd77::fe") : null;
        Prefix6 subnet6 = router.has("subnet6") ? scalars.interfaceAddress6(router.get("subnet6"), "subnet6", "fd79:1::1/64") : null;
        if (router.has("address6") != router.has("subnet6")) {
            problems.at(router.has("address6") ? router.get("address6") : router.get("subnet6"), "a router with IPv6 needs both"
                    + " address6 (its address above) and subnet6 (its address and prefix below), like address6: fd77::fe,"
                    + " subnet6: fd79:1::1/64");
            return null;
        }
        if (router.has("address6") && (address6 == null || subnet6 == null)) {
            return null;
        }
        boolean advertise = router.has("advertise") && scalars.bool(router.get("advertise"), "advertise");
        if (advertise && subnet6 == null) {
            problems.at(router.get("advertise"), "only a router with IPv6 advertises IPv6 routes; give it address6 and"
                    + " subnet6, like address6: fd77::fe, subnet6: fd79:1::1/64");
            return null;
        }
        VxlanSpec vxlan = null;
        if (router.has("vxlan")) {
            vxlan = vxlans.read(router.get("vxlan"), router.keyNode("vxlan"), "router " + name + "'s subnet");
            if (vxlan == null) {
                return null;
            }
        }
        RouterSpec spec = new RouterSpec(name, address, mac == null ? 0 : mac, inside.address(), inside.prefixLength(),
                address6, subnet6, advertise, vxlan);
        where.put(spec, addressNode);
        where6.put(spec, router.has("address6") ? router.get("address6") : addressNode);
        return spec;
    }
}
