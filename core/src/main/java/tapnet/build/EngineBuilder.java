package tapnet.build;

import tapnet.engine.Engine;
import tapnet.frame.FrameSink;
import tapnet.frame.UnderlaySinks;
import tapnet.node.VirtualHost;
import tapnet.time.Clock;
import tapnet.topology.Address6;
import tapnet.topology.HostSpec;
import tapnet.topology.LinkSpec;
import tapnet.topology.PartRun;
import tapnet.topology.Prefix6;
import tapnet.topology.RouterSpec;
import tapnet.topology.ServiceSpec;
import tapnet.topology.Topology;
import tapnet.topology.Underlay;
import tapnet.wire.EthernetFrame;

/**
 * Makes the {@link Engine} that plays a {@link Topology}: its TCP settings and seed, every host with its
 * address and MAC, and a handler listening on every service's port. What it made is described by
 * {@link TopologySummary#of(Topology)}.
 */
public final class EngineBuilder {
    private EngineBuilder() {
    }

    /**
     * An engine for {@code topology}, its output going to {@code sink}, without the topology's real ports (and
     * their links), if it has any.
     *
     * @throws IllegalArgumentException when the sink cannot take frames as large as the TAP's MTU allows
     */
    public static Engine build(Topology topology, Clock clock, FrameSink sink) {
        return build(topology, clock, sink, java.util.List.of());
    }

    /**
     * As above, with the topology's real ports: {@code portSinks} holds one sink per port, in the order of
     * {@link Topology#ports()}, and the ports become devices 1, 2, ... of the engine's segment; when it is
     * empty, the ports are left out.
     */
    public static Engine build(Topology topology, Clock clock, FrameSink sink, java.util.List<? extends FrameSink> portSinks) {
        return build(topology, clock, sink, portSinks, java.util.List.of());
    }

    /**
     * As above, with the TAP segment's VXLAN remotes: {@code remoteSinks} holds one sink per remote of
     * {@code tap.vxlan}, in its order, each sending what it is given to its remote; they become the devices after
     * the ports, named {@link #vxlanDeviceName}. Empty: the segment stays in this process.
     */
    public static Engine build(Topology topology, Clock clock, FrameSink sink, java.util.List<? extends FrameSink> portSinks,
                               java.util.List<? extends FrameSink> remoteSinks) {
        return build(topology, null, clock, sink, portSinks, remoteSinks.isEmpty() ? null : UnderlaySinks.of(remoteSinks));
    }

    /**
     * As above, with every segment the topology extends over VXLAN, the TAP's and the routers' subnets: each
     * sends through {@code underlay}'s sinks, to the peers {@link Underlay#of(Topology)} numbers (null: every
     * segment stays in this process). The underlay's datagrams come as the devices after the ports, one per peer
     * and one more for a sender that is none.
     */
    public static Engine build(Topology topology, Clock clock, FrameSink sink, java.util.List<? extends FrameSink> portSinks,
                               UnderlaySinks underlay) {
        return build(topology, null, clock, sink, portSinks, underlay);
    }

    /**
     * As above, for one part of a split topology: only the hosts, routers, ports and links of the nodes it
     * plays, the DNS server only in the first part, and the VXLAN remotes of {@link PartRun#vxlan()};
     * {@code portSinks} holds a sink per port the part plays, in the file's order.
     */
    public static Engine build(PartRun part, Clock clock, FrameSink sink, java.util.List<? extends FrameSink> portSinks,
                               java.util.List<? extends FrameSink> remoteSinks) {
        return build(part.topology(), part, clock, sink, portSinks, remoteSinks.isEmpty() ? null : UnderlaySinks.of(remoteSinks));
    }

    /** As above, with the underlay's sinks for every segment the part extends ({@link Underlay#of(PartRun)}). */
    public static Engine build(PartRun part, Clock clock, FrameSink sink, java.util.List<? extends FrameSink> portSinks,
                               UnderlaySinks underlay) {
        return build(part.topology(), part, clock, sink, portSinks, underlay);
    }

    /** The whole topology, or its part {@code part} (a view of it) when not null. */
    private static Engine build(Topology topology, PartRun part, Clock clock, FrameSink sink,
                                java.util.List<? extends FrameSink> portSinks, UnderlaySinks underlaySinks) {
        java.util.function.Predicate<String> plays = part == null ? node -> true : part::plays;
        java.util.List<tapnet.topology.PortSpec> ports = topology.ports().stream().filter(p -> plays.test(p.name())).toList();
        if (!portSinks.isEmpty() && portSinks.size() != ports.size()) {
            throw new IllegalArgumentException(ports.size() + " ports need as many sinks, not " + portSinks.size());
        }
        Underlay underlay = underlaySinks == null ? null : part == null ? Underlay.of(topology) : Underlay.of(part);
        int largestFrame = EthernetFrame.HEADER_LENGTH + topology.tap().mtu();
        if (sink.maxFrameLength() < largestFrame) {
            throw new IllegalArgumentException("the frame sink takes frames of at most " + sink.maxFrameLength()
                    + " bytes; MTU " + topology.tap().mtu() + " needs " + largestFrame);
        }
        Engine engine = new Engine(topology.tcp(), clock, sink, topology.seed());
        engine.segmentSubnet(topology.tap().address(), topology.tap().prefixLength());
        if (topology.tap().hasIpv6()) {
            Prefix6 tap6 = topology.tap().address6();
            engine.segmentPrefix6(tap6.address().high(), tap6.address().low(), tap6.length());
        }
        // Routers first, parents before children (a parent's subnet holds the child's address).
        java.util.List<RouterSpec> pending = new java.util.ArrayList<>(topology.routers().stream().filter(r -> plays.test(r.name())).toList());
        while (!pending.isEmpty()) {
            RouterSpec next = pending.stream()
                    .filter(r -> pending.stream().noneMatch(p -> p != r && p.contains(r.address())))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("routers form a cycle"));
            VirtualHost router = engine.addRouter(next.name(), next.address(), next.mac(), next.inside(), next.prefixLength());
            if (next.hasIpv6()) {
                Address6 inside6 = next.subnet6().address();
                engine.addRouter6(router, new long[] {next.address6().high(), next.address6().low()},
                        new long[] {inside6.high(), inside6.low()}, next.subnet6().length());
            }
            pending.remove(next);
        }
        advertiseRoutes(engine, topology, plays);
        // One handler per distinct service: a handler keeps what a connection needs in the connection (its
        // attachment), so hosts that serve the same thing share it, and 100,000 web servers hold one rendered
        // HTTP response, not 100,000. Services equal as records are the same service; an HTTP service with routes
        // counts its requests by host, so each host has its own.
        java.util.Map<ServiceSpec, tapnet.tcp.ConnectionHandler> handlers = new java.util.HashMap<>();
        java.util.Map<ServiceSpec, tapnet.net.UdpHandler> udpHandlers = new java.util.HashMap<>();
        for (HostSpec host : topology.hosts()) {
            if (!plays.test(host.name())) {
                continue;
            }
            VirtualHost virtualHost = engine.addHost(host.name(), host.address(), host.mac());
            for (int i = 0; i < host.addresses6().size(); i++) { // before its services, which serve them all
                Address6 address6 = host.addresses6().get(i);
                if (i == 0) {
                    engine.hosts().addIpv6(virtualHost, address6.high(), address6.low());
                } else {
                    engine.hosts().addMoreIpv6(virtualHost, address6.high(), address6.low());
                }
            }
            for (ServiceSpec service : host.services()) {
                if (service.udp()) {
                    engine.listenUdp(virtualHost, service.port(), udpHandlers.computeIfAbsent(service, ServiceHandlers::newUdpHandler));
                    continue;
                }
                // a service's route faults draw from the seed, the host and the port, as its TCP faults do
                long seed = topology.seed() * 31 + ((long) host.address() << 16 | service.port());
                tapnet.tcp.ConnectionHandler handler = ServiceHandlers.countsPerHost(service)
                        ? ServiceHandlers.newHandler(service, engine.counters(), host.name(), seed)
                        : handlers.computeIfAbsent(service, s -> ServiceHandlers.newHandler(s, engine.counters(), host.name(), seed));
                engine.listen(virtualHost, service.port(), handler, service.noDelay(), service.faults());
            }
        }
        if (part == null || part.first()) {
            addDnsServer(engine, topology);
        }
        if (part != null) {
            addRemoteNodes(engine, part);
        }
        for (int i = 0; i < portSinks.size(); i++) {
            engine.addPort(ports.get(i).name(), portSinks.get(i));
        }
        if (underlay != null) {
            addUnderlay(engine, topology, underlay, underlaySinks, 1 + portSinks.size());
        }
        for (LinkSpec link : topology.links()) {
            if (!plays.test(link.host())) {
                continue; // the part that plays the node applies its link, both ways: once
            }
            if (topology.port(link.host()).isPresent()) {
                int port = engine.port(link.host());
                if (port > 0) {
                    engine.setPortLink(port, link.towardHost(), link.towardTap());
                }
                continue;
            }
            engine.setLink(engine.node(link.host()), link.towardHost(), link.towardTap());
        }
        return engine;
    }

    /**
     * The run's VXLAN segments: the TAP segment's remotes as devices of the segment, the peers first (they
     * are its remotes, in order), then each router's subnet, sending to its remotes among the peers.
     */
    private static void addUnderlay(Engine engine, Topology topology, Underlay underlay, UnderlaySinks sinks, int firstPeer) {
        if (underlay.tap() != null) {
            java.util.List<Integer> remotes = underlay.tap().remotes();
            for (int i = 0; i < remotes.size(); i++) {
                engine.addVxlanRemote(vxlanDeviceName(remotes.get(i)), sinks.sink(i, underlay.tap().vni()), underlay.tap().vni());
            }
        }
        engine.vxlanSubnets().subnets().peers(firstPeer, underlay.peers().size());
        underlay.routers().forEach((name, vxlan) -> {
            RouterSpec router = topology.routers().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
            FrameSink[] remotes = vxlan.remotes().stream().map(r -> sinks.sink(underlay.peers().indexOf(r), vxlan.vni()))
                    .toArray(FrameSink[]::new);
            String[] names = vxlan.remotes().stream().map(r -> name + " " + vxlanDeviceName(r)).toArray(String[]::new);
            engine.vxlanSubnets().addVxlanSubnet(router.inside(), router.prefixLength(), vxlan.vni(), remotes, names,
                    underlay.remoteOfPeer(vxlan));
        });
    }

    /** The segment's device that stands for a VXLAN remote: {@code vxlan:ADDRESS}, its underlay address. */
    public static String vxlanDeviceName(int remote) {
        return "vxlan:" + tapnet.wire.Ipv4Address.format(remote);
    }

    /**
     * The name of the DNS server's own node: {@code dns@ADDRESS}. No host, router or port can have it (their
     * names have no '@'), so the server never takes a node's name, and no script or {@code ctl} command
     * reaches it by a name meant for a node.
     */
    public static String dnsNodeName(int address) {
        return "dns@" + tapnet.wire.Ipv4Address.format(address);
    }

    /**
     * The topology's DNS server, if it has one: a node of its own at the server's address, which answers ARP
     * and ping as every host does, with the zone served on UDP and TCP port 53. It is the last node added, so
     * that {@link EngineActions} finds it at the end of the host table.
     */
    /**
     * Each router with {@code advertise} answers router solicitations with the IPv6 routes behind it: its own
     * subnet6 and those of the routers below it, whose way from the TAP goes through it.
     */
    private static void advertiseRoutes(Engine engine, Topology topology, java.util.function.Predicate<String> plays) {
        for (RouterSpec advertiser : topology.routers()) {
            if (!advertiser.advertise() || !plays.test(advertiser.name())) {
                continue;
            }
            VirtualHost router = engine.node(advertiser.name());
            for (RouterSpec behind : topology.routers()) {
                if (behind.hasIpv6() && topology.gatewayTo(behind) == advertiser) {
                    Prefix6 subnet6 = behind.subnet6();
                    Address6 network = subnet6.network();
                    engine.advertise(router, network.high(), network.low(), subnet6.length());
                }
            }
        }
    }

    /** The nodes the other parts play, and their kernels ({@code tap}), by the addresses their frames carry. */
    private static void addRemoteNodes(Engine engine, PartRun part) {
        Topology topology = part.topology();
        tapnet.wire.Ipv6Addresses handles = engine.hosts().addresses6();
        for (HostSpec host : topology.hosts()) {
            if (!part.plays(host.name())) {
                int[] addresses = new int[1 + host.addresses6().size()];
                addresses[0] = host.address();
                for (int i = 0; i < host.addresses6().size(); i++) {
                    addresses[i + 1] = handles.intern(host.addresses6().get(i).high(), host.addresses6().get(i).low());
                }
                engine.remoteNodes().add(host.name(), routerAbove(topology, host.name()), addresses);
            }
        }
        for (RouterSpec router : topology.routers()) {
            if (!part.plays(router.name())) {
                engine.remoteNodes().add(router.name(), routerAbove(topology, router.name()), router.hasIpv6()
                        ? new int[] {router.address(), router.inside(), handles.intern(router.address6().high(), router.address6().low())}
                        : new int[] {router.address(), router.inside()});
            }
        }
        for (tapnet.topology.PortSpec port : topology.ports()) {
            if (!part.plays(port.name())) {
                engine.remoteNodes().add(port.name(), null, port.address6() == null ? new int[] {port.address()}
                        : new int[] {port.address(), handles.intern(port.address6().high(), port.address6().low())});
            }
        }
        for (tapnet.topology.PartSpec other : topology.parts()) {
            if (other != part.part()) {
                engine.remoteNodes().add(tapnet.segment.RemoteNodes.TAP, null, other.tap6() == null ? new int[] {other.tap()}
                        : new int[] {other.tap(), handles.intern(other.tap6().high(), other.tap6().low())});
            }
        }
    }

    private static String routerAbove(Topology topology, String node) {
        String parent = topology.parentOf(node).orElse(tapnet.topology.HostSpec.RESERVED_NAME);
        return parent.equals(tapnet.topology.HostSpec.RESERVED_NAME) ? null : parent;
    }

    private static void addDnsServer(Engine engine, Topology topology) {
        tapnet.dns.DnsZone zone = DnsZones.of(topology);
        if (zone == null) {
            return;
        }
        int address = topology.dns().address();
        VirtualHost server = engine.addHost(dnsNodeName(address), address, tapnet.wire.MacAddress.derivedFrom(address));
        // One set of faults for both transports: a query counts toward a rule's first N however it came. Seeded
        // from the run's seed, the server's address and port, as a service's faults are.
        tapnet.dns.DnsFaults faults = new tapnet.dns.DnsFaults(topology.dns().domain(), topology.dns().faults(),
                topology.seed() * 31 + ((long) address << 16 | tapnet.service.DnsUdpService.PORT));
        // One zone per service: a zone owns the flyweights it answers with, and both run on the engine thread.
        engine.listenUdp(server, tapnet.service.DnsUdpService.PORT,
                new tapnet.service.DnsUdpService(zone, faults, engine.counters()));
        engine.listen(server, tapnet.service.DnsUdpService.PORT,
                new tapnet.service.DnsTcpService(DnsZones.of(topology), faults, engine.counters()));
    }
}
