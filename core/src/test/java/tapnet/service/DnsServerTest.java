package tapnet.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tapnet.dns.DnsQueries.framed;
import static tapnet.dns.DnsQueries.unframed;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.build.EngineBuilder;
import tapnet.dns.DnsQueries;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.testing.TcpPeer;
import tapnet.topology.yaml.TopologyLoader;
import tapnet.wire.ArpPacket;
import tapnet.wire.DnsMessage;
import tapnet.wire.IcmpMessage;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

/** A topology's DNS server, as the engine builds it: a node at its address, the zone on UDP and TCP port 53. */
class DnsServerTest {
    private static final int DNS = Ipv4Address.parse("10.77.0.53");
    private static final long DNS_MAC = MacAddress.derivedFrom(DNS);
    private static final long PEER = EngineHarness.PEER_MAC;
    private static final int PEER_IP = EngineHarness.PEER_IP;
    private static final String BIG_TEXT = "x".repeat(700);
    private static final String FILE = """
            tap: { address: 10.77.0.1/24 }
            hosts:
              web: { address: 10.77.0.10, services: [ { port: 80, http: {} } ] }
            dns:
              address: 10.77.0.53
              domain: shop.test
              records:
                - { name: big, type: TXT, value: "%s" }
            """.formatted(BIG_TEXT);

    private final EngineHarness net;

    DnsServerTest() throws Exception {
        net = new EngineHarness(TopologyLoader.parse("shop.yaml", FILE));
    }

    private List<Decoded> ask(String name, int type) {
        return net.send(FrameBuilder.udp(PEER, DNS_MAC, PEER_IP, DNS, 40000, 53, DnsQueries.query(7, name, type, 0)));
    }

    private static int rcode(byte[] reply) {
        return reply[3] & 0xf;
    }

    private static int answers(byte[] reply) {
        return (reply[6] & 0xff) << 8 | reply[7] & 0xff;
    }

    private static boolean truncated(byte[] reply) {
        return (reply[2] & 0x02) != 0;
    }

    @Test
    void aQueryToTheDnsAddressGetsTheZonesAnswerFromPort53() {
        List<Decoded> out = ask("web.shop.test", DnsMessage.TYPE_A);
        assertEquals(1, out.size());
        Decoded reply = out.get(0);
        assertEquals(DNS, reply.ipSource());
        assertEquals(PEER_IP, reply.ipDestination());
        assertEquals(53, reply.udp().sourcePort());
        assertEquals(40000, reply.udp().destinationPort());
        byte[] dns = reply.udp().payload();
        assertEquals(7, (dns[0] & 0xff) << 8 | dns[1] & 0xff);
        assertEquals(DnsMessage.RCODE_NOERROR, rcode(dns));
        assertEquals(1, answers(dns));
        assertEquals(Ipv4Address.parse("10.77.0.10"), ByteBuffer.wrap(dns).getInt(dns.length - 4));
        assertEquals(1, net.engine.counters().get(Counter.DNS_QUERIES_UDP));
        assertEquals(1, net.engine.counters().get(Counter.DNS_NOERROR));
    }

    @Test
    void theDnsAddressAnswersArpAsAHostDoes() {
        List<Decoded> out = net.send(FrameBuilder.arpRequest(PEER, PEER_IP, DNS));
        assertEquals(1, out.size());
        Decoded.Arp arp = out.get(0).arp();
        assertEquals(ArpPacket.OPERATION_REPLY, arp.operation());
        assertEquals(DNS, arp.senderIp());
        assertEquals(DNS_MAC, arp.senderMac());
    }

    @Test
    void theDnsAddressAnswersPing() {
        List<Decoded> out = net.send(FrameBuilder.echoRequest(PEER, DNS_MAC, PEER_IP, DNS, 1, 1, new byte[8]));
        assertEquals(IcmpMessage.TYPE_ECHO_REPLY, out.get(0).icmp().type());
    }

    @Test
    void theServersNodeIsNamedAfterItsAddressAndTakesNoNodesName() {
        VirtualHost server = net.engine.hosts().byName("dns@10.77.0.53");
        assertNotNull(server);
        assertEquals("dns@10.77.0.53", EngineBuilder.dnsNodeName(DNS));
        assertEquals(DNS, server.address());
    }

    @Test
    void aTopologyWithoutDnsHasNoServer() throws Exception {
        EngineHarness plain = new EngineHarness(TopologyLoader.parse("plain.yaml",
                "tap: { address: 10.77.0.1/24 }\nhosts: { web: { address: 10.77.0.10 } }\n"));
        assertNull(plain.engine.hosts().byName("dns@10.77.0.53"));
        assertTrue(plain.send(FrameBuilder.arpRequest(PEER, PEER_IP, DNS)).isEmpty());
    }

    @Test
    void anUnknownNameIsNxdomainAndAForeignOneRefusedEachCounted() {
        assertEquals(DnsMessage.RCODE_NXDOMAIN, rcode(ask("nope.shop.test", DnsMessage.TYPE_A).get(0).udp().payload()));
        assertEquals(DnsMessage.RCODE_REFUSED, rcode(ask("example.com", DnsMessage.TYPE_A).get(0).udp().payload()));
        assertEquals(1, net.engine.counters().get(Counter.DNS_NXDOMAIN));
        assertEquals(1, net.engine.counters().get(Counter.DNS_REFUSED));
        assertEquals(2, net.engine.counters().get(Counter.DNS_QUERIES_UDP));
    }

    @Test
    void aQueryOfALaterEdnsVersionIsCountedAsBadvers() {
        byte[] query = DnsQueries.query(7, "web.shop.test", DnsMessage.TYPE_A, 1232);
        query[query.length - 5] = 1; // EDNS version 1
        byte[] reply = net.send(FrameBuilder.udp(PEER, DNS_MAC, PEER_IP, DNS, 40000, 53, query)).get(0).udp().payload();
        assertEquals(0, answers(reply));
        assertEquals(1, net.engine.counters().get(Counter.DNS_BADVERS));
        assertEquals(0, net.engine.counters().get(Counter.DNS_NOERROR), "not a NOERROR, though the header's rcode is 0");
    }

    @Test
    void aResponseSentToTheServerIsNotAnswered() {
        byte[] query = DnsQueries.query(7, "web.shop.test", DnsMessage.TYPE_A, 0);
        query[2] |= (byte) 0x80; // QR: a response, never answered (no loops between servers)
        assertTrue(net.send(FrameBuilder.udp(PEER, DNS_MAC, PEER_IP, DNS, 40000, 53, query)).isEmpty());
        assertEquals(1, net.engine.counters().get(Counter.DNS_UNANSWERED));
    }

    @Test
    void anAnswerTooBigForUdpIsTruncatedThenWholeOverTcp() {
        byte[] udp = ask("big.shop.test", DnsMessage.TYPE_TXT).get(0).udp().payload();
        assertTrue(truncated(udp));
        assertEquals(0, answers(udp));
        assertTrue(udp.length <= 512);
        assertEquals(1, net.engine.counters().get(Counter.DNS_TRUNCATED));

        TcpPeer client = net.client(net.engine.hosts().byName("dns@10.77.0.53"), 53);
        client.connect();
        client.sendData(DnsQueries.framed(DnsQueries.query(8, "big.shop.test", DnsMessage.TYPE_TXT, 0)));
        client.sendAck();
        List<byte[]> replies = unframed(client.received());
        assertEquals(1, replies.size());
        byte[] tcp = replies.get(0);
        assertFalse(truncated(tcp));
        assertEquals(1, answers(tcp));
        assertTrue(tcp.length > BIG_TEXT.length());
        assertEquals(1, net.engine.counters().get(Counter.DNS_QUERIES_TCP));
        assertEquals(1, net.engine.counters().get(Counter.DNS_TRUNCATED));
    }

    @Test
    void oneConnectionCarriesSeveralQueriesAnsweredInOrder() {
        TcpPeer client = net.client(net.engine.hosts().byName("dns@10.77.0.53"), 53);
        client.connect();
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(DnsQueries.framed(DnsQueries.query(1, "web.shop.test", DnsMessage.TYPE_A, 0)));
        both.writeBytes(DnsQueries.framed(DnsQueries.query(2, "nope.shop.test", DnsMessage.TYPE_A, 0)));
        client.sendData(both.toByteArray());
        List<byte[]> replies = unframed(client.received());
        assertEquals(2, replies.size());
        assertEquals(1, replies.get(0)[1]);
        assertEquals(DnsMessage.RCODE_NOERROR, rcode(replies.get(0)));
        assertEquals(2, replies.get(1)[1]);
        assertEquals(DnsMessage.RCODE_NXDOMAIN, rcode(replies.get(1)));
    }

    @Test
    void aQuerySplitAcrossSegmentsIsAnsweredOnceWhole() {
        TcpPeer client = net.client(net.engine.hosts().byName("dns@10.77.0.53"), 53);
        client.connect();
        byte[] framed = DnsQueries.framed(DnsQueries.query(3, "web.shop.test", DnsMessage.TYPE_A, 0));
        client.sendData(java.util.Arrays.copyOfRange(framed, 0, 1));
        client.sendData(java.util.Arrays.copyOfRange(framed, 1, 10));
        assertEquals(0, client.received().length);
        client.sendData(java.util.Arrays.copyOfRange(framed, 10, framed.length));
        assertEquals(1, unframed(client.received()).size());
    }

    @Test
    void theClientsFinIsAnsweredWithTheServersAfterTheLastAnswer() {
        TcpPeer client = net.client(net.engine.hosts().byName("dns@10.77.0.53"), 53);
        client.connect();
        client.sendData(DnsQueries.framed(DnsQueries.query(4, "web.shop.test", DnsMessage.TYPE_A, 0)));
        client.sendFin();
        assertEquals(1, unframed(client.received()).size());
        assertTrue(client.finReceived());
    }

    @Test
    void aConnectionWithoutAQueryForTenSecondsIsClosedByTheServer() {
        TcpPeer client = net.client(net.engine.hosts().byName("dns@10.77.0.53"), 53);
        client.connect();
        client.advanceMillis(9_000);
        client.sendData(DnsQueries.framed(DnsQueries.query(4, "web.shop.test", DnsMessage.TYPE_A, 0)));
        client.advanceMillis(9_000);
        assertFalse(client.finReceived(), "a query at 9 s keeps it open until 19 s");
        client.sendData(new byte[] {0, 40, 1}); // a query begun, never finished: not activity enough
        client.advanceMillis(1_500);
        assertTrue(client.finReceived(), "closed 10 s after the last query");
        assertEquals(1, unframed(client.received()).size());
        assertEquals(1, net.engine.counters().get(Counter.DNS_TCP_IDLE_CLOSED));
    }

    /** A connection to a server on {@code small}'s engine, its zone holding big.shop.test's TXT {@code text} alone. */
    private static TcpPeer smallBufferServer(EngineHarness small, String text) {
        tapnet.dns.DnsZone zone = tapnet.dns.DnsZone.builder("shop.test").txt("big", text, 60).build();
        VirtualHost server = small.host("dns", "10.77.0.53");
        small.engine.listen(server, 53, new DnsTcpService(zone, small.engine.counters()));
        TcpPeer client = small.client(server, 53);
        client.connect();
        return client;
    }

    @Test
    void answersWaitForRoomInTheSendBufferAndComeInOrder() {
        EngineHarness small = new EngineHarness(tapnet.tcp.TcpConfig.defaults().withMaxConnections(16).withBuffers(4096, 1 << 20));
        TcpPeer client = smallBufferServer(small, BIG_TEXT); // 4 KiB: one chunk, the smallest buffer there is
        ByteArrayOutputStream queries = new ByteArrayOutputStream();
        for (int id = 1; id <= 20; id++) { // 20 answers of ~760 bytes: about four times the send buffer
            queries.writeBytes(DnsQueries.framed(DnsQueries.query(id, "big.shop.test", DnsMessage.TYPE_TXT, 0)));
        }
        client.sendData(queries.toByteArray());
        for (int round = 0; round < 200 && unframed(client.received()).size() < 20; round++) {
            client.sendAck();
        }
        List<byte[]> replies = unframed(client.received());
        assertEquals(20, replies.size());
        for (int i = 0; i < 20; i++) {
            assertEquals(i + 1, replies.get(i)[1]);
            assertEquals(1, answers(replies.get(i)));
            assertFalse(truncated(replies.get(i)));
        }
    }

    @Test
    void anAnswerLargerThanAnEmptySendBufferGoesTruncated() {
        EngineHarness tiny = new EngineHarness(tapnet.tcp.TcpConfig.defaults().withMaxConnections(16).withBuffers(4096, 1 << 20));
        TcpPeer client = smallBufferServer(tiny, "y".repeat(5000));
        client.sendData(framed(DnsQueries.query(9, "big.shop.test", DnsMessage.TYPE_TXT, 0)));
        List<byte[]> replies = unframed(client.received());
        assertEquals(1, replies.size());
        assertTrue(truncated(replies.get(0)));
        assertEquals(0, answers(replies.get(0)));
    }
}
