package tapnet.topology.yaml;

import java.util.List;
import org.snakeyaml.engine.v2.nodes.Node;
import tapnet.topology.Prefix6;
import tapnet.topology.TapSpec;
import tapnet.topology.VxlanSpec;
import tapnet.wire.Ipv6Packet;

/**
 * Reads {@code tap: { device: tapnet0, address: 10.77.0.1/24, address6: fd77::1/64, mtu: 1500, vxlan: {...} }}: the kernel's side of the TAP,
 * whose subnet the hosts are checked against. When only the device or MTU is wrong (reported) it still
 * gives the TAP, with their defaults, so that the hosts are checked all the same.
 */
final class TapReader {
    static final Section.Keys TAP = new Section.Keys("tap", List.of("device", "address", "address6", "mtu", "vxlan"));

    private final Problems problems;
    private final Scalars scalars;
    private final VxlanReader vxlans;

    TapReader(Problems problems, Scalars scalars, VxlanReader vxlans) {
        this.problems = problems;
        this.scalars = scalars;
        this.vxlans = vxlans;
    }

    /** The TAP; null when it is not a mapping, or its address is missing or wrong (reported). */
    TapSpec read(Node value, Node keyNode) {
        Section tap = Section.read(value, keyNode, "tap", TAP, problems);
        if (tap == null) {
            return null;
        }
        String device = tap.has("device") ? scalars.device(tap.get("device"), TapSpec.DEFAULT_DEVICE) : null;
        if (device == null) {
            device = TapSpec.DEFAULT_DEVICE;
        }
        Node addressNode = tap.require("address",
                "the kernel's address and the prefix length of the subnet routed into the TAP, like 10.77.0.1/24");
        Scalars.InterfaceAddress kernel = addressNode == null ? null : scalars.interfaceAddress(addressNode);
        int mtu = tap.has("mtu")
                ? (int) scalars.integer(tap.get("mtu"), "mtu", TapSpec.MIN_MTU, TapSpec.MAX_MTU,
                        "an MTU from " + TapSpec.MIN_MTU + " to " + TapSpec.MAX_MTU + " bytes", TapSpec.DEFAULT_MTU)
                : TapSpec.DEFAULT_MTU;
        Prefix6 address6 = tap.has("address6") ? scalars.interfaceAddress6(tap.get("address6")) : null;
        if (address6 != null && mtu < Ipv6Packet.MIN_MTU) {
            problems.at(tap.get("mtu"), "mtu " + mtu + " is below IPv6's minimum; expected at least " + Ipv6Packet.MIN_MTU
                    + " with address6 (RFC 8200 §5)");
            address6 = null;
        }
        VxlanSpec vxlan = tap.has("vxlan") ? vxlans.read(tap.get("vxlan"), tap.keyNode("vxlan"), "the TAP's segment") : null;
        return kernel == null ? null : new TapSpec(device, kernel.address(), kernel.prefixLength(), mtu, address6, vxlan);
    }

    /** An address of the TAP's subnet to suggest for a node: the one after the kernel's, or the subnet's first. */
    static int exampleAddress(TapSpec tap) {
        int next = tap.address() + 1;
        return next <= tap.lastHost() ? next : tap.firstHost();
    }
}
