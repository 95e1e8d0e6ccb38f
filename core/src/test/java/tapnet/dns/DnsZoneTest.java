package tapnet.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.wire.DnsMessage;
import tapnet.wire.Ipv4Address;

/** What the zone answers, read back as "name TTL TYPE data" lines. */
class DnsZoneTest {
    private final DnsZone zone = DnsZone.builder("shop.test")
            .address("web", Ipv4Address.parse("10.77.0.10"), 60)
            .address("db", Ipv4Address.parse("10.77.0.11"), 60)
            .a("api", Ipv4Address.parse("10.77.0.20"), 30)
            .a("api", Ipv4Address.parse("10.77.0.21"), 30)
            .aaaa("web", new byte[] {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 60)
            .cname("www", "web", 300)
            .cname("shop", "www", 300)
            .cname("gone", "nowhere", 300)
            .cname("out", "example.com.", 300)
            .cname("loop1", "loop2", 5)
            .cname("loop2", "loop1", 5)
            .txt("@", "v=spf1 -all", 120)
            .srv("_http._tcp", 10, 5, 80, "web", 60)
            .mx("@", 10, "mail", 60)
            .build();

    private AnsweredReply ask(String name, int type) {
        return AnsweredReply.of(zone, DnsQueries.query(0x4242, name, type, 0), 1500);
    }

    @Test
    void aHostsNameIsItsAddress() {
        AnsweredReply r = ask("web.shop.test", DnsMessage.TYPE_A);
        assertEquals(DnsMessage.RCODE_NOERROR, r.rcode());
        assertTrue(r.authoritative());
        assertEquals(List.of("web.shop.test. 60 A 10.77.0.10"), r.answers());
        assertEquals(0x4242, r.id());
    }

    @Test
    void namesMatchWhateverTheirCaseAndTheQuestionComesBackAsAsked() {
        AnsweredReply r = ask("WeB.Shop.TEST", DnsMessage.TYPE_A);
        assertEquals(List.of("WeB.Shop.TEST. 60 A 10.77.0.10"), r.answers());
    }

    @Test
    void everyRecordOfTheAskedTypeIsAnswered() {
        assertEquals(List.of("api.shop.test. 30 A 10.77.0.20", "api.shop.test. 30 A 10.77.0.21"),
                ask("api.shop.test", DnsMessage.TYPE_A).answers());
        assertEquals(List.of("web.shop.test. 60 AAAA fd00:0:0:0:0:0:0:1"), ask("web.shop.test", DnsMessage.TYPE_AAAA).answers());
        assertEquals(List.of("shop.test. 120 TXT \"v=spf1 -all\""), ask("shop.test", DnsMessage.TYPE_TXT).answers());
        assertEquals(List.of("_http._tcp.shop.test. 60 SRV 10 5 80 web.shop.test."),
                ask("_http._tcp.shop.test", DnsMessage.TYPE_SRV).answers());
        assertEquals(List.of("shop.test. 60 MX 10 mail.shop.test."), ask("shop.test", DnsMessage.TYPE_MX).answers());
    }

    @Test
    void anAddressNamesItsHostBack() {
        assertEquals(List.of("10.0.77.10.in-addr.arpa. 60 PTR web.shop.test."),
                ask("10.0.77.10.in-addr.arpa", DnsMessage.TYPE_PTR).answers());
    }

    @Test
    void aCnameChainWithinTheZoneIsFollowedWithEachOwnerCompressedToTheTargetBefore() {
        AnsweredReply r = ask("shop.shop.test", DnsMessage.TYPE_A);
        assertEquals(DnsMessage.RCODE_NOERROR, r.rcode());
        assertEquals(List.of("shop.shop.test. 300 CNAME www.shop.test.", "www.shop.test. 300 CNAME web.shop.test.",
                "web.shop.test. 60 A 10.77.0.10"), r.answers());
        assertEquals(r.length(), r.bytesWithCompressedOwners(), "every owner a 2-byte pointer");
    }

    @Test
    void aCnameIsAnsweredAsItselfWhenAskedFor() {
        assertEquals(List.of("www.shop.test. 300 CNAME web.shop.test."), ask("www.shop.test", DnsMessage.TYPE_CNAME).answers());
    }

    @Test
    void aChainEndingAtAnUnknownNameInTheDomainIsNxdomainAndOneLeavingTheZoneStopsAtTheCname() {
        AnsweredReply gone = ask("gone.shop.test", DnsMessage.TYPE_A);
        assertEquals(DnsMessage.RCODE_NXDOMAIN, gone.rcode());
        assertEquals(List.of("gone.shop.test. 300 CNAME nowhere.shop.test."), gone.answers());
        AnsweredReply out = ask("out.shop.test", DnsMessage.TYPE_A);
        assertEquals(DnsMessage.RCODE_NOERROR, out.rcode());
        assertEquals(List.of("out.shop.test. 300 CNAME example.com."), out.answers());
    }

    @Test
    void aCnameLoopEndsAfterTheBoundedNumberOfLinks() {
        AnsweredReply r = ask("loop1.shop.test", DnsMessage.TYPE_A);
        assertEquals(DnsMessage.RCODE_NOERROR, r.rcode());
        assertEquals(DnsZone.MAX_CHAIN, r.answers().size());
    }

    @Test
    void anUnknownNameInTheDomainIsNxdomainAndOneOutsideItRefused() {
        AnsweredReply unknown = ask("nope.shop.test", DnsMessage.TYPE_A);
        assertEquals(DnsMessage.RCODE_NXDOMAIN, unknown.rcode());
        assertTrue(unknown.authoritative());
        assertEquals(List.of(), unknown.answers());
        AnsweredReply outside = ask("example.com", DnsMessage.TYPE_A);
        assertEquals(DnsMessage.RCODE_REFUSED, outside.rcode());
        assertTrue(!outside.authoritative());
        assertEquals(DnsMessage.RCODE_REFUSED, ask("1.0.77.10.in-addr.arpa", DnsMessage.TYPE_PTR).rcode(),
                "a reverse name the zone was not given");
    }

    @Test
    void aKnownNameWithoutTheAskedTypeIsNoerrorWithNoAnswer() {
        AnsweredReply r = ask("db.shop.test", DnsMessage.TYPE_AAAA);
        assertEquals(DnsMessage.RCODE_NOERROR, r.rcode());
        assertEquals(List.of(), r.answers());
    }

    @Test
    void anyGivesEveryRecordOfTheName() {
        assertEquals(List.of("web.shop.test. 60 A 10.77.0.10", "web.shop.test. 60 AAAA fd00:0:0:0:0:0:0:1"),
                ask("web.shop.test", DnsMessage.TYPE_ANY).answers());
    }

    @Test
    void aMalformedQueryIsFormerrAndAResponseOrAShortMessageGetsNothing() {
        byte[] twoQuestions = DnsQueries.query(1, "web.shop.test", DnsMessage.TYPE_A, 0);
        twoQuestions[5] = 2;
        AnsweredReply r = AnsweredReply.of(zone, twoQuestions, 512);
        assertEquals(DnsMessage.RCODE_FORMERR, r.rcode());
        assertEquals(12, r.length());
        byte[] response = DnsQueries.query(1, "web.shop.test", DnsMessage.TYPE_A, 0);
        response[2] |= (byte) 0x80;
        assertEquals(0, AnsweredReply.of(zone, response, 512).length());
        assertEquals(0, AnsweredReply.of(zone, new byte[11], 512).length());
    }

    @Test
    void anotherOpcodeIsNotImplementedAndAnotherClassRefused() {
        byte[] status = DnsQueries.query(1, "web.shop.test", DnsMessage.TYPE_A, 0);
        status[2] = (byte) (2 << 3); // opcode STATUS
        assertEquals(DnsMessage.RCODE_NOTIMP, AnsweredReply.of(zone, status, 512).rcode());
        byte[] chaos = DnsQueries.query(1, "web.shop.test", DnsMessage.TYPE_A, 0);
        chaos[chaos.length - 1] = 3; // class CH
        assertEquals(DnsMessage.RCODE_REFUSED, AnsweredReply.of(zone, chaos, 512).rcode());
    }

    @Test
    void aLaterEdnsVersionIsAnsweredBadversWithVersionZero() {
        byte[] query = DnsQueries.query(9, "web.shop.test", DnsMessage.TYPE_A, 1232);
        query[query.length - 5] = 1; // the OPT record's version (RFC 6891 §6.1.3)
        AnsweredReply r = AnsweredReply.of(zone, query, 1500);
        assertEquals(0, r.rcode(), "BADVERS is 16: 0 in the header");
        assertTrue(r.hasOpt());
        assertEquals(1, r.bytes()[r.length() - 11 + 5], "and 1 in the OPT record's extended rcode");
        assertEquals(0, r.bytes()[r.length() - 11 + 6], "the reply's version: 0, the highest tapnet implements");
        assertEquals(List.of(), r.answers());

        query[query.length - 5] = 0;
        assertEquals(1, AnsweredReply.of(zone, query, 1500).answers().size(), "version 0 is answered");
    }

    @Test
    void manyRecordsPast512BytesAreTruncatedButFitAnEdnsSize() {
        DnsZone.Builder b = DnsZone.builder("shop.test");
        for (int i = 0; i < 40; i++) {
            b.a("many", Ipv4Address.parse("10.77.1." + i), 60);
        }
        DnsZone big = b.build();
        AnsweredReply classic = AnsweredReply.of(big, DnsQueries.query(7, "many.shop.test", DnsMessage.TYPE_A, 0), 1500);
        assertTrue(classic.truncated());
        assertEquals(List.of(), classic.answers());
        AnsweredReply edns = AnsweredReply.of(big, DnsQueries.query(7, "many.shop.test", DnsMessage.TYPE_A, 1232), 1500);
        assertTrue(!edns.truncated());
        assertEquals(40, edns.answers().size());
        assertTrue(edns.hasOpt());
    }

    @Test
    void aReplyBufferTooSmallForTheQuestionGetsServfailAsAHeaderAloneAndOneTooSmallForThatNothing() {
        AnsweredReply r = AnsweredReply.of(zone, DnsQueries.query(9, "web.shop.test", DnsMessage.TYPE_A, 0), 20);
        assertEquals(DnsMessage.RCODE_SERVFAIL, r.rcode());
        assertEquals(12, r.length());
        assertEquals(0, AnsweredReply.of(zone, DnsQueries.query(9, "web.shop.test", DnsMessage.TYPE_A, 0), 11).length());
    }

    @Test
    void anAnswerTruncatedOverUdpIsWholeOverTcp() {
        DnsZone big = DnsZone.builder("shop.test").txt("big", "x".repeat(3000), 60).build();
        byte[] query = DnsQueries.query(1, "big.shop.test", DnsMessage.TYPE_TXT, 1232);
        AnsweredReply udp = AnsweredReply.of(big, query, 1500);
        assertTrue(udp.truncated());
        assertEquals(List.of(), udp.answers());
        AnsweredReply tcp = AnsweredReply.overTcp(big, query, 0xffff);
        assertFalse(tcp.truncated());
        assertEquals(1, tcp.answers().size());
        assertTrue(tcp.length() > 3000);
    }

    @Test
    void overTcpTheBufferStillLimitsTheAnswer() {
        DnsZone big = DnsZone.builder("shop.test").txt("big", "x".repeat(3000), 60).build();
        AnsweredReply tcp = AnsweredReply.overTcp(big, DnsQueries.query(1, "big.shop.test", DnsMessage.TYPE_TXT, 0), 2000);
        assertTrue(tcp.truncated());
        assertTrue(tcp.length() <= 2000);
    }

    @Test
    void theBuilderRefusesWhatAZoneCannotHold() {
        DnsZone.Builder b = DnsZone.builder("shop.test").a("web", 1, 60);
        assertThrows(IllegalArgumentException.class, () -> b.cname("web", "db", 60));
        assertThrows(IllegalArgumentException.class, () -> b.a("bad name", 1, 60));
        assertThrows(IllegalArgumentException.class, () -> b.a("x", 1, -1));
        assertThrows(IllegalArgumentException.class, () -> DnsZone.builder("shop..test"));
        assertEquals("web.shop.test", b.qualify("web"));
        assertEquals("web.shop.test", b.qualify("WEB.shop.test"));
        assertEquals("shop.test", b.qualify("@"));
        assertEquals("example.com", b.qualify("example.com."));
    }
}
