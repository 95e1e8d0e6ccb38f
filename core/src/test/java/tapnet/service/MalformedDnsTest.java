package tapnet.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tapnet.dns.DnsQueries.framed;
import static tapnet.dns.DnsQueries.unframed;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tapnet.dns.DnsQueries;
import tapnet.dns.MalformedQuery;
import tapnet.observe.Counter;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.testing.TcpPeer;
import tapnet.topology.yaml.TopologyLoader;
import tapnet.wire.DnsMessage;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

/**
 * Each named malformation ({@link MalformedQuery}), read as the fault it is named for, then sent to a
 * topology's DNS server through the engine over UDP and over TCP: FORMERR where the header can be read,
 * nothing (counted) where it cannot or the message is a response, an ordinary answer where RFC 6891 reads
 * past the fault; and the server answers the next well-formed query, over TCP on the same connection.
 */
class MalformedDnsTest {
    private static final int DNS = Ipv4Address.parse("10.77.0.53");
    private static final int WEB = Ipv4Address.parse("10.77.0.10");
    private static final String FILE = """
            tap: { address: 10.77.0.1/24 }
            hosts:
              web: { address: 10.77.0.10 }
            dns: { address: 10.77.0.53, domain: shop.test }
            """;

    private final EngineHarness net;

    MalformedDnsTest() throws Exception {
        net = new EngineHarness(TopologyLoader.parse("shop.yaml", FILE));
    }

    private List<Decoded> overUdp(byte[] message) {
        return net.send(FrameBuilder.udp(EngineHarness.PEER_MAC, MacAddress.derivedFrom(DNS), EngineHarness.PEER_IP, DNS,
                40000, 53, message));
    }

    private long count(Counter counter) {
        return net.engine.counters().get(counter);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(MalformedQuery.class)
    void eachIsReadAsTheFaultItIsNamedFor(MalformedQuery malformed) {
        byte[] bytes = malformed.bytes();
        assertEquals(malformed.reason(), new DnsMessage().wrap(java.nio.ByteBuffer.wrap(bytes), 0, bytes.length).check());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(MalformedQuery.class)
    void overUdpEachIsAnsweredAsTheRfcsSayOrCountedAndDropped(MalformedQuery malformed) {
        List<Decoded> out = overUdp(malformed.bytes());
        assertEquals(1, count(Counter.DNS_QUERIES_UDP));
        if (malformed.outcome() == MalformedQuery.Outcome.UNANSWERED) {
            assertTrue(out.isEmpty(), out.toString());
        } else {
            assertEquals(1, out.size(), out.toString());
            assertEquals(53, out.get(0).udp().sourcePort());
            assertReply(malformed, out.get(0).udp().payload());
        }
        assertCounted(malformed);
        assertStillAnswers(overUdp(DnsQueries.query(2, MalformedQuery.NAME, DnsMessage.TYPE_A, 0)).get(0).udp().payload());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(MalformedQuery.class)
    void overTcpEachIsAnsweredAsTheRfcsSayAndTheConnectionServesOn(MalformedQuery malformed) {
        TcpPeer client = net.client(net.engine.hosts().byName("dns@10.77.0.53"), 53);
        client.connect();
        client.sendData(framed(malformed.bytes()));
        List<byte[]> replies = unframed(client.received());
        assertEquals(1, count(Counter.DNS_QUERIES_TCP));
        assertEquals(malformed.outcome() == MalformedQuery.Outcome.UNANSWERED ? 0 : 1, replies.size());
        if (!replies.isEmpty()) {
            assertReply(malformed, replies.get(0));
        }
        assertCounted(malformed);
        client.sendData(framed(DnsQueries.query(2, MalformedQuery.NAME, DnsMessage.TYPE_A, 0)));
        List<byte[]> after = unframed(client.received());
        assertEquals(replies.size() + 1, after.size(), "one more answer on the same connection");
        assertStillAnswers(after.get(after.size() - 1));
    }

    private static void assertReply(MalformedQuery malformed, byte[] reply) {
        DnsMessage read = new DnsMessage().wrap(java.nio.ByteBuffer.wrap(reply), 0, reply.length);
        assertEquals(MalformedQuery.ID, read.id());
        assertTrue(read.isResponse());
        if (malformed.outcome() == MalformedQuery.Outcome.FORMERR) {
            assertEquals(DnsMessage.RCODE_FORMERR, read.rcode());
            assertEquals(DnsMessage.HEADER_LENGTH, reply.length, "header only: the question could not be read");
            assertEquals(0, read.questionCount());
            assertEquals(0, read.answerCount());
        } else {
            assertEquals(DnsMessage.RCODE_NOERROR, read.rcode());
            assertEquals(1, read.answerCount());
            assertEquals(1, read.additionalCount(), "the OPT record of a reply to an EDNS0 query (RFC 6891 §7)");
            assertEquals(WEB, java.nio.ByteBuffer.wrap(reply).getInt(reply.length - 11 - 4), "web's address");
        }
    }

    private void assertCounted(MalformedQuery malformed) {
        assertEquals(malformed.outcome() == MalformedQuery.Outcome.FORMERR ? 1 : 0, count(Counter.DNS_FORMERR));
        assertEquals(malformed.outcome() == MalformedQuery.Outcome.UNANSWERED ? 1 : 0, count(Counter.DNS_UNANSWERED));
        assertEquals(malformed.outcome() == MalformedQuery.Outcome.ANSWERED ? 1 : 0, count(Counter.DNS_NOERROR));
    }

    private static void assertStillAnswers(byte[] reply) {
        DnsMessage read = new DnsMessage().wrap(java.nio.ByteBuffer.wrap(reply), 0, reply.length);
        assertEquals(2, read.id());
        assertEquals(DnsMessage.RCODE_NOERROR, read.rcode());
        assertEquals(1, read.answerCount());
    }
}
