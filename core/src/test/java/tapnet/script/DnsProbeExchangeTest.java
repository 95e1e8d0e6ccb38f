package tapnet.script;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import tapnet.topology.ProbeSpec;

/** A dns probe's query bytes, and which datagrams count as its answer and what sample each makes. */
class DnsProbeExchangeTest {
    private static final ProbeSpec.DnsQuery WEB = new ProbeSpec.DnsQuery("web.shop.test", "AAAA", 0x0a4d0035);
    private static final byte[] QUERY = DnsProbeExchange.query(WEB, 0xbeef);

    @Test
    void theQueryIsOneQuestionWithRecursionDesiredAndNoEdns() {
        byte[] expected = {(byte) 0xbe, (byte) 0xef, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
                3, 'w', 'e', 'b', 4, 's', 'h', 'o', 'p', 4, 't', 'e', 's', 't', 0, 0, 28, 0, 1};
        assertArrayEquals(expected, QUERY);
    }

    @Test
    void noErrorWithAnAnswerIsOkAndTimed() {
        RunReport.Sample s = judge(answer(0x8180, 1), 7.5);
        assertTrue(s.ok());
        assertEquals(7.5, s.value());
        assertEquals("ok", s.outcome());
        assertEquals(42, s.atNanos());
    }

    @Test
    void noErrorWithoutRecordsOfTheTypeIsOkAsNoData() {
        RunReport.Sample s = judge(answer(0x8180, 0), 1);
        assertTrue(s.ok());
        assertEquals("no data", s.outcome());
    }

    @Test
    void anErrorRcodeFailsWithItsName() {
        assertEquals(new RunReport.Sample(42, false, Double.NaN, "NXDOMAIN"), judge(answer(0x8183, 0), 1));
        assertEquals("SERVFAIL", judge(answer(0x8182, 0), 1).outcome());
        assertEquals("REFUSED", judge(answer(0x8185, 0), 1).outcome());
        assertEquals("RCODE 12", judge(answer(0x818c, 0), 1).outcome());
    }

    @Test
    void aTruncatedAnswerIsTimedAndSaysSo() {
        RunReport.Sample s = judge(answer(0x8380, 0), 3);
        assertTrue(s.ok());
        assertEquals(3, s.value());
        assertEquals("truncated", s.outcome());
        assertEquals("SERVFAIL truncated", judge(answer(0x8382, 0), 1).outcome());
    }

    @Test
    void anotherIdIsNoAnswer() {
        byte[] a = answer(0x8180, 1);
        a[1] = 0;
        assertNull(judge(a, 1));
    }

    @Test
    void aQueryIsNoAnswer() {
        assertNull(judge(answer(0x0100, 0), 1));
    }

    @Test
    void anotherQuestionIsNoAnswerButTheSameInOtherCaseIs() {
        byte[] other = answer(0x8180, 1);
        other[13] = 'x';
        assertNull(judge(other, 1));
        byte[] upper = answer(0x8180, 1);
        upper[13] = 'W';
        assertTrue(judge(upper, 1).ok());
        byte[] type = answer(0x8180, 1);
        type[QUERY.length - 3] = 1; // A, not AAAA
        assertNull(judge(type, 1));
    }

    @Test
    void aHeaderOnlyAnswerCountsAsTheServersWord() {
        byte[] header = Arrays.copyOf(answer(0x8181, 0), 12);
        header[5] = 0;
        assertEquals("FORMERR", judge(header, 1).outcome());
    }

    @Test
    void aDatagramShorterThanAHeaderOrItsQuestionIsNoAnswer() {
        assertNull(DnsProbeExchange.judge(QUERY, answer(0x8180, 0), 11, 42, 1));
        assertNull(DnsProbeExchange.judge(QUERY, answer(0x8180, 0), QUERY.length - 1, 42, 1));
    }

    @Test
    void rcodesHaveTheirRegistryNames() {
        assertEquals("NOERROR", DnsProbeExchange.rcodeName(0));
        assertEquals("NOTAUTH", DnsProbeExchange.rcodeName(9));
        assertFalse(DnsProbeExchange.rcodeName(16).isEmpty());
    }

    private static RunReport.Sample judge(byte[] answer, double millis) {
        return DnsProbeExchange.judge(QUERY, answer, answer.length, 42, millis);
    }

    /** The query turned into an answer with {@code flags} and {@code answers} as its answer count (no records follow: not read). */
    private static byte[] answer(int flags, int answers) {
        byte[] a = Arrays.copyOf(QUERY, QUERY.length);
        a[2] = (byte) (flags >>> 8);
        a[3] = (byte) flags;
        a[7] = (byte) answers;
        return a;
    }
}
