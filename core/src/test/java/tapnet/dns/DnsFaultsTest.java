package tapnet.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.dns.DnsFaults.Kind;
import tapnet.dns.DnsFaults.Rule;
import tapnet.select.Selector;
import tapnet.wire.DnsMessage;
import tapnet.wire.Ipv4Address;

/** Which faults hit which queries, and what the zone's answer becomes under them. */
class DnsFaultsTest {
    private static final Selector ALL = new Selector.All();

    private final DnsZone zone = DnsZone.builder("shop.test")
            .address("web", Ipv4Address.parse("10.77.0.10"), 60)
            .address("db", Ipv4Address.parse("10.77.0.11"), 60)
            .a("db", Ipv4Address.parse("10.77.0.12"), 60)
            .a("x.api", Ipv4Address.parse("10.77.0.20"), 60)
            .cname("www", "web", 300)
            .build();
    private final DnsFaultDecision decision = new DnsFaultDecision();

    private static Rule rule(String name, Kind kind, long parameter) {
        return new Rule(name, kind, parameter, ALL);
    }

    private DnsFaults faults(Rule... rules) {
        return new DnsFaults("shop.test", List.of(rules), 7);
    }

    /** Decides for a query for {@code name} (type A) and answers it with the decision, read back. */
    private AnsweredReply ask(DnsFaults faults, String name, boolean overTcp) {
        byte[] query = DnsQueries.query(0x4242, name, DnsMessage.TYPE_A, 0);
        faults.decide(ByteBuffer.wrap(query), 0, query.length, overTcp, decision);
        ByteBuffer reply = ByteBuffer.allocate(2048);
        int length = zone.answer(ByteBuffer.wrap(query), 0, query.length, reply, 0, 1500, overTcp, decision);
        byte[] bytes = new byte[length];
        reply.get(0, bytes);
        return new AnsweredReply(bytes, length);
    }

    private Kind outcome(DnsFaults faults, String name) {
        ask(faults, name, false);
        return decision.outcome();
    }

    @Test
    void nxdomainAnswersNxdomainForAKnownName() {
        AnsweredReply r = ask(faults(rule("db", Kind.NXDOMAIN, 0)), "db.shop.test", false);
        assertEquals(DnsMessage.RCODE_NXDOMAIN, r.rcode());
        assertTrue(r.authoritative());
        assertEquals(List.of(), r.answers());
        assertEquals(0x4242, r.id());
    }

    @Test
    void servfailAndRefusedSpeakForNoZone() {
        AnsweredReply servfail = ask(faults(rule("db", Kind.SERVFAIL, 0)), "db.shop.test", false);
        assertEquals(DnsMessage.RCODE_SERVFAIL, servfail.rcode());
        assertFalse(servfail.authoritative());
        AnsweredReply refused = ask(faults(rule("db", Kind.REFUSED, 0)), "db.shop.test", false);
        assertEquals(DnsMessage.RCODE_REFUSED, refused.rcode());
        assertEquals(List.of(), refused.answers());
    }

    @Test
    void timeoutAnswersNothing() {
        assertEquals(0, ask(faults(rule("db", Kind.TIMEOUT, 0), rule("db", Kind.DELAY, 1_000_000)), "db.shop.test", false).length());
        assertTrue(decision.silent());
        assertEquals(0, decision.delayNanos(), "nothing goes out, so nothing is held");
        assertFalse(decision.hit(Kind.DELAY));
    }

    @Test
    void truncateSetsTcWithoutAnswersOverUdpAndDoesNothingOverTcp() {
        DnsFaults faults = faults(rule("db", Kind.TRUNCATE, 0));
        AnsweredReply udp = ask(faults, "db.shop.test", false);
        assertTrue(udp.truncated());
        assertEquals(List.of(), udp.answers());
        assertTrue(decision.hit(Kind.TRUNCATE));
        AnsweredReply tcp = ask(faults, "db.shop.test", true);
        assertFalse(tcp.truncated());
        assertEquals(2, tcp.answers().size());
        assertFalse(decision.hit(Kind.TRUNCATE));
    }

    @Test
    void wrongAddressReplacesEveryARecordsAddress() {
        AnsweredReply r = ask(faults(rule("db", Kind.WRONG_ADDRESS, Ipv4Address.parse("10.77.0.99"))), "db.shop.test", false);
        assertEquals(List.of("db.shop.test. 60 A 10.77.0.99", "db.shop.test. 60 A 10.77.0.99"), r.answers());
    }

    @Test
    void wrongAddressLeavesACnameAloneAndPointsItsTargetElsewhere() {
        AnsweredReply r = ask(faults(rule("www", Kind.WRONG_ADDRESS, Ipv4Address.parse("10.77.0.99"))), "www.shop.test", false);
        assertEquals(List.of("www.shop.test. 300 CNAME web.shop.test.", "web.shop.test. 60 A 10.77.0.99"), r.answers());
    }

    @Test
    void ttlOverridesEveryAnswerRecordsTtl() {
        AnsweredReply r = ask(faults(rule("*", Kind.TTL, 0)), "www.shop.test", false);
        assertEquals(List.of("www.shop.test. 0 CNAME web.shop.test.", "web.shop.test. 0 A 10.77.0.10"), r.answers());
    }

    @Test
    void delayIsDecidedForTheTransportToHoldTheAnswer() {
        AnsweredReply r = ask(faults(rule("db", Kind.DELAY, 2_000_000_000L)), "db.shop.test", false);
        assertEquals(2_000_000_000L, decision.delayNanos());
        assertEquals(2, r.answers().size(), "the answer itself is the zone's");
    }

    @Test
    void theFirstOutcomeDecidesAndModifiersChangeWhatGoesOut() {
        DnsFaults faults = faults(rule("db", Kind.TTL, 5), rule("db", Kind.SERVFAIL, 0), rule("*", Kind.NXDOMAIN, 0),
                rule("db", Kind.DELAY, 1_000_000), rule("db", Kind.TTL, 9));
        AnsweredReply r = ask(faults, "db.shop.test", false);
        assertEquals(DnsMessage.RCODE_SERVFAIL, r.rcode());
        assertTrue(decision.hit(Kind.SERVFAIL));
        assertFalse(decision.hit(Kind.NXDOMAIN), "a second outcome is not applied");
        assertTrue(decision.hit(Kind.DELAY));
        assertTrue(decision.hit(Kind.TTL));
        AnsweredReply web = ask(faults, "web.shop.test", false);
        assertEquals(DnsMessage.RCODE_NXDOMAIN, web.rcode());
    }

    @Test
    void anExactNameMatchesItselfWhateverItsCaseAndNothingElse() {
        DnsFaults faults = faults(rule("db", Kind.SERVFAIL, 0));
        assertEquals(Kind.SERVFAIL, outcome(faults, "db.shop.test"));
        assertEquals(Kind.SERVFAIL, outcome(faults, "DB.Shop.TEST"));
        assertNull(outcome(faults, "web.shop.test"));
        assertNull(outcome(faults, "x.db.shop.test"));
        assertNull(outcome(faults, "db.shop.test.example"));
    }

    @Test
    void anAbsoluteNameIsTakenAsWritten() {
        DnsFaults faults = faults(rule("example.com.", Kind.SERVFAIL, 0));
        assertEquals(Kind.SERVFAIL, outcome(faults, "example.com"));
        assertNull(outcome(faults, "example.com.shop.test"));
    }

    @Test
    void aWildcardMatchesEveryNameBelowItsSuffixButNotTheSuffix() {
        DnsFaults faults = faults(rule("*.api", Kind.REFUSED, 0));
        assertEquals(Kind.REFUSED, outcome(faults, "x.api.shop.test"));
        assertEquals(Kind.REFUSED, outcome(faults, "a.b.API.shop.test"));
        assertNull(outcome(faults, "api.shop.test"));
        assertNull(outcome(faults, "xapi.shop.test"));
        DnsFaults domain = faults(rule("*.shop.test", Kind.REFUSED, 0));
        assertEquals(Kind.REFUSED, outcome(domain, "db.shop.test"));
        assertNull(outcome(domain, "shop.test"));
    }

    @Test
    void aStarOrNoNameMatchesEveryName() {
        assertEquals(Kind.SERVFAIL, outcome(faults(rule("*", Kind.SERVFAIL, 0)), "example.com"));
        assertEquals(Kind.SERVFAIL, outcome(faults(rule(null, Kind.SERVFAIL, 0)), "shop.test"));
    }

    @Test
    void firstHitsTheFirstNMatchingQueriesThenTheAnswerIsReal() {
        DnsFaults faults = faults(new Rule("db", Kind.NXDOMAIN, 0, new Selector.First(2)));
        assertNull(outcome(faults, "web.shop.test"), "a query for another name does not count");
        assertEquals(Kind.NXDOMAIN, outcome(faults, "db.shop.test"));
        assertEquals(Kind.NXDOMAIN, outcome(faults, "db.shop.test"));
        assertNull(outcome(faults, "db.shop.test"));
        assertEquals(DnsMessage.RCODE_NOERROR, ask(faults, "db.shop.test", false).rcode());
    }

    @Test
    void aQueryOverTcpCountsTowardFirstAsOneOverUdp() {
        DnsFaults faults = faults(new Rule("db", Kind.SERVFAIL, 0, new Selector.First(1)));
        ask(faults, "db.shop.test", true);
        assertEquals(Kind.SERVFAIL, decision.outcome());
        assertNull(outcome(faults, "db.shop.test"));
    }

    /** Whether each of 200 queries for db was hit, under a 30% rule seeded with {@code seed}. */
    private List<Boolean> draws(long seed) {
        DnsFaults faults = new DnsFaults("shop.test", List.of(new Rule("db", Kind.SERVFAIL, 0, new Selector.Probability(0.3))), seed);
        List<Boolean> hits = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            hits.add(outcome(faults, "db.shop.test") != null);
        }
        return hits;
    }

    @Test
    void probabilityReplaysWithTheSameSeedAndDiffersWithAnother() {
        List<Boolean> a = draws(1);
        assertEquals(a, draws(1));
        assertNotEquals(a, draws(2));
        long hit = a.stream().filter(b -> b).count();
        assertTrue(hit > 30 && hit < 90, hit + " of 200 at 30%");
    }

    @Test
    void replacingTheRulesRestartsTheirCountingAndEmptyClears() {
        DnsFaults faults = faults(new Rule("db", Kind.NXDOMAIN, 0, new Selector.First(1)));
        assertEquals(Kind.NXDOMAIN, outcome(faults, "db.shop.test"));
        assertNull(outcome(faults, "db.shop.test"));
        faults.replace(List.of(new Rule("db", Kind.NXDOMAIN, 0, new Selector.First(1))));
        assertEquals(Kind.NXDOMAIN, outcome(faults, "db.shop.test"));
        faults.replace(List.of());
        assertTrue(faults.isEmpty());
        assertNull(outcome(faults, "db.shop.test"));
    }

    @Test
    void anUnreadableQueryOrOtherOpcodeIsNotFaulted() {
        DnsFaults faults = faults(rule("*", Kind.SERVFAIL, 0));
        byte[] garbage = {0, 7, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0};
        faults.decide(ByteBuffer.wrap(garbage), 0, garbage.length, false, decision);
        assertNull(decision.outcome());
        byte[] notify = DnsQueries.query(1, "db.shop.test", DnsMessage.TYPE_A, 0);
        notify[2] |= 4 << 3; // opcode NOTIFY
        faults.decide(ByteBuffer.wrap(notify), 0, notify.length, false, decision);
        assertNull(decision.outcome());
    }

    @Test
    void aNameThatIsNoPatternIsRefused() {
        assertEquals("'a*b' has a '*' that is not its first label; expected a name like db, *.shop.test or *",
                DnsFaults.nameProblem("a*b", "shop.test"));
        assertEquals("'*.*.x' has a '*' that is not its first label; expected a name like db, *.shop.test or *",
                DnsFaults.nameProblem("*.*.x", "shop.test"));
        assertEquals("'db..x' has a label of 0 characters; expected 1 to 63 between dots", DnsFaults.nameProblem("db..x", "shop.test"));
        assertNull(DnsFaults.nameProblem("*.shop.test", "shop.test"));
        assertThrows(IllegalArgumentException.class, () -> faults(rule("a b", Kind.SERVFAIL, 0)));
        assertThrows(IllegalArgumentException.class, () -> rule("db", Kind.DELAY, 0));
        assertThrows(IllegalArgumentException.class, () -> rule("db", Kind.TTL, -1));
    }
}
