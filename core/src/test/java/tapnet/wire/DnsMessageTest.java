package tapnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import tapnet.wire.DnsMessage.Validity;

/**
 * RFC 1035 messages read ({@link DnsMessage}) and written ({@link DnsReply}). The queries are the bytes real resolvers send: dig 9.18's
 * (RD and AD set, an EDNS0 OPT of 1232 bytes with a cookie option) and glibc's stub resolver's
 * (RD, no EDNS0).
 */
class DnsMessageTest {
    /** {@code dig web.shop.test} (BIND 9.18): id 0x3a5c, flags RD|AD, one question, OPT 1232 with an 8-byte client cookie. */
    static final String DIG_QUERY = "3a5c 0120 0001 0000 0000 0001"
            + " 03 776562 04 73686f70 04 74657374 00 0001 0001"
            + " 00 0029 04d0 00000000 000c 000a 0008 0123456789abcdef";
    /** glibc's {@code getaddrinfo("WEB.shop.test")}: id 0x1234, RD, AAAA, no additional records. */
    static final String GLIBC_QUERY = "1234 0100 0001 0000 0000 0000"
            + " 03 574542 04 73686f70 04 74657374 00 001c 0001";

    private final DnsMessage query = new DnsMessage();
    private final DnsReply reply = new DnsReply();

    private Validity check(String hex) {
        ByteBuffer b = Hex.buffer(hex);
        return query.wrap(b, 0, b.capacity()).check();
    }

    @Test
    void readsDigsQueryWithEdns() {
        assertEquals(Validity.VALID, check(DIG_QUERY));
        assertEquals(0x3a5c, query.id());
        assertFalse(query.isResponse());
        assertEquals(DnsMessage.OPCODE_QUERY, query.opcode());
        assertTrue(query.recursionDesired());
        assertEquals(DnsMessage.TYPE_A, query.questionType());
        assertEquals(DnsMessage.CLASS_IN, query.questionClass());
        assertTrue(query.nameEquals(DnsNames.encode("web.shop.test")));
        assertTrue(query.nameWithin(DnsNames.encode("shop.test")));
        assertTrue(query.nameWithin(DnsNames.encode("web.shop.test")));
        assertFalse(query.nameWithin(DnsNames.encode("hop.test")));
        assertTrue(query.hasEdns());
        assertEquals(1232, query.ednsPayloadSize());
        assertEquals(1232, query.replySizeLimit());
    }

    @Test
    void readsGlibcsQueryWithoutEdnsAndMatchesNamesCaseInsensitively() {
        assertEquals(Validity.VALID, check(GLIBC_QUERY));
        assertEquals(DnsMessage.TYPE_AAAA, query.questionType());
        assertTrue(query.nameEquals(DnsNames.encode("web.shop.test")));
        assertEquals('W', query.nameByte(1));
        assertFalse(query.hasEdns());
        assertEquals(512, query.replySizeLimit());
    }

    @Test
    void anEdnsSizeBelow512CountsAs512AndAboveTapnetsAsTapnets() {
        String small = DIG_QUERY.replace("0029 04d0", "0029 0100");
        assertEquals(Validity.VALID, check(small));
        assertEquals(512, query.replySizeLimit());
        assertEquals(Validity.VALID, check(DIG_QUERY.replace("0029 04d0", "0029 ffff")));
        assertEquals(DnsMessage.MAX_UDP_SIZE, query.replySizeLimit());
    }

    @Test
    void aReplyEchoesTheQuestionAsItCameAndCompressesOwnersToIt() {
        assertEquals(Validity.VALID, check(GLIBC_QUERY));
        ByteBuffer out = ByteBuffer.allocate(600);
        reply.wrap(out, 0, out.capacity());
        assertTrue(reply.startReply(query, DnsMessage.RCODE_NOERROR, 600));
        byte[] address = {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        assertEquals(12 + 15 + 4 + 12, reply.addRecord(DnsReply.questionPointer(), DnsMessage.TYPE_AAAA, 60, address));
        int length = reply.finish();

        assertEquals(Hex.plain("1234 8500 0001 0001 0000 0000"
                + " 03574542 0473686f70 0474657374 00 001c 0001"
                + " c00c 001c 0001 0000003c 0010 fd000000000000000000000000000001"), Hex.of(out, 0, length));
        // and it reads back as a message with those counts
        DnsMessage read = new DnsMessage().wrap(out, 0, length);
        assertTrue(read.isResponse());
        assertTrue(read.authoritative());
        assertTrue(read.recursionDesired());
        assertFalse(read.recursionAvailable());
        assertEquals(1, read.answerCount());
    }

    @Test
    void aReplyToAnEdnsQueryCarriesAnOptRecordWithTapnetsSize() {
        assertEquals(Validity.VALID, check(DIG_QUERY));
        ByteBuffer out = ByteBuffer.allocate(600);
        reply.wrap(out, 0, out.capacity());
        assertTrue(reply.startReply(query, DnsMessage.RCODE_NXDOMAIN, 600));
        int length = reply.finish();
        assertEquals(Hex.plain("3a5c 8503 0001 0000 0000 0001"
                + " 03776562 0473686f70 0474657374 00 0001 0001"
                + " 00 0029 04d0 00000000 0000"), Hex.of(out, 0, length));
    }

    @Test
    void aReplyThatDoesNotFitIsTruncatedWholeWithTcSet() {
        assertEquals(Validity.VALID, check(GLIBC_QUERY));
        ByteBuffer out = ByteBuffer.allocate(2000);
        reply.wrap(out, 0, out.capacity());
        assertTrue(reply.startReply(query, DnsMessage.RCODE_NOERROR, 2000));
        byte[] txt = new byte[200];
        assertTrue(reply.addRecord(DnsReply.questionPointer(), DnsMessage.TYPE_TXT, 1, txt) > 0);
        assertTrue(reply.addRecord(DnsReply.questionPointer(), DnsMessage.TYPE_TXT, 1, txt) > 0);
        assertEquals(-1, reply.addRecord(DnsReply.questionPointer(), DnsMessage.TYPE_TXT, 1, txt), "past 512 bytes");
        assertEquals(-1, reply.addRecord(DnsReply.questionPointer(), DnsMessage.TYPE_TXT, 1, new byte[1]), "nothing after TC");
        int length = reply.finish();
        assertEquals(12 + 19, length, "header and question only");
        DnsMessage read = new DnsMessage().wrap(out, 0, length);
        assertTrue(read.truncated());
        assertEquals(0, read.answerCount());
        assertEquals(1, read.questionCount());
    }

    @Test
    void theEdnsSizeLetsALargerReplyThroughAndTheCallersLimitStillHolds() {
        assertEquals(Validity.VALID, check(DIG_QUERY));
        ByteBuffer out = ByteBuffer.allocate(2000);
        reply.wrap(out, 0, out.capacity());
        assertTrue(reply.startReply(query, DnsMessage.RCODE_NOERROR, 2000));
        byte[] txt = new byte[200];
        for (int i = 0; i < 5; i++) {
            assertTrue(reply.addRecord(DnsReply.questionPointer(), DnsMessage.TYPE_TXT, 1, txt) > 0, "record " + i);
        }
        assertFalse(reply.truncated());
        assertTrue(reply.finish() <= 1232);

        reply.wrap(out, 0, out.capacity());
        assertTrue(reply.startReply(query, DnsMessage.RCODE_NOERROR, 300));
        assertTrue(reply.addRecord(DnsReply.questionPointer(), DnsMessage.TYPE_TXT, 1, txt) > 0);
        assertEquals(-1, reply.addRecord(DnsReply.questionPointer(), DnsMessage.TYPE_TXT, 1, txt));
        assertTrue(reply.finish() <= 300);
    }

    @Test
    void aFormatErrorReplyIsTheHeaderAlone() {
        ByteBuffer b = Hex.buffer("beef 0100 0002 0000 0000 0000");
        query.wrap(b, 0, b.capacity());
        assertEquals(Validity.NOT_ONE_QUESTION, query.check());
        ByteBuffer out = ByteBuffer.allocate(64);
        int length = reply.wrap(out, 0, 64).writeHeaderOnlyReply(query, DnsMessage.RCODE_FORMERR, 64);
        assertEquals(Hex.plain("beef 8501 0000 0000 0000 0000"), Hex.of(out, 0, length));
    }

    @Test
    void responsesAndShortMessagesGetNoReplyAtAll() {
        ByteBuffer out = ByteBuffer.allocate(64);
        ByteBuffer response = Hex.buffer("beef 8100 0001 0000 0000 0000");
        assertEquals(0, reply.wrap(out, 0, 64).writeHeaderOnlyReply(query.wrap(response, 0, 12), DnsMessage.RCODE_FORMERR, 64));
        ByteBuffer shortOne = Hex.buffer("beef 0100 0001");
        assertEquals(0, reply.wrap(out, 0, 64).writeHeaderOnlyReply(query.wrap(shortOne, 0, 6), DnsMessage.RCODE_FORMERR, 64));
    }

    @Test
    void aNameMayPointBackIntoAnEarlierName() {
        // RFC 1035 §4.1.4's example: F.ISI.ARPA, then FOO.F.ISI.ARPA as FOO + pointer, in the additional section
        String hex = "0001 0000 0001 0000 0000 0001"
                + " 01 46 03 495349 04 41525041 00 0001 0001"
                + " 03 464f4f c00c 0001 0001 00000000 0000";
        assertEquals(Validity.VALID, check(hex));
        assertTrue(query.nameEquals(DnsNames.encode("f.isi.arpa")));
    }

    @Test
    void malformedQueriesAreRejectedWithTheirReasons() {
        String header = "0001 0000 0001 0000 0000 ";
        assertEquals(Validity.SHORTER_THAN_HEADER, check("0001 0000 0001 0000 0000 00"));
        assertEquals(Validity.NOT_A_QUERY, check("0001 8000 0001 0000 0000 0000 00 0001 0001"));
        assertEquals(Validity.NOT_ONE_QUESTION, check("0001 0000 0000 0000 0000 0000"));
        assertEquals(Validity.NAME_TRUNCATED, check(header + "0000 03 6162"));
        assertEquals(Validity.NAME_TRUNCATED, check(header + "0000 03 616263"));
        assertEquals(Validity.QUESTION_TRUNCATED, check(header + "0000 03 616263 00 0001"));
        assertEquals(Validity.LABEL_TOO_LONG, check(header + "0000 40" + "61".repeat(64) + "00 0001 0001"));
        assertEquals(Validity.LABEL_TOO_LONG, check(header + "0000 80 00 0001 0001"));
        assertEquals(Validity.NAME_TOO_LONG, check(header + "0000" + (" 3f" + "61".repeat(63)).repeat(4) + " 00 0001 0001"));
        assertEquals(Validity.POINTER_OUT_OF_RANGE, check(header + "0000 c0ff 0001 0001"));
        assertEquals(Validity.POINTER_FORWARD, check(header + "0000 c00e 00 0001 0001"));
        assertEquals(Validity.POINTER_LOOP, check(header + "0000 c00c 0001 0001"));
        assertEquals(Validity.POINTER_LOOP, check(header + "0000 01 61 c00c 0001 0001"));
        assertEquals(Validity.NAME_TRUNCATED, check(header + "0000 c0"));
        assertEquals(Validity.RECORD_TRUNCATED, check("0001 0000 0001 0000 0000 0001 00 0001 0001 00 0029 04d0"));
        assertEquals(Validity.RECORD_TRUNCATED, check("0001 0000 0001 0000 0000 0001 00 0001 0001 00 0029 04d0 00000000 0005 00"));
        assertEquals(Validity.OPT_NOT_ROOT, check("0001 0000 0001 0000 0000 0001 01 61 00 0001 0001 c00c 0029 04d0 00000000 0000"));
        assertEquals(Validity.TWO_OPT_RECORDS, check("0001 0000 0001 0000 0000 0002 00 0001 0001"
                + " 00 0029 04d0 00000000 0000 00 0029 04d0 00000000 0000"));
        assertEquals(Validity.NAME_TRUNCATED, check("0001 0000 0001 0001 0000 0000 00 0001 0001"), "an answer record promised, none there");
    }

    @Test
    void aChainOfPointersLongerThanAnyNameNeedsIsALoopAndTooManyRecordsAreRefused() {
        assertEquals(Validity.VALID, check(pointerChain(DnsMessage.MAX_POINTERS - 1)));
        assertEquals(Validity.POINTER_LOOP, check(pointerChain(DnsMessage.MAX_POINTERS + 1)));
        assertEquals(Validity.TOO_MANY_RECORDS, check("0001 0000 0001 0000 0000 0011 00 0001 0001"));
    }

    /**
     * A root question, an answer record whose RDATA is {@code hops} pointers each to the one before (the
     * first to the question's root name), and an additional record named by a pointer to the last.
     */
    private static String pointerChain(int hops) {
        StringBuilder hex = new StringBuilder("0001 0000 0001 0001 0000 0001 00 0001 0001");
        hex.append(String.format(" 00 0010 0001 00000000 %04x", 2 * hops));
        int first = 12 + 5 + 11;
        for (int i = 0; i < hops; i++) {
            hex.append(String.format(" %04x", 0xc000 | (i == 0 ? 12 : first + 2 * (i - 1))));
        }
        hex.append(String.format(" %04x 0010 0001 00000000 0000", 0xc000 | (first + 2 * (hops - 1))));
        return hex.toString();
    }

    @Test
    void aNameOf255BytesIsTheLongestAllowed() {
        // 3 labels of 63 and one of 61: 3*64 + 62 + 1 = 255
        String name = (" 3f" + "61".repeat(63)).repeat(3) + " 3d" + "61".repeat(61) + " 00";
        assertEquals(Validity.VALID, check("0001 0000 0001 0000 0000 0000" + name + " 0001 0001"));
        assertEquals(255, query.nameLength());
    }
}
