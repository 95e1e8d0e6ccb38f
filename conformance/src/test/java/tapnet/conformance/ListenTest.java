package tapnet.conformance;

import static tapnet.conformance.Peer.ISS;
import static tapnet.conformance.Segments.ANSWER;
import static tapnet.conformance.Segments.SILENCE;
import static tapnet.conformance.Segments.ack;
import static tapnet.conformance.Segments.data;
import static tapnet.conformance.Segments.rst;
import static tapnet.conformance.Segments.syn;
import static tapnet.conformance.Segments.tcp;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.RST;
import static tapnet.wire.TcpSegment.SYN;

import org.junit.jupiter.api.extension.RegisterExtension;
import tapnet.testing.Decoded;
import tapnet.wire.Ipv4Address;
import tapnet.wire.Ipv6Address;
import tapnet.wire.MacAddress;

/** RFC 9293 §3.10.7.2: a segment arrives for a port in the LISTEN state. */
@Conformance
class ListenTest {
    @RegisterExtension
    static final Targets TARGETS = new Targets();

    @OnBothTargets
    void rstToAListenerIsIgnored(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.send(rst().seq(ISS));
        peer.expectNothing(SILENCE);

        // The listener is undisturbed.
        peer.send(syn().seq(ISS).mss(1460));
        peer.expect(tcp().flags(SYN | ACK).ack(ISS + 1), ANSWER);
    }

    @OnBothTargets
    void ackToAListenerGetsResetWithSeqOfSegAck(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.send(ack().seq(ISS).ack(0x12345678));
        peer.expect(tcp().flags(RST).seq(0x12345678), ANSWER);
    }

    @OnBothTargets
    void synToAListenerGetsSynAckWithAckOfSegSeqPlusOne(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.send(syn().seq(ISS).mss(1460));
        Decoded.Tcp synAck = peer.expect(tcp().flags(SYN | ACK).ack(ISS + 1).noPayload(), ANSWER);

        // SEQ=ISS: the segment that acknowledges ISS + 1 opens the connection, and data flows.
        peer.sndNxt = ISS + 1;
        peer.send(ack().ack(synAck.seq() + 1));
        peer.send(data("ping"));
        peer.await(tcp().seq(synAck.seq() + 1).payload(Segments.bytes("ping")), ANSWER);
    }

    /**
     * [MUST-57]: a SYN to a broadcast or multicast address is dropped without an answer. IPv4 only (IPv6 has
     * no broadcast): {@link #synToAMulticastAddressIsDroppedOverIpv6} is the IPv6 one.
     */
    @OnBothTargetsOverIpv4
    void synToABroadcastOrMulticastAddressIsDropped(Target target) throws Exception {
        TargetNetwork network = TARGETS.get(target);
        int subnetBroadcast = Ipv4Address.parse("10.242." + network.subnet() + ".255");
        int allHosts = Ipv4Address.parse("224.0.0.1");
        long allHostsMac = 0x01_00_5e_00_00_01L;

        Peer limited = TARGETS.peer(target, Ports.ECHO);
        limited.send(syn().seq(ISS).mss(1460).toAddress(Ipv4Address.BROADCAST, MacAddress.BROADCAST));
        Peer directed = TARGETS.peer(target, Ports.ECHO);
        directed.send(syn().seq(ISS).mss(1460).toAddress(subnetBroadcast, MacAddress.BROADCAST));
        Peer multicast = TARGETS.peer(target, Ports.ECHO);
        multicast.send(syn().seq(ISS).mss(1460).toAddress(allHosts, allHostsMac));
        limited.expectNothing(SILENCE);
        directed.expectNothing(SILENCE);
        multicast.expectNothing(SILENCE);

        // The same SYN to the host's own address is answered: the silence above was the rule, not the path.
        limited.send(syn().seq(ISS).mss(1460));
        limited.expect(tcp().flags(SYN | ACK).ack(ISS + 1), ANSWER);
    }

    /**
     * [MUST-57] over IPv6: a SYN to a multicast group the target has joined, all nodes (ff02::1) or its
     * solicited-node group (RFC 4291 §2.7.1), is dropped without an answer.
     */
    @OnBothTargetsOverIpv6
    void synToAMulticastAddressIsDroppedOverIpv6(Target target) throws Exception {
        TargetNetwork network = TARGETS.get(target);
        long[] allNodes = {Ipv6Address.ALL_NODES_HIGH, Ipv6Address.ALL_NODES_LOW};
        long[] solicitedNode = {Ipv6Address.ALL_NODES_HIGH, Ipv6Address.solicitedNodeLow(network.address6()[1])};

        Peer toAllNodes = TARGETS.peer(target, Ports.ECHO);
        toAllNodes.send(syn().seq(ISS).mss(1440).toAddress6(allNodes, Ipv6Address.multicastMac(allNodes[1])));
        Peer toSolicitedNode = TARGETS.peer(target, Ports.ECHO);
        toSolicitedNode.send(syn().seq(ISS).mss(1440).toAddress6(solicitedNode, Ipv6Address.multicastMac(solicitedNode[1])));
        toAllNodes.expectNothing(SILENCE);
        toSolicitedNode.expectNothing(SILENCE);

        // The same SYN to the host's own address is answered: the silence above was the rule, not the path.
        toAllNodes.send(syn().seq(ISS).mss(1440));
        toAllNodes.expect(tcp().flags(SYN | ACK).ack(ISS + 1), ANSWER);
    }

    /**
     * RFC 1122 §3.3.6: a datagram that came as a link-layer broadcast but is addressed to a unicast IP
     * address SHOULD be discarded; both targets do, so a SYN sent that way opens nothing.
     */
    @OnBothTargets
    void synInALinkLayerBroadcastToTheHostsAddressIsDropped(Target target) throws Exception {
        Peer peer = TARGETS.peer(target, Ports.ECHO);
        peer.send(syn().seq(ISS).mss(1460).toEthernet(MacAddress.BROADCAST));
        peer.expectNothing(SILENCE);
    }
}
