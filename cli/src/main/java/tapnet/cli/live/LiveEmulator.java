package tapnet.cli.live;

import java.io.IOException;
import java.util.List;
import tapnet.build.EngineBuilder;
import tapnet.tap.InterfaceAddress;
import tapnet.tap.InterfaceSettings;
import tapnet.tap.Ipv4RouteControl;
import tapnet.tap.Ipv4Routes;
import tapnet.tap.Ipv4Subnet;
import tapnet.tap.Ipv6InterfaceAddress;
import tapnet.tap.Ipv6RouteControl;
import tapnet.tap.Ipv6Routes;
import tapnet.tap.NetworkNamespace;
import tapnet.tap.TapDevice;
import tapnet.tap.TapEmulator;
import tapnet.tap.VxlanSocket;
import tapnet.time.LiveClock;
import tapnet.topology.PartRun;
import tapnet.topology.Prefix6;
import tapnet.topology.RouterSpec;
import tapnet.topology.TapSpec;
import tapnet.topology.Topology;
import tapnet.topology.Underlay;
import tapnet.wire.EthernetFrame;

/**
 * A topology running live: its TAP device made and configured (inside a network namespace when one is
 * given), after checking that its subnet is not routed already, and the engine behind it.
 */
final class LiveEmulator {
    private LiveEmulator() {
    }

    /** Thrown when the topology's subnet overlaps a route that is already there. */
    static final class SubnetInUseException extends IOException {
        SubnetInUseException(String message) {
            super(message);
        }
    }

    /**
     * Makes the TAP in {@code namespace} (or the current one when null), refusing a subnet that overlaps an
     * existing route unless {@code force}, and starts the engine behind it: the whole topology, or the part
     * {@code part} (null: whole). The segments with a {@code vxlan} (the TAP's, routers' subnets) get one
     * underlay socket for all, bound in the namespace their vxlan names (or tapnet's own).
     */
    static TapEmulator start(Topology topology, PartRun part, NetworkNamespace namespace, boolean force, long spinNanos,
                             boolean offloads, boolean direct, PortDevices ports) throws Exception {
        TapSpec spec = topology.tap();
        Underlay vxlan = part != null ? Underlay.of(part) : Underlay.of(topology);
        VxlanSocket underlay = vxlan == null ? null : openUnderlay(vxlan, spec.mtu());
        TapDevice tap;
        try {
            tap = namespace == null ? openTap(topology, force, offloads) : namespace.call(() -> openTap(topology, force, offloads));
        } catch (Exception e) {
            if (underlay != null) {
                underlay.close();
            }
            throw e;
        }
        TapEmulator.EngineFactory engine = (sink, portSinks, remoteSinks) ->
                part == null ? EngineBuilder.build(topology, new LiveClock(), sink, portSinks, remoteSinks)
                        : EngineBuilder.build(part, new LiveClock(), sink, portSinks, remoteSinks);
        if (direct) {
            return TapEmulator.startDirect(tap, ports.devices(), underlay, spec.mtu(), spinNanos, engine);
        }
        return TapEmulator.start(tap, ports.devices(), underlay, spec.mtu(), spinNanos, engine);
    }

    /** The VXLAN socket of every segment: to each peer, inner frames as large as the TAP's MTU makes them. */
    private static VxlanSocket openUnderlay(Underlay vxlan, int mtu) throws Exception {
        NetworkNamespace underlay = vxlan.netns() == null ? null : NetworkNamespace.existing(vxlan.netns());
        int[] peers = vxlan.peers().stream().mapToInt(Integer::intValue).toArray();
        return VxlanSocket.open(underlay, vxlan.local(), vxlan.port(), vxlan.firstVni(), peers, EthernetFrame.HEADER_LENGTH + mtu);
    }

    /** Runs in the target namespace: the route check, the TAP and its address all belong there. */
    private static TapDevice openTap(Topology topology, boolean force, boolean offloads) throws Exception {
        TapSpec spec = topology.tap();
        Ipv4Subnet subnet = Ipv4Subnet.containing(spec.address(), spec.prefixLength());
        // The connected route of the TAP's own device to exactly this subnet is no overlap: a persistent TAP an
        // administrator made and gave tap.address (the README's recipe for ordinary users) has it already.
        List<Object> overlapping = new java.util.ArrayList<>(Ipv4Routes.current().overlapping(subnet, spec.device()));
        for (RouterSpec router : topology.routers()) {
            overlapping.addAll(Ipv4Routes.current().overlapping(Ipv4Subnet.containing(router.inside(), router.prefixLength())));
        }
        Ipv6InterfaceAddress address6 = spec.hasIpv6() ? address6(spec.address6()) : null;
        if (address6 != null && !java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/sys/net/ipv6"))) {
            System.err.println("tapnet: this kernel has no IPv6 (booted with ipv6.disable=1?): the TAP gets no tap.address6,"
                    + " the hosts answer IPv4 only from here");
            address6 = null;
        }
        if (address6 != null) {
            overlapping.addAll(Ipv6Routes.current().overlapping(address6.subnet(), spec.device()));
        }
        for (RouterSpec router : topology.routers()) {
            if (router.hasIpv6() && address6 != null) {
                overlapping.addAll(Ipv6Routes.current().overlapping(address6(router.subnet6()).subnet()));
            }
        }
        if (!overlapping.isEmpty() && !force) {
            StringBuilder message = new StringBuilder("the topology's subnets overlap routes already in this network"
                    + " namespace:");
            for (Object route : overlapping) {
                message.append("\n  ").append(route);
            }
            message.append("\nPick another subnet in the topology's tap.address, run in a namespace of its own"
                    + " (--netns NAME), or pass --force if you know the overlap is harmless.");
            throw new SubnetInUseException(message.toString());
        }
        TapDevice tap = TapDevice.open(spec.device(), offloads);
        try {
            boolean advertised = address6 != null && topology.routers().stream().anyMatch(RouterSpec::advertise);
            tap.configure(new InterfaceSettings(new InterfaceAddress(spec.address(), spec.prefixLength()), spec.mtu(), address6,
                    advertised));
            // Each router's subnet through the router on the TAP's subnet above it; the routes go with the TAP.
            for (RouterSpec router : topology.routers()) {
                Ipv4RouteControl.add(Ipv4Subnet.containing(router.inside(), router.prefixLength()),
                        topology.gatewayTo(router).address());
                RouterSpec gateway = topology.gatewayTo(router);
                // its IPv6 subnet the same way, through the gateway's IPv6 address; or the kernel learns it from the
                // gateway's router advertisement (advertise: true)
                if (router.hasIpv6() && address6 != null && !gateway.advertise()) {
                    Ipv6RouteControl.add(address6(router.subnet6()).subnet(), gateway.address6().high(), gateway.address6().low());
                }
            }
        } catch (Exception e) {
            tap.close();
            throw e;
        }
        return tap;
    }

    /** The kernel's IPv6 address on the TAP, as the tap module configures it. */
    static Ipv6InterfaceAddress address6(Prefix6 address6) {
        return new Ipv6InterfaceAddress(address6.address().high(), address6.address().low(), address6.length());
    }
}
