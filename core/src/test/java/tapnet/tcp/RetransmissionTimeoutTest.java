package tapnet.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** RFC 6298's arithmetic, in milliseconds for readability. */
class RetransmissionTimeoutTest {
    private static final long MS = 1_000_000;
    private final RetransmissionTimeout rto = new RetransmissionTimeout(1000 * MS, 200 * MS, 60_000 * MS);

    @Test
    void startsAtTheInitialValue() {
        assertEquals(1000 * MS, rto.rto());
    }

    @Test
    void firstSampleSetsSrttAndHalfOfItAsRttvar() {
        rto.sample(100 * MS);
        assertEquals(100 * MS, rto.srtt());
        assertEquals(50 * MS, rto.rttvar());
        assertEquals(300 * MS, rto.rto(), "SRTT + 4 RTTVAR");
    }

    @Test
    void laterSamplesAreSmoothed() {
        rto.sample(100 * MS);
        rto.sample(200 * MS);
        assertEquals(62_500_000, rto.rttvar(), "RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R'|");
        assertEquals(112_500_000, rto.srtt(), "SRTT = 7/8 SRTT + 1/8 R'");
    }

    @Test
    void isNeverBelowTheMinimum() {
        rto.sample(MS);
        assertEquals(200 * MS, rto.rto());
    }

    @Test
    void backOffDoublesUpToTheMaximum() {
        for (int i = 0; i < 10; i++) {
            rto.backOff();
        }
        assertEquals(60_000 * MS, rto.rto());
    }
}
