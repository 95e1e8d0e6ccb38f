package tapnet.topology.yaml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import tapnet.topology.HostSpec;
import tapnet.topology.Address6;
import tapnet.topology.PortSpec;
import tapnet.topology.RouterSpec;
import tapnet.topology.TapSpec;
import tapnet.topology.Topology;
import tapnet.wire.Ipv4Address;

/**
 * Reads {@code ports: { left: { address: 10.77.0.101 } }}: real ports on the TAP's segment, each with a name
 * and an address no host, router or other port has, and a device of its own in its netns ({@code {run}-left}
 * unless it gives one, see {@link PortSpec#RUN}). Ports are read after the routers and hosts whose names and
 * addresses they must not take; without a TAP (reported), only what needs none is checked.
 */
final class PortsReader {
    static final Section.Keys PORT = new Section.Keys("a port", List.of("netns", "address", "address6", "device"));

    private final Problems problems;
    private final Scalars scalars;
    private final KnownNodes nodes;

    PortsReader(Problems problems, Scalars scalars, KnownNodes nodes) {
        this.problems = problems;
        this.scalars = scalars;
        this.nodes = nodes;
    }

    /** Who already has a name, an address or a device in a namespace, to report the port that takes it again. */
    private record Holder(String who, Node node) {
    }

    /** What the ports read so far have taken, and the routers and hosts before them. */
    private record Taken(Map<String, Holder> names, Map<Integer, Holder> addresses, Map<String, Holder> devices) {
    }

    /** The ports that read, against the routers known and {@code hosts}. */
    List<PortSpec> read(Node value, TapSpec tap, List<HostSpec> hosts) {
        if (!(value instanceof MappingNode mapping)) {
            problems.at(value, "'ports' is " + Section.describe(value) + "; expected a mapping from names to ports,"
                    + " like ports: { left: { address: 10.77.0.101 } }");
            nodes.markNamesUnknown();
            return List.of();
        }
        Taken taken = new Taken(new HashMap<>(), new HashMap<>(), new HashMap<>());
        for (RouterSpec r : nodes.routers()) {
            Holder holder = new Holder("router '" + r.name() + "'", nodes.definitionOf(r));
            taken.names().putIfAbsent(r.name(), holder);
            taken.addresses().putIfAbsent(r.address(), holder);
        }
        for (HostSpec h : hosts) {
            Holder holder = new Holder("host '" + h.name() + "'", nodes.definitionOf(h));
            taken.names().putIfAbsent(h.name(), holder);
            taken.addresses().putIfAbsent(h.address(), holder);
        }
        List<PortSpec> read = new ArrayList<>();
        for (NodeTuple entry : Section.uniqueEntries(mapping, "ports", problems).values()) {
            PortSpec port = port(entry.getKeyNode(), entry.getValueNode(), tap, taken);
            if (port != null) {
                read.add(port);
            } else {
                nodes.markUnread(((ScalarNode) entry.getKeyNode()).getValue(), "port");
            }
        }
        return read;
    }

    private PortSpec port(Node nameNode, Node value, TapSpec tap, Taken taken) {
        int before = problems.count();
        String name = ((ScalarNode) nameNode).getValue();
        Holder self = new Holder("port '" + name + "'", nameNode);
        String nameProblem = Topology.portNameProblem(name);
        if (nameProblem != null) {
            problems.at(nameNode, nameProblem);
        }
        Holder sameName = taken.names().putIfAbsent(name, self);
        if (nameProblem == null && sameName != null) {
            problems.at(nameNode, "'" + name + "' is already the name of " + sameName.who() + " (line "
                    + Problems.line(sameName.node()) + "); expected a unique name per host, router and port");
        }
        Section port = Section.read(value, nameNode, "port '" + name + "'", PORT, problems);
        if (port == null) {
            return null;
        }
        // Without a netns, the port's namespace follows the run's: {run}-NAME, shop-left under --netns shop
        Node netnsNode = port.get("netns");
        String netns = netnsNode == null ? PortSpec.defaultNetns(name)
                : scalars.text(netnsNode, "netns", "the network namespace its device goes into, like " + PortSpec.defaultNetns(name));
        String netnsProblem = netnsNode == null || netns == null ? null : Topology.netnsProblem(netns);
        if (netnsProblem != null) {
            problems.at(netnsNode, netnsProblem);
        }
        String addressExpected = "the kernel's address in that namespace, "
                + (tap == null ? "like 10.77.0.101" : "in " + tap.subnet() + ", like " + Ipv4Address.format(TapReader.exampleAddress(tap)));
        Node addressNode = port.require("address", addressExpected);
        Integer address = addressNode == null ? null : scalars.ipv4(addressNode, "address", addressExpected);
        if (address != null) {
            String problem = tap == null ? null : Topology.addressProblem(tap, address);
            Holder first = problem == null ? taken.addresses().putIfAbsent(address, self) : null;
            if (problem == null && first != null) {
                problem = Ipv4Address.format(address) + " is already the address of " + first.who() + " (line "
                        + Problems.line(first.node()) + "); expected a unique address per host, router and port";
            }
            if (problem != null) {
                problems.at(addressNode, problem);
            }
        }
        Node deviceNode = port.get("device");
        String device = deviceNode == null ? PortSpec.DEFAULT_DEVICE : scalars.device(deviceNode, PortSpec.DEFAULT_DEVICE);
        if (netns != null && device != null && netnsProblem == null) {
            // two ports cannot be one device: the second would take the first's place in the namespace
            Holder first = taken.devices().putIfAbsent(netns + "/" + device, self);
            if (first != null) {
                problems.at(deviceNode != null ? deviceNode : netnsNode != null ? netnsNode : nameNode, device + " in netns "
                        + netns + " is already " + first.who() + " (line " + Problems.line(first.node())
                        + "); expected another device or netns");
            }
        }
        Address6 address6 = null;
        if (port.has("address6")) {
            address6 = scalars.ipv6(port.get("address6"), "address6", "fd77::65");
            String problem = address6 == null ? null : tap == null ? null : !tap.hasIpv6()
                    ? "the TAP has no IPv6 prefix; give it one first, like tap: { address6: fd77::1/64 }"
                    : !tap.address6().contains(address6) || tap.address6().address().equals(address6)
                    ? address6 + " is not a host address of the TAP's IPv6 prefix " + tap.address6().subnet() : null;
            if (problem != null) {
                problems.at(port.get("address6"), problem + "; expected an address like fd77::65");
            }
        }
        if (problems.count() != before) {
            return null;
        }
        return new PortSpec(name, netns, device, address, address6);
    }
}
