package tapnet.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** netem's {@code rate} and {@code limit}: serialization time, overheads, the bounded queue. */
class RateLimiterTest {
    private static final long MS = 1_000_000;
    private static final long TEN_MBIT = 10_000_000;
    /** 1500 bytes at 10 Mbit/s. */
    private static final long FRAME_TIME = 1_200_000;

    private final Verdict verdict = new Verdict();

    @Test
    void throughputHoldsTheSetRateWithinFivePercentUnderOverload() {
        LinkDirection link = new LinkDirection(Impairments.NONE.withRate(TEN_MBIT).withQueueLimit(100, 0), 41);
        // Offered at twice the rate, at slightly irregular times, for 10,000 frames.
        long now = 0;
        long firstRelease = -1;
        long lastRelease = 0;
        long bitsDelivered = 0;
        Xoshiro256StarStar arrivals = new Xoshiro256StarStar(1);
        for (int i = 0; i < 10_000; i++) {
            now += FRAME_TIME / 4 + arrivals.nextInt((int) (FRAME_TIME / 2));
            link.decide(1500, now, verdict);
            if (!verdict.dropped()) {
                if (firstRelease < 0) {
                    firstRelease = verdict.releaseNanos(0) - FRAME_TIME;
                }
                lastRelease = verdict.releaseNanos(0);
                bitsDelivered += 1500 * 8;
            }
        }
        double throughput = bitsDelivered * 1e9 / (lastRelease - firstRelease);
        assertEquals(TEN_MBIT, throughput, TEN_MBIT * 0.05);
        assertTrue(link.counters().dropped(LinkDropReason.QUEUE_FULL) > 4000, "the overload is dropped at the tail");
    }

    @Test
    void aBusyLinkSendsAtExactlyTheSetRateWithoutRoundingDrift() {
        // At 3 Gbit/s a 1501-byte frame takes 4002.67 ns: rounding each one down would end 6,667 ns early.
        long rate = 3_000_000_000L;
        LinkDirection link = new LinkDirection(Impairments.NONE.withRate(rate).withQueueLimit(20_000, 0), 42);
        for (int i = 0; i < 10_000; i++) {
            link.decide(1501, 0, verdict);
        }
        long exact = 10_000L * 1501 * 8 * 1_000_000_000L / rate;
        assertEquals(exact, verdict.releaseNanos(0));
    }

    @Test
    void anIdleLinkSendsAFrameInItsSerializationTimeThenDelaysIt() {
        LinkDirection link = new LinkDirection(Impairments.NONE.withRate(TEN_MBIT).withDelay(Duration.ofMillis(20)), 43);
        link.decide(1500, 1000 * MS, verdict);
        assertEquals(1000 * MS + FRAME_TIME + 20 * MS, verdict.releaseNanos(0));
        link.decide(1500, 1000 * MS, verdict);
        assertEquals(1000 * MS + 2 * FRAME_TIME + 20 * MS, verdict.releaseNanos(0), "behind the first");
        link.decide(1500, 2000 * MS, verdict);
        assertEquals(2000 * MS + FRAME_TIME + 20 * MS, verdict.releaseNanos(0), "the link was idle again");
    }

    @Test
    void perPacketOverheadTakesWireTime() {
        LinkDirection link = new LinkDirection(Impairments.NONE.withRate(TEN_MBIT, 24), 44);
        link.decide(1476, 0, verdict);
        assertEquals(FRAME_TIME, verdict.releaseNanos(0), "1476 + 24 bytes");
    }

    @Test
    void cellsRoundUpAsAtmDoes() {
        // tc-netem(8): a 50-byte packet in ATM cells of 48 bytes plus 5 takes 2 cells, 106 bytes on the wire.
        Impairments.Rate atm = new Impairments.Rate(8_000_000, 0, 48, 5, 10, 0);
        LinkDirection link = new LinkDirection(Impairments.NONE.withRate(atm), 45);
        link.decide(50, 0, verdict);
        assertEquals(106_000, verdict.releaseNanos(0), "106 bytes at 1 byte per µs");
    }

    @Test
    void framesBeyondThePacketLimitAreDroppedAtTheTail() {
        LinkDirection link = new LinkDirection(Impairments.NONE.withRate(TEN_MBIT).withQueueLimit(10, 0), 46);
        int accepted = 0;
        for (int i = 0; i < 30; i++) {
            link.decide(1500, 0, verdict);
            if (verdict.dropped()) {
                assertEquals(LinkDropReason.QUEUE_FULL, verdict.dropReason());
            } else {
                accepted++;
            }
        }
        assertEquals(10, accepted);
        assertEquals(20, link.counters().dropped(LinkDropReason.QUEUE_FULL));
        assertEquals(10, link.queuedFrames());
        assertEquals(15_000, link.queuedBytes());
    }

    @Test
    void framesBeyondTheByteLimitAreDroppedAtTheTail() {
        LinkDirection link = new LinkDirection(Impairments.NONE.withRate(TEN_MBIT).withQueueLimit(100, 5000), 47);
        for (int i = 0; i < 3; i++) {
            link.decide(1500, 0, verdict);
            assertFalse(verdict.dropped());
        }
        link.decide(1500, 0, verdict);
        assertEquals(LinkDropReason.QUEUE_FULL, verdict.dropReason(), "4500 + 1500 bytes is over 5000");
        link.decide(500, 0, verdict);
        assertFalse(verdict.dropped(), "4500 + 500 bytes fits");
    }

    @Test
    void theQueueDrainsAsFramesAreSent() {
        LinkDirection link = new LinkDirection(Impairments.NONE.withRate(TEN_MBIT).withQueueLimit(10, 0), 48);
        for (int i = 0; i < 10; i++) {
            link.decide(1500, 0, verdict);
        }
        link.decide(1500, FRAME_TIME - 1, verdict);
        assertTrue(verdict.dropped(), "the first frame is still being sent");
        link.decide(1500, FRAME_TIME, verdict);
        assertFalse(verdict.dropped(), "the first frame is out: room for one");
        assertEquals(11 * FRAME_TIME, verdict.releaseNanos(0));
        link.decide(1500, FRAME_TIME, verdict);
        assertTrue(verdict.dropped(), "and only one");
    }

    @Test
    void aNewRateAppliesToFramesAdmittedAfterTheChange() {
        LinkDirection link = new LinkDirection(Impairments.NONE.withRate(TEN_MBIT), 49);
        link.decide(1500, 0, verdict);
        assertEquals(FRAME_TIME, verdict.releaseNanos(0));
        link.set(link.impairments().withRate(2 * TEN_MBIT));
        link.decide(1500, 0, verdict);
        assertEquals(FRAME_TIME + FRAME_TIME / 2, verdict.releaseNanos(0), "behind the first, at the new rate");
        link.set(link.impairments().withRate(0));
        link.decide(1500, 0, verdict);
        assertEquals(0, verdict.releaseNanos(0), "no rate: no queue");
    }
}
