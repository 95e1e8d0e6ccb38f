package tapnet.topology.yaml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import tapnet.observe.Counters;
import tapnet.topology.Address6;
import tapnet.topology.HostSpec;
import tapnet.topology.Prefix6;
import tapnet.topology.ServiceSpec;
import tapnet.topology.TapSpec;
import tapnet.topology.Topology;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

/**
 * Reads {@code hosts: { web: { address: 10.77.0.10, mac: ..., services: [...] } }}: the virtual hosts, each
 * with an address in the TAP's subnet or a router's, and an address and MAC no other host has. Hosts whose
 * definitions had mistakes are noted in {@link KnownNodes}, and hosts that read are placed there.
 */
final class HostsReader {
    static final Section.Keys HOST = new Section.Keys("a host", List.of("address", "address6", "mac", "services"),
            Map.of("handshake", "handshake faults are given per service, in its faults: list, like services: [ { port: 80,"
                    + " http: {}, faults: [ { synAckDelay: 200ms } ] } ]"));

    private final Problems problems;
    private final Scalars scalars;
    private final KnownNodes nodes;
    private final ServicesReader services;

    HostsReader(Problems problems, Scalars scalars, KnownNodes nodes) {
        this.problems = problems;
        this.scalars = scalars;
        this.nodes = nodes;
        this.services = new ServicesReader(problems, scalars);
    }

    /** Who already has an address or MAC, to report the second one. */
    private record Owner(String host, Node node) {
    }

    /** The hosts that read, against the TAP (null when it did not read) and the routers known. */
    List<HostSpec> read(Node value, Node keyNode, TapSpec tap) {
        String expected = "a mapping from host names to hosts, like hosts: { web: { address: 10.77.0.10 } }";
        if (Section.isNull(value) || value instanceof MappingNode m && m.getValue().isEmpty()) {
            problems.at(Section.isNull(value) ? keyNode : value, "'hosts' is empty; expected at least one host in " + expected);
            return List.of();
        }
        if (!(value instanceof MappingNode mapping)) {
            problems.at(value, "'hosts' is " + Section.describe(value) + "; expected " + expected);
            nodes.markNamesUnknown();
            return List.of();
        }
        Map<Integer, Owner> addresses = new HashMap<>();
        Map<Address6, Owner> addresses6 = new HashMap<>();
        Map<Long, Owner> macs = new HashMap<>();
        List<HostSpec> hosts = new ArrayList<>();
        long namedCounters = 0;
        for (NodeTuple entry : Section.uniqueEntries(mapping, "hosts", problems).values()) {
            HostSpec host = host(entry.getKeyNode(), entry.getValueNode(), tap, addresses, addresses6, macs);
            if (host != null) {
                hosts.add(host);
                nodes.definedAt(host, entry.getKeyNode());
                long before = namedCounters;
                namedCounters += namedCounters(host);
                if (namedCounters > Counters.MAX_NAMED && before <= Counters.MAX_NAMED) {
                    problems.at(entry.getKeyNode(), "with host '" + host.name() + "', the http routes need " + namedCounters
                            + " counters, more than the " + Counters.MAX_NAMED + " a run keeps (each host counts each route's"
                            + " requests and statuses apart); expected fewer hosts or routes with routes, or plain http"
                            + " services (status and body, no routes: not counted)");
                }
            } else {
                nodes.markUnread(((ScalarNode) entry.getKeyNode()).getValue(), "host");
            }
        }
        return hosts;
    }

    /** The named counters a host's services keep (its http routes'). */
    private static int namedCounters(HostSpec host) {
        return host.services().stream().map(s -> s instanceof ServiceSpec.Tuned t ? t.service() : s)
                .mapToInt(s -> s instanceof ServiceSpec.Http http ? http.namedCounters() : 0).sum();
    }

    private HostSpec host(Node nameNode, Node value, TapSpec tap, Map<Integer, Owner> addresses,
                          Map<Address6, Owner> addresses6, Map<Long, Owner> macs) {
        int before = problems.count();
        String name = ((ScalarNode) nameNode).getValue();
        String nameProblem = HostSpec.nameProblem(name);
        if (nameProblem != null) {
            problems.at(nameNode, nameProblem);
        }
        Section host = Section.read(value, nameNode, "host '" + name + "'", HOST, problems);
        if (host == null) {
            return null;
        }
        String addressExpected = tap == null ? "an IPv4 address like 10.77.0.10"
                : "an IPv4 address in " + tap.subnet() + ", like " + Ipv4Address.format(TapReader.exampleAddress(tap));
        Node addressNode = host.require("address", addressExpected);
        Integer address = addressNode == null ? null : scalars.ipv4(addressNode, "address", addressExpected);
        if (address != null && tap != null) {
            String problem = Topology.addressProblem(tap, nodes.routers(), address);
            if (problem != null) {
                problems.at(addressNode, problem);
            }
        }
        boolean addressTaken = false;
        if (address != null) {
            Owner first = addresses.putIfAbsent(address, new Owner(name, addressNode));
            addressTaken = first != null;
            if (addressTaken) {
                problems.at(addressNode, Ipv4Address.format(address) + " is already the address of host '" + first.host()
                        + "' (line " + Problems.line(first.node()) + "); expected a unique address per host");
            }
        }

        Long mac = null;
        Node macNode = host.get("mac");
        if (macNode != null) {
            mac = scalars.mac(macNode);
        } else if (address != null) {
            mac = MacAddress.derivedFrom(address);
        }
        if (mac != null && !(macNode == null && addressTaken)) { // a taken address's derived MAC is taken too: said already
            Node where = macNode != null ? macNode : addressNode;
            Owner first = macs.putIfAbsent(mac, new Owner(name, where));
            if (first != null) {
                problems.at(where, (macNode != null ? "" : "the MAC derived from this address, ") + MacAddress.format(mac)
                        + ", is already the MAC of host '" + first.host() + "' (line " + Problems.line(first.node())
                        + "); expected a unique MAC per host" + (macNode != null ? "" : ": give one of them a mac"));
            }
        }

        Prefix6 prefix6 = tap == null || address == null ? null : Topology.prefix6For(tap, nodes.routers(), address);
        List<Address6> list6 = new ArrayList<>();
        if (host.has("address6") && tap != null && address != null) {
            // one address, or a list of them (the first is the one the host sends from)
            Node node6 = host.get("address6");
            List<Node> nodes6 = node6 instanceof SequenceNode sequence ? sequence.getValue() : List.of(node6);
            if (nodes6.isEmpty()) {
                problems.at(node6, "an empty list of IPv6 addresses; expected one address or a list, like address6: fd77::10");
            }
            for (Node one : nodes6) {
                Address6 address6 = address6(one, name, prefix6, addresses6);
                if (address6 != null) {
                    list6.add(address6);
                }
            }
        }
        List<ServiceSpec> served = host.has("services") ? services.read(host.get("services")) : List.of();
        if (served == null || problems.count() != before) {
            return null;
        }
        return new HostSpec(name, address, mac, served, list6);
    }

    /**
     * {@code address6:} in the IPv6 prefix of its segment ({@code prefix6}: the TAP's, or its router's
     * subnet6), not the kernel's or router's own, no other host's; null when reported.
     */
    private Address6 address6(Node node, String name, Prefix6 prefix6, Map<Address6, Owner> taken) {
        String example = prefix6 != null ? exampleAddress6(prefix6) : "fd77::10";
        Address6 address6 = scalars.ipv6(node, "address6", example);
        if (address6 == null) {
            return null;
        }
        if (prefix6 == null) {
            problems.at(node, "the host's segment has no IPv6 prefix; give it one first, like tap: { address6: fd77::1/64 }"
                    + " (or, behind a router, the router's subnet6)");
            return null;
        }
        if (!prefix6.contains(address6)) {
            problems.at(node, address6 + " is not in its segment's IPv6 prefix " + prefix6.subnet() + "; expected an address like "
                    + example);
            return null;
        }
        if (prefix6.network().equals(address6)) {
            problems.at(node, address6 + " is the Subnet-Router anycast address of " + prefix6.subnet()
                    + " (RFC 4291 §2.6.1); expected a host's address, like " + example);
            return null;
        }
        if (prefix6.address().equals(address6)) {
            problems.at(node, address6 + " is the address of the kernel's or router's side of the segment; expected another,"
                    + " like " + example);
            return null;
        }
        Owner first = taken.putIfAbsent(address6, new Owner(name, node));
        if (first != null) {
            problems.at(node, address6 + " is already the IPv6 address of host '" + first.host() + "' (line "
                    + Problems.line(first.node()) + "); expected a unique address per host");
            return null;
        }
        return address6;
    }

    /** An address of the TAP's IPv6 prefix to suggest: the kernel's plus 15 (fd77::1 gives fd77::10). */
    private static String exampleAddress6(Prefix6 tap) {
        return new Address6(tap.address().high(), tap.address().low() + 15).toString();
    }
}
