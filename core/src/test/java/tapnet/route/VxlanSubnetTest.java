package tapnet.route;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tapnet.build.EngineBuilder;
import tapnet.engine.Engine;
import tapnet.frame.Offload;
import tapnet.observe.Counter;
import tapnet.observe.DropReason;
import tapnet.testing.CapturingSink;
import tapnet.testing.Decoded;
import tapnet.testing.FrameBuilder;
import tapnet.time.VirtualClock;
import tapnet.topology.Topology;
import tapnet.topology.yaml.TopologyLoader;
import tapnet.wire.ArpPacket;
import tapnet.wire.EthernetFrame;
import tapnet.wire.Icmpv6Message;
import tapnet.wire.Ipv4Address;
import tapnet.wire.Ipv6Address;
import tapnet.wire.Ipv6Packet;
import tapnet.wire.NeighborDiscovery;
import tapnet.wire.MacAddress;
import tapnet.wire.VxlanHeader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A router's subnet extended over VXLAN: machines behind the remotes ARP for the router and the nodes on
 * the subnet and are answered with their MACs, the router finds theirs by ARP to every remote, and packets
 * cross between them and every node, through the router with one TTL less, straight to a node on the subnet
 * across its link alone. In the engine, on a virtual clock.
 */
class VxlanSubnetTest {
    private static final int VNI = 7;
    private static final String FILE = """
            tap: { address: 10.77.0.1/24, address6: fd77::1/64 }
            routers:
              edge: { address: 10.77.0.254, subnet: 10.78.0.1/16, address6: fd77::fe, subnet6: fd78::1/64, vxlan: { vni: 7, local: 192.168.50.1, remotes: [192.168.50.2, 192.168.50.3] } }
              inner: { address: 10.78.1.2, subnet: 10.79.2.1/24 }
            hosts:
              app: { address: 10.78.1.10, address6: fd78::10, services: [ { port: 7, echo: {} } ] }
              deep: { address: 10.79.2.10, services: [ { port: 7, echo: {} } ] }
            links:
              - { between: [edge, app], delay: 5ms }
            """;
    private static final int KERNEL = ip("10.77.0.1");
    private static final long KERNEL_MAC = MacAddress.parse("02:00:00:00:00:01");
    private static final int MACHINE = ip("10.78.1.50");
    private static final long MACHINE_MAC = MacAddress.parse("02:00:00:00:05:50");
    /** The machine sits behind the second remote; the first remote is another machine's. */
    private static final int PEER = 1;
    private static final int DEVICE = 1 + PEER; // the TAP, then one device per peer

    private final VirtualClock clock = new VirtualClock(TimeUnit.SECONDS.toNanos(1000));
    private final CapturingSink tap = new CapturingSink(1514);
    /** What each peer is sent, by VNI: inner frames (the underlay puts the VXLAN header before them). */
    private final CapturingSink[] peers = {new CapturingSink(1514), new CapturingSink(1514)};
    private final Topology topology = parse(FILE);
    private final Engine engine = EngineBuilder.build(topology, clock, tap, List.of(), (peer, vni) -> {
        assertEquals(VNI, vni, "the router's subnet sends with its VNI");
        return peers[peer];
    });
    private final long edgeMac = engine.hosts().byName("edge").mac();
    private final long appMac = engine.hosts().byName("app").mac();

    private void fromMachine(byte[] frame) {
        fromUnderlay(DEVICE, VNI, frame);
    }

    private void fromUnderlay(int device, int vni, byte[] frame) {
        ByteBuffer datagram = ByteBuffer.allocate(VxlanHeader.LENGTH + frame.length);
        new VxlanHeader().wrap(datagram, 0, VxlanHeader.LENGTH).write(vni);
        datagram.put(VxlanHeader.LENGTH, frame);
        engine.onFrame(datagram, 0, datagram.capacity(), Offload.NONE, device);
        engine.endOfBatch();
    }

    private void fromKernel(byte[] frame) {
        engine.onFrame(ByteBuffer.wrap(frame), 0, frame.length, Offload.NONE, 0);
        engine.endOfBatch();
    }

    private void after(long millis) {
        clock.advance(millis, TimeUnit.MILLISECONDS);
        engine.pollTimers();
    }

    private static byte[] arpReply(long senderMac, int senderIp, long targetMac, int targetIp) {
        byte[] frame = new byte[EthernetFrame.MIN_FRAME_LENGTH];
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        new EthernetFrame().wrap(buffer, 0, frame.length).setDestination(targetMac).setSource(senderMac)
                .setEtherType(EthernetFrame.TYPE_ARP);
        new ArpPacket().wrap(buffer, EthernetFrame.HEADER_LENGTH, ArpPacket.LENGTH)
                .write(ArpPacket.OPERATION_REPLY, senderMac, senderIp, targetMac, targetIp);
        return frame;
    }

    @Test
    void aMachineOnTheSubnetIsAnsweredArpForTheRouterAndTheNodesOnItOnly() {
        Map<Integer, Long> owners = Map.of(ip("10.78.0.1"), edgeMac, ip("10.78.1.10"), appMac,
                ip("10.78.1.2"), engine.hosts().byName("inner").mac());
        owners.forEach((address, mac) -> {
            fromMachine(FrameBuilder.arpRequest(MACHINE_MAC, MACHINE, address));
            List<byte[]> answers = peers[PEER].drain();
            assertEquals(1, answers.size(), "answered to the remote that asked, once");
            Decoded reply = Decoded.of(answers.get(0));
            assertEquals(ArpPacket.OPERATION_REPLY, reply.arp().operation());
            assertEquals(mac, reply.arp().senderMac());
            assertEquals(address, reply.arp().senderIp());
            assertEquals(MACHINE_MAC, reply.ethDestination());
        });
        fromMachine(FrameBuilder.arpRequest(MACHINE_MAC, MACHINE, ip("10.79.2.10"))); // deep: behind inner, not here
        fromMachine(FrameBuilder.arpRequest(MACHINE_MAC, MACHINE, ip("10.78.1.99"))); // nobody's
        assertTrue(peers[PEER].drain().isEmpty() && peers[0].drain().isEmpty() && tap.drain().isEmpty());
        assertEquals(3, engine.counters().get(Counter.ARP_REPLIES));
    }

    @Test
    void theKernelReachesAMachineOnTheSubnetThroughTheRouterWhoseArpAsksEveryRemote() {
        fromKernel(FrameBuilder.echoRequest(KERNEL_MAC, engine.hosts().byName("edge").mac(), KERNEL, MACHINE, 1, 1, new byte[32]));
        for (CapturingSink peer : peers) {
            Decoded question = Decoded.of(peer.drain().get(0));
            assertEquals(MacAddress.BROADCAST, question.ethDestination(), "head-end replication: to every remote");
            assertEquals(ArpPacket.OPERATION_REQUEST, question.arp().operation());
            assertEquals(ip("10.78.0.1"), question.arp().senderIp());
            assertEquals(MACHINE, question.arp().targetIp());
        }
        fromMachine(arpReply(MACHINE_MAC, MACHINE, edgeMac, ip("10.78.0.1")));
        Decoded ping = Decoded.of(peers[PEER].drain().get(0));
        assertEquals(MACHINE_MAC, ping.ethDestination(), "the ping that waited, to the MAC ARP found");
        assertEquals(edgeMac, ping.ethSource());
        assertEquals(63, ping.ttl(), "the router counted its hop");
        assertTrue(peers[0].drain().isEmpty(), "the MAC was learned behind the remote that answered");

        long framesIn = engine.counters().get(Counter.FRAMES_IN);
        fromMachine(FrameBuilder.udp(MACHINE_MAC, edgeMac, MACHINE, KERNEL, 5000, 6000, new byte[32]));
        assertEquals(framesIn + 1, engine.counters().get(Counter.FRAMES_IN), "a machine's frame counts in");
        Decoded reply = Decoded.of(tap.drain().get(0));
        assertEquals(MACHINE, reply.ipSource());
        assertEquals(63, reply.ttl());
        assertEquals(edgeMac, reply.ethSource(), "from the router on the TAP's segment");
        assertEquals(KERNEL_MAC, reply.ethDestination());
    }

    @Test
    void aMachinePingsAHostOnTheSubnetAcrossItsLinkAloneAndNoHopIsCounted() {
        fromMachine(FrameBuilder.arpRequest(MACHINE_MAC, MACHINE, ip("10.78.1.10")));
        peers[PEER].drain();
        fromMachine(FrameBuilder.echoRequest(MACHINE_MAC, appMac, MACHINE, ip("10.78.1.10"), 1, 1, new byte[32]));
        after(4);
        assertTrue(peers[PEER].drain().isEmpty(), "app's 5 ms link holds the ping");
        after(2);
        after(4);
        assertTrue(peers[PEER].drain().isEmpty(), "and the reply, 5 ms back");
        after(2);
        List<byte[]> replies = peers[PEER].drain();
        assertEquals(1, replies.size(), "app's MAC for the machine was learned from its ARP: no question first");
        Decoded reply = Decoded.of(replies.get(0));
        assertEquals(0, reply.icmp().type());
        assertEquals(64, reply.ttl(), "one subnet: no router in between");
        assertEquals(MACHINE_MAC, reply.ethDestination());
        assertEquals(appMac, reply.ethSource(), "from app's own MAC, as a host on the subnet sends");
    }

    @Test
    void aMachineReachesAHostBehindAnInnerRouterAndBackThroughTwoHops() {
        fromMachine(FrameBuilder.arpRequest(MACHINE_MAC, MACHINE, ip("10.78.0.1")));
        peers[PEER].drain();
        fromMachine(FrameBuilder.echoRequest(MACHINE_MAC, edgeMac, MACHINE, ip("10.79.2.10"), 1, 1, new byte[32]));
        Decoded reply = Decoded.of(peers[PEER].drain().get(0));
        assertEquals(ip("10.79.2.10"), reply.ipSource());
        assertEquals(62, reply.ttl(), "inner, then edge");
        assertTrue(tap.drain().isEmpty(), "never through the TAP");
    }

    @Test
    void whatTheSubnetCannotTakeIsCountedAndDropped() {
        byte[] ping = FrameBuilder.echoRequest(MACHINE_MAC, edgeMac, MACHINE, ip("10.78.0.1"), 1, 1, new byte[8]);
        fromUnderlay(3, VNI, ping); // the underlay's unknown sender: one past the two peers
        fromUnderlay(DEVICE, 42, ping); // the TAP's segment has no VXLAN here
        fromMachine(FrameBuilder.echoRequest(MACHINE_MAC, MacAddress.parse("02:00:00:00:07:07"), MACHINE, ip("10.78.0.1"), 1, 2, new byte[8]));
        fromMachine(FrameBuilder.echoRequest(MACHINE_MAC, edgeMac, MACHINE, ip("10.78.1.51"), 1, 3, new byte[8]));
        fromMachine(FrameBuilder.udp6(MACHINE_MAC, Ipv6Address.multicastMac(1), FrameBuilder.v6("fd78::50"),
                FrameBuilder.v6("ff02::1"), 5000, 5000, new byte[8]));
        assertEquals(1, engine.counters().dropped(DropReason.VXLAN_UNKNOWN_REMOTE));
        assertEquals(1, engine.counters().dropped(DropReason.VXLAN_OTHER_VNI));
        assertEquals(1, engine.counters().dropped(DropReason.NOT_OUR_MAC));
        assertEquals(1, engine.counters().dropped(DropReason.NO_SUCH_HOST), "between two machines: not the router's to carry");
        assertEquals(1, engine.counters().dropped(DropReason.IPV6_NOT_UNICAST), "IPv6 to all nodes: not routed");
        assertTrue(peers[0].drain().isEmpty() && peers[PEER].drain().isEmpty() && tap.drain().isEmpty());

        fromMachine(ping);
        assertEquals(MACHINE, Decoded.of(peers[PEER].drain().get(0)).arp().targetIp(), "the router asks where the machine is");
        fromMachine(arpReply(MACHINE_MAC, MACHINE, edgeMac, ip("10.78.0.1")));
        Decoded reply = Decoded.of(peers[PEER].drain().get(0));
        assertEquals(0, reply.icmp().type(), "then answers the ping to its own address");
        assertEquals(ip("10.78.0.1"), reply.ipSource());
    }

    @Test
    void overIpv6NeighbourDiscoveryAnswersAndFindsMachines() {
        long[] machine6 = FrameBuilder.v6("fd78::50");
        fromMachine(FrameBuilder.neighborSolicitation(MACHINE_MAC, machine6, FrameBuilder.v6("fd78::1")));
        Decoded router = Decoded.of(peers[PEER].drain().get(0));
        assertEquals(edgeMac, router.ndp().targetLinkLayer());
        assertTrue(router.ndp().router() && router.ndp().solicited(), "the router's advertisement says so");
        assertEquals("fd78::50", router.ipv6().destination());
        fromMachine(FrameBuilder.neighborSolicitation(MACHINE_MAC, machine6, FrameBuilder.v6("fd78::10")));
        Decoded app = Decoded.of(peers[PEER].drain().get(0));
        assertEquals(appMac, app.ndp().targetLinkLayer());
        assertTrue(!app.ndp().router() && app.ndp().solicited());
        fromMachine(FrameBuilder.neighborSolicitation(MACHINE_MAC, machine6, FrameBuilder.v6("fd78::99")));
        assertTrue(peers[PEER].drain().isEmpty(), "nobody's address: no answer");
        long[] unspecified = {0, 0};
        long malformed = engine.counters().dropped(DropReason.NDP_MALFORMED);
        fromMachine(FrameBuilder.neighborSolicitation(MACHINE_MAC, unspecified, FrameBuilder.v6("fd78::10")));
        assertEquals(malformed + 1, engine.counters().dropped(DropReason.NDP_MALFORMED),
                "from :: with a source link-layer option (RFC 4861 section 7.1.1)");
        // duplicate address detection: the probe learns fd78::10 is taken
        byte[] probe = FrameBuilder.ipv6(MACHINE_MAC, Ipv6Address.multicastMac(Ipv6Address.solicitedNodeLow(0x10)),
                unspecified, FrameBuilder.solicitedNode(FrameBuilder.v6("fd78::10")), 255, Ipv6Packet.NEXT_ICMPV6,
                FrameBuilder.icmpv6(unspecified, FrameBuilder.solicitedNode(FrameBuilder.v6("fd78::10")),
                        Icmpv6Message.TYPE_NEIGHBOR_SOLICITATION, 0, 0, FrameBuilder.ndBody(FrameBuilder.v6("fd78::10"))));
        peers[PEER].drain();
        fromMachine(probe);
        Decoded taken = Decoded.of(peers[PEER].drain().get(0));
        assertEquals("ff02::1", taken.ipv6().destination(), "to all nodes, as the prober has no address yet");
        assertTrue(!taken.ndp().solicited() && taken.ndp().override());
        assertEquals(appMac, taken.ndp().targetLinkLayer());

        long[] other = FrameBuilder.v6("fd78::51");
        long otherMac = MacAddress.parse("02:00:00:00:05:51");
        fromKernel(FrameBuilder.echoRequest6(KERNEL_MAC, edgeMac, FrameBuilder.v6("fd77::1"), other, 1, 1, new byte[16]));
        for (CapturingSink peer : peers) {
            Decoded question = Decoded.of(peer.drain().get(0));
            assertEquals(Icmpv6Message.TYPE_NEIGHBOR_SOLICITATION, question.icmp().type(), "asked of every remote");
            assertEquals("fd78::51", question.ndp().target());
            assertEquals("fd78::1", question.ipv6().source());
        }
        fromUnderlay(1, VNI, FrameBuilder.ipv6(otherMac, edgeMac, other, FrameBuilder.v6("fd78::1"), 255, Ipv6Packet.NEXT_ICMPV6,
                FrameBuilder.icmpv6(other, FrameBuilder.v6("fd78::1"), Icmpv6Message.TYPE_NEIGHBOR_ADVERTISEMENT, 0,
                        NeighborDiscovery.FLAG_SOLICITED | NeighborDiscovery.FLAG_OVERRIDE,
                        FrameBuilder.ndBody(other, FrameBuilder.targetLinkLayer(otherMac)))));
        Decoded ping = Decoded.of(peers[0].drain().get(0));
        assertEquals(otherMac, ping.ethDestination(), "the ping that waited, to the remote that answered");
        assertEquals(63, ping.ttl(), "one hop: edge");

        fromMachine(FrameBuilder.echoRequest6(MACHINE_MAC, appMac, machine6, FrameBuilder.v6("fd78::10"), 1, 2, new byte[16]));
        after(6);
        after(6);
        Decoded reply = Decoded.of(peers[PEER].drain().get(0));
        assertEquals(Icmpv6Message.TYPE_ECHO_REPLY, reply.icmp().type());
        assertEquals(64, reply.ttl(), "app is on the subnet: straight");
        assertEquals(MACHINE_MAC, reply.ethDestination(), "the machine's MAC, learned from its solicitation");

        engine.partition(List.of(List.of("tap"), List.of("edge")));
        long dropped = engine.counters().dropped(DropReason.PARTITIONED);
        fromKernel(FrameBuilder.echoRequest6(KERNEL_MAC, edgeMac, FrameBuilder.v6("fd77::1"), machine6, 1, 3, new byte[16]));
        assertEquals(dropped + 1, engine.counters().dropped(DropReason.PARTITIONED), "an IPv6 machine is in edge's group too");
        assertTrue(peers[PEER].drain().isEmpty());
    }

    @Test
    void aMachineIsInItsRoutersGroupOfAPartition() {
        fromKernel(FrameBuilder.echoRequest(KERNEL_MAC, edgeMac, KERNEL, ip("10.77.0.254"), 1, 0, new byte[8]));
        fromMachine(FrameBuilder.arpRequest(MACHINE_MAC, MACHINE, ip("10.78.1.10")));
        tap.drain();
        peers[PEER].drain();
        engine.partition(List.of(List.of("tap"), List.of("edge")));
        fromKernel(FrameBuilder.echoRequest(KERNEL_MAC, edgeMac, KERNEL, MACHINE, 1, 1, new byte[8]));
        fromMachine(FrameBuilder.udp(MACHINE_MAC, edgeMac, MACHINE, KERNEL, 5000, 6000, new byte[8]));
        assertEquals(2, engine.counters().dropped(DropReason.PARTITIONED), "cut from the kernel both ways, as edge is");
        assertTrue(tap.drain().isEmpty() && peers[PEER].drain().isEmpty());

        engine.partition(List.of(List.of("app"), List.of("edge")));
        fromMachine(FrameBuilder.echoRequest(MACHINE_MAC, appMac, MACHINE, ip("10.78.1.10"), 1, 2, new byte[8]));
        fromMachine(FrameBuilder.echoRequest(MACHINE_MAC, edgeMac, MACHINE, ip("10.79.2.10"), 1, 3, new byte[8]));
        after(20);
        List<byte[]> answers = peers[PEER].drain();
        assertEquals(3, engine.counters().dropped(DropReason.PARTITIONED), "from app, in a group of its own");
        assertEquals(1, answers.size(), "deep, behind inner behind edge, is in edge's group with the machine");
        assertEquals(ip("10.79.2.10"), Decoded.of(answers.get(0)).ipSource());

        engine.heal();
        fromMachine(FrameBuilder.echoRequest(MACHINE_MAC, appMac, MACHINE, ip("10.78.1.10"), 1, 4, new byte[8]));
        after(10);
        after(10);
        assertEquals(1, peers[PEER].drain().size(), "healed");
    }

    @Test
    void packetsToAndFromMachinesAllocateNothingInSteadyState() {
        tapnet.frame.DiscardingSink discard = new tapnet.frame.DiscardingSink(1514);
        Engine quiet = EngineBuilder.build(topology, clock, discard, List.of(), (peer, vni) -> discard);
        ByteBuffer arp = datagram(FrameBuilder.arpRequest(MACHINE_MAC, MACHINE, ip("10.78.0.1")));
        ByteBuffer toDeep = datagram(FrameBuilder.echoRequest(MACHINE_MAC, edgeMac, MACHINE, ip("10.79.2.10"), 1, 1, new byte[64]));
        byte[] toDeepBytes = toDeep.array().clone();
        byte[] fromKernelBytes = FrameBuilder.echoRequest(KERNEL_MAC, edgeMac, KERNEL, MACHINE, 1, 1, new byte[64]);
        ByteBuffer fromKernel = ByteBuffer.allocate(fromKernelBytes.length);
        quiet.onFrame(arp, 0, arp.capacity(), Offload.NONE, DEVICE);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = 0;
        for (int i = 0; i < 40_000; i++) {
            if (i == 20_000) { // the first half warms up: the JIT's own allocations are not the path's
                before = threads.getCurrentThreadAllocatedBytes();
            }
            toDeep.put(0, toDeepBytes); // the routers lowered the TTL in place: each round starts afresh
            fromKernel.put(0, fromKernelBytes);
            quiet.onFrame(toDeep, 0, toDeep.capacity(), Offload.NONE, DEVICE);
            quiet.onFrame(fromKernel, 0, fromKernel.capacity(), Offload.NONE, 0);
            quiet.endOfBatch();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(40_000, quiet.counters().get(Counter.ICMP_ECHO_REPLIES), "deep answered every ping");
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes over 20,000 pings each way");
    }

    private static ByteBuffer datagram(byte[] frame) {
        ByteBuffer datagram = ByteBuffer.allocate(VxlanHeader.LENGTH + frame.length);
        new VxlanHeader().wrap(datagram, 0, VxlanHeader.LENGTH).write(VNI);
        return datagram.put(VxlanHeader.LENGTH, frame);
    }

    @Test
    void packetsWaitingForArpAndLearnedAddressesAndMacsAreBounded() {
        for (int i = 0; i <= SubnetNeighbors.WAITING; i++) {
            fromKernel(FrameBuilder.echoRequest(KERNEL_MAC, edgeMac, KERNEL, ip("10.78.3.0") + i, 1, i, new byte[8]));
        }
        assertEquals(1, engine.counters().dropped(DropReason.NEIGHBOR_UNRESOLVED), "the oldest gave way");
        for (int i = 0; i <= SubnetNeighbors.MAX_NEIGHBORS; i++) {
            fromMachine(FrameBuilder.arpRequest(MACHINE_MAC + i, ip("10.78.100.0") + i, ip("10.78.0.1")));
        }
        assertEquals(1, engine.counters().get(Counter.NEIGHBORS_NOT_LEARNED));
        for (int i = SubnetNeighbors.MAX_NEIGHBORS + 1; i <= SubnetStations.MAX_STATIONS; i++) {
            fromMachine(FrameBuilder.arpRequest(MACHINE_MAC + i, MACHINE, ip("10.78.1.99")));
        }
        assertEquals(1, engine.counters().get(Counter.STATIONS_NOT_LEARNED));
    }

    private static Topology parse(String text) {
        try {
            return TopologyLoader.parse("subnet.yaml", text);
        } catch (tapnet.topology.yaml.TopologyException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private static int ip(String text) {
        return Ipv4Address.parse(text);
    }
}
