package tapnet.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.build.EngineActions;
import tapnet.dns.DnsFaults;
import tapnet.dns.DnsQueries;
import tapnet.observe.Counter;
import tapnet.observe.DropReason;
import tapnet.select.Selector;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.testing.TcpPeer;
import tapnet.topology.Action;
import tapnet.topology.yaml.TopologyLoader;
import tapnet.wire.DnsMessage;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

/** The DNS server's faults as the engine serves them, over UDP and TCP, on the virtual clock. */
class DnsFaultsServerTest {
    private static final int DNS = Ipv4Address.parse("10.77.0.53");
    private static final long DNS_MAC = MacAddress.derivedFrom(DNS);

    private static EngineHarness server(String faults) throws Exception {
        return server(faults, 1);
    }

    private static EngineHarness server(String faults, long seed) throws Exception {
        return new EngineHarness(TopologyLoader.parse("shop.yaml", """
                seed: %d
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web: { address: 10.77.0.10 }
                  db: { address: 10.77.0.11 }
                dns:
                  address: 10.77.0.53
                  domain: shop.test
                  faults: %s
                """.formatted(seed, faults)));
    }

    private static List<Decoded> ask(EngineHarness net, int id, String name) {
        return net.send(FrameBuilder.udp(EngineHarness.PEER_MAC, DNS_MAC, EngineHarness.PEER_IP, DNS, 40000, 53,
                DnsQueries.query(id, name, DnsMessage.TYPE_A, 0)));
    }

    private static int rcode(Decoded reply) {
        return reply.udp().payload()[3] & 0xf;
    }

    @Test
    void firstTwoQueriesFailThenTheRealAnswerComesEachCounted() throws Exception {
        EngineHarness net = server("[ { name: db, nxdomain: {}, first: 2 } ]");
        assertEquals(DnsMessage.RCODE_NXDOMAIN, rcode(ask(net, 1, "db.shop.test").get(0)));
        assertEquals(DnsMessage.RCODE_NOERROR, rcode(ask(net, 2, "web.shop.test").get(0)));
        assertEquals(DnsMessage.RCODE_NXDOMAIN, rcode(ask(net, 3, "db.shop.test").get(0)));
        assertEquals(DnsMessage.RCODE_NOERROR, rcode(ask(net, 4, "db.shop.test").get(0)));
        assertEquals(2, net.engine.counters().get(Counter.DNS_FAULT_NXDOMAIN));
        assertEquals(2, net.engine.counters().get(Counter.DNS_NXDOMAIN));
    }

    @Test
    void aTimeoutSendsNothingAndIsCountedAsAFaultNotAsUnanswered() throws Exception {
        EngineHarness net = server("[ { name: db, timeout: {} } ]");
        assertTrue(ask(net, 1, "db.shop.test").isEmpty());
        assertTrue(net.advanceMillis(10_000).isEmpty());
        assertEquals(1, net.engine.counters().get(Counter.DNS_FAULT_TIMEOUT));
        assertEquals(0, net.engine.counters().get(Counter.DNS_UNANSWERED));
    }

    @Test
    void aDelayedUdpAnswerLeavesAfterTheDelayAndNotBefore() throws Exception {
        EngineHarness net = server("[ { name: db, delay: 2s } ]");
        long asked = net.clock.nanos();
        assertTrue(ask(net, 1, "db.shop.test").isEmpty());
        assertEquals(asked + 2_000_000_000L, net.engine.nextDeadline());
        assertTrue(net.advanceMillis(1999).isEmpty());
        List<Decoded> late = net.advanceMillis(1);
        assertEquals(1, late.size());
        assertEquals(DnsMessage.RCODE_NOERROR, rcode(late.get(0)));
        assertEquals(53, late.get(0).udp().sourcePort());
        assertEquals(40000, late.get(0).udp().destinationPort());
        assertEquals(1, net.engine.counters().get(Counter.DNS_FAULT_DELAY));
        assertEquals(1, net.engine.counters().get(Counter.UDP_DATAGRAMS_OUT));
        assertFalse(ask(net, 2, "web.shop.test").isEmpty(), "another name is answered at once");
    }

    @Test
    void delayedRepliesBeyondTheStoreAreDroppedAndCounted() throws Exception {
        EngineHarness net = server("[ { delay: 1s } ]");
        int held = 1024;
        for (int i = 0; i < held + 3; i++) {
            assertTrue(ask(net, i & 0xffff, "web.shop.test").isEmpty());
        }
        assertEquals(3, net.engine.counters().dropped(DropReason.UDP_HELD_FULL));
        assertEquals(held, net.advanceMillis(1000).size());
        assertTrue(ask(net, 1, "web.shop.test").isEmpty(), "room again once they left");
        assertEquals(1, net.advanceMillis(1000).size());
    }

    @Test
    void truncateForcesTcpWhereTheAnswerIsWhole() throws Exception {
        EngineHarness net = server("[ { name: db, truncate: {} }, { name: db, ttl: 7 } ]");
        byte[] udp = ask(net, 1, "db.shop.test").get(0).udp().payload();
        assertTrue((udp[2] & 0x02) != 0, "TC");
        assertEquals(0, udp[7]);
        byte[] tcp = overTcp(net, "db.shop.test").get(0);
        assertEquals(0, tcp[2] & 0x02);
        assertEquals(1, tcp[7], "one answer");
        assertEquals(7, ByteBuffer.wrap(tcp).getInt(tcp.length - 10), "the TTL fault applies over TCP too");
        assertEquals(1, net.engine.counters().get(Counter.DNS_FAULT_TRUNCATE));
        assertEquals(2, net.engine.counters().get(Counter.DNS_FAULT_TTL));
    }

    @Test
    void aTcpQueryGetsTheSameOutcomesAndAddresses() throws Exception {
        EngineHarness net = server("[ { name: db, servfail: {}, first: 1 }, { name: db, wrongAddress: 10.77.0.99 } ]");
        List<byte[]> replies = overTcp(net, "db.shop.test", "db.shop.test");
        assertEquals(DnsMessage.RCODE_SERVFAIL, replies.get(0)[3] & 0xf);
        byte[] second = replies.get(1);
        assertEquals(Ipv4Address.parse("10.77.0.99"), ByteBuffer.wrap(second).getInt(second.length - 4));
    }

    @Test
    void aDelayedTcpQueryIsAnsweredWhenTheConnectionWakesAndHoldsTheNextInOrder() throws Exception {
        EngineHarness net = server("[ { name: db, delay: 500ms } ]");
        TcpPeer client = net.client(net.engine.hosts().byName("dns@10.77.0.53"), 53);
        client.connect();
        client.sendData(concat(DnsQueries.framed(DnsQueries.query(1, "db.shop.test", DnsMessage.TYPE_A, 0)),
                DnsQueries.framed(DnsQueries.query(2, "web.shop.test", DnsMessage.TYPE_A, 0))));
        assertEquals(0, client.received().length);
        client.advanceMillis(400);
        assertEquals(0, client.received().length);
        client.advanceMillis(200);
        List<byte[]> replies = DnsQueries.unframed(client.received());
        assertEquals(2, replies.size());
        assertEquals(1, replies.get(0)[1]);
        assertEquals(2, replies.get(1)[1]);
        assertEquals(1, net.engine.counters().get(Counter.DNS_FAULT_DELAY));
    }

    @Test
    void aTimedOutTcpQueryIsNeverAnsweredButTheNextOneIs() throws Exception {
        EngineHarness net = server("[ { name: db, timeout: {} } ]");
        List<byte[]> replies = overTcp(net, "db.shop.test", "web.shop.test");
        assertEquals(1, replies.size());
        assertEquals(101, replies.get(0)[1], "the second query's id");
        assertEquals(2, net.engine.counters().get(Counter.DNS_QUERIES_TCP));
        assertEquals(1, net.engine.counters().get(Counter.DNS_FAULT_TIMEOUT));
    }

    @Test
    void aDelayedTcpQueryIsAnsweredBeforeTheFinThatFollowedIt() throws Exception {
        EngineHarness net = server("[ { name: db, delay: 300ms } ]");
        TcpPeer client = net.client(net.engine.hosts().byName("dns@10.77.0.53"), 53);
        client.connect();
        client.sendData(DnsQueries.framed(DnsQueries.query(1, "db.shop.test", DnsMessage.TYPE_A, 0)));
        client.sendFin();
        assertFalse(client.finReceived());
        client.advanceMillis(400);
        assertEquals(1, DnsQueries.unframed(client.received()).size());
        assertTrue(client.finReceived());
    }

    @Test
    void aLiveChangeReplacesTheRulesRestartingThemAndAnEmptyOneClears() throws Exception {
        EngineHarness net = server("[]");
        assertEquals(DnsMessage.RCODE_NOERROR, rcode(ask(net, 1, "db.shop.test").get(0)));
        EngineActions.apply(net.engine, new Action.DnsFaults(List.of(
                new DnsFaults.Rule("db", DnsFaults.Kind.SERVFAIL, 0, new Selector.First(1)))));
        assertEquals(DnsMessage.RCODE_SERVFAIL, rcode(ask(net, 2, "db.shop.test").get(0)));
        assertEquals(DnsMessage.RCODE_NOERROR, rcode(ask(net, 3, "db.shop.test").get(0)));
        EngineActions.apply(net.engine, new Action.DnsFaults(List.of(
                new DnsFaults.Rule("db", DnsFaults.Kind.SERVFAIL, 0, new Selector.First(1)))));
        assertEquals(DnsMessage.RCODE_SERVFAIL, rcode(ask(net, 4, "db.shop.test").get(0)), "counting starts again");
        EngineActions.apply(net.engine, new Action.DnsFaults(List.of(new DnsFaults.Rule(null, DnsFaults.Kind.REFUSED, 0,
                new Selector.All()))));
        assertEquals(DnsMessage.RCODE_REFUSED, rcode(ask(net, 5, "web.shop.test").get(0)));
        EngineActions.apply(net.engine, new Action.DnsFaults(List.of()));
        assertEquals(DnsMessage.RCODE_NOERROR, rcode(ask(net, 6, "web.shop.test").get(0)));
    }

    @Test
    void aTopologyWithoutDnsRefusesALiveChange() throws Exception {
        EngineHarness plain = new EngineHarness(TopologyLoader.parse("plain.yaml",
                "tap: { address: 10.77.0.1/24 }\nhosts: { web: { address: 10.77.0.10 } }\n"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EngineActions.apply(plain.engine, new Action.DnsFaults(List.of())));
        assertEquals("this topology has no DNS server, so no DNS faults to change", e.getMessage());
    }

    /** Which of 100 queries for db failed, under a 50% rule and the topology's {@code seed}. */
    private static List<Boolean> failures(long seed) throws Exception {
        EngineHarness net = server("[ { name: db, servfail: {}, probability: 50% } ]", seed);
        List<Boolean> failed = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            failed.add(rcode(ask(net, i, "db.shop.test").get(0)) == DnsMessage.RCODE_SERVFAIL);
        }
        return failed;
    }

    @Test
    void theTopologysSeedReplaysTheDrawsAndAnotherSeedDrawsOthers() throws Exception {
        assertEquals(failures(5), failures(5));
        assertNotEquals(failures(5), failures(6));
    }

    private static List<byte[]> overTcp(EngineHarness net, String... names) {
        TcpPeer client = net.client(net.engine.hosts().byName("dns@10.77.0.53"), 53);
        client.connect();
        byte[] all = new byte[0];
        for (int i = 0; i < names.length; i++) {
            all = concat(all, DnsQueries.framed(DnsQueries.query(100 + i, names[i], DnsMessage.TYPE_A, 0)));
        }
        client.sendData(all);
        return DnsQueries.unframed(client.received());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
