package tapnet.cli.live;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import tapnet.tap.InterfaceAddress;
import tapnet.tap.InterfaceSettings;
import tapnet.tap.Ipv4Route;
import tapnet.tap.Ipv4RouteControl;
import tapnet.tap.Ipv4Routes;
import tapnet.tap.Ipv4Subnet;
import tapnet.tap.Ipv6InterfaceAddress;
import tapnet.tap.Ipv6RouteControl;
import tapnet.tap.NetworkNamespace;
import tapnet.tap.TapDevice;
import tapnet.topology.Address6;
import tapnet.topology.PartRun;
import tapnet.topology.PortSpec;
import tapnet.topology.Prefix6;
import tapnet.topology.RouterSpec;
import tapnet.topology.Topology;

/**
 * The real ports of a live run: each port's namespace (claimed: made when missing, taken over when a killed
 * tapnet left it, see {@link NetworkNamespace#claim}) with a TAP device inside, given the port's address,
 * the TAP's prefix and MTU, and a route to each router's subnet as the TAP's namespace has. {@link #close()}
 * removes the namespaces it made or took over; the devices go with the emulator that owns them (or here,
 * when the run never started). The topology's ports have their namespaces' names filled in
 * ({@link Topology#inRun}).
 */
final class PortDevices implements AutoCloseable {
    private final List<TapDevice> devices = new ArrayList<>();
    /** Each port's namespace, by port name, in the topology's order. */
    private final java.util.Map<String, NetworkNamespace> namespaces = new java.util.LinkedHashMap<>();
    /** Every namespace claimed, by its name: two ports may share one. */
    private final java.util.Map<String, NetworkNamespace> claimed = new java.util.LinkedHashMap<>();

    /**
     * Opens every port of {@code topology}; on failure, undoes what it did and throws. A namespace that
     * exists already must not route the TAP's subnet elsewhere, unless {@code force}.
     */
    static PortDevices open(Topology topology, boolean force, boolean offloads) throws Exception {
        return open(topology, null, force, offloads);
    }

    /** As above, the ports part {@code part} plays (null: every port). */
    static PortDevices open(Topology topology, PartRun part, boolean force, boolean offloads) throws Exception {
        PortDevices ports = new PortDevices();
        try {
            for (PortSpec port : topology.ports()) {
                if (part != null && !part.plays(port.name())) {
                    continue;
                }
                ports.devices.add(ports.openPort(port, topology, force, offloads));
            }
        } catch (Exception e) {
            ports.close();
            throw e;
        }
        return ports;
    }

    private TapDevice openPort(PortSpec port, Topology topology, boolean force, boolean offloads) throws Exception {
        if (port.followsRun()) {
            throw new IllegalStateException("port " + port.name() + "'s namespace " + port.netns() + " was not filled in"
                    + " with the run's name (Topology.inRun)");
        }
        NetworkNamespace namespace = claimed.get(port.netns());
        if (namespace == null) {
            namespace = NetworkNamespace.claim(port.netns());
            claimed.put(port.netns(), namespace);
            if (namespace.owned()) {
                namespace.loopbackUp();
            } else {
                checkRoutes(port, namespace, topology, force);
            }
        }
        namespaces.put(port.name(), namespace);
        Ipv6InterfaceAddress address6 = port.address6() == null ? null
                : new Ipv6InterfaceAddress(port.address6().high(), port.address6().low(), topology.tap().address6().length());
        InterfaceSettings settings = new InterfaceSettings(
                new InterfaceAddress(port.address(), topology.tap().prefixLength()), topology.tap().mtu(), address6);
        return namespace.call(() -> {
            // With offloads, the port's kernel hands over TCP in 64 KB GSO frames, which cross perfect links whole.
            TapDevice device = TapDevice.open(port.device(), offloads);
            try {
                device.configure(settings);
                // As in the TAP's namespace: each router's subnet through the router on the segment above it.
                for (RouterSpec router : topology.routers()) {
                    Ipv4RouteControl.add(Ipv4Subnet.containing(router.inside(), router.prefixLength()),
                            topology.gatewayTo(router).address());
                    if (router.hasIpv6() && address6 != null) {
                        Address6 gateway = topology.gatewayTo(router).address6();
                        Prefix6 subnet6 = router.subnet6();
                        Ipv6RouteControl.add(new Ipv6InterfaceAddress(subnet6.address().high(), subnet6.address().low(),
                                subnet6.length()).subnet(), gateway.high(), gateway.low());
                    }
                }
            } catch (Exception e) {
                device.close();
                throw e;
            }
            return device;
        });
    }

    /** A namespace tapnet did not make must not route the TAP's subnet or a router's elsewhere, unless forced. */
    private static void checkRoutes(PortSpec port, NetworkNamespace namespace, Topology topology, boolean force) throws Exception {
        List<Ipv4Subnet> subnets = new ArrayList<>();
        subnets.add(Ipv4Subnet.containing(topology.tap().address(), topology.tap().prefixLength()));
        topology.routers().forEach(r -> subnets.add(Ipv4Subnet.containing(r.inside(), r.prefixLength())));
        List<Ipv4Route> overlapping = namespace.call(() -> {
            List<Ipv4Route> found = new ArrayList<>();
            for (Ipv4Subnet subnet : subnets) {
                found.addAll(Ipv4Routes.current().overlapping(subnet));
            }
            return found;
        });
        if (!overlapping.isEmpty() && !force) {
            throw new LiveEmulator.SubnetInUseException("port " + port.name() + "'s network namespace " + port.netns()
                    + " already routes " + overlapping + "; give the port a namespace of its own, or pass --force");
        }
    }

    /** Each port's namespace, by port name. */
    java.util.Map<String, NetworkNamespace> namespaces() {
        return namespaces;
    }

    /** The ports' devices, in the topology's order. */
    List<TapDevice> devices() {
        return devices;
    }

    /**
     * Closes the devices (a no-op for those the emulator closed) and ends the claims on the ports' namespaces:
     * those made or taken over are removed.
     */
    @Override
    public void close() {
        devices.forEach(TapDevice::close);
        for (NetworkNamespace namespace : claimed.values()) {
            try {
                namespace.release();
            } catch (IOException e) {
                System.err.println("tapnet: could not remove network namespace " + namespace.name() + ": " + e.getMessage());
            }
        }
        claimed.clear();
    }
}
