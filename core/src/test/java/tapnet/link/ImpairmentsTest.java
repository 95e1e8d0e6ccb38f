package tapnet.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ImpairmentsTest {

    @Test
    void noneIsAPerfectLink() {
        Impairments none = Impairments.NONE;
        assertFalse(none.down());
        assertEquals(Impairments.NO_MTU, none.mtu());
        assertEquals(Duration.ZERO, none.delay().delay());
        assertEquals(Duration.ZERO, none.delay().jitter());
        assertEquals(LossModel.NONE, none.loss());
        assertEquals(0, none.duplicate().probability());
        assertEquals(0, none.reorder().probability());
        assertEquals(0, none.corrupt().probability());
        assertFalse(none.rate().limited());
        assertEquals(1000, none.rate().limit(), "netem's default limit");
    }

    @Test
    void withersChangeOneSettingAndKeepTheRest() {
        Impairments link = Impairments.NONE
                .withDelay(Duration.ofMillis(20), Duration.ofMillis(5), 0.25)
                .withDistribution(DelayDistribution.NORMAL)
                .withLoss(0.01)
                .withRate(10_000_000, 24)
                .withQueueLimit(50, 64 * 1024);
        Impairments longer = link.withDelay(Duration.ofMillis(40));

        assertEquals(Duration.ofMillis(40), longer.delay().delay());
        assertEquals(Duration.ofMillis(5), longer.delay().jitter());
        assertEquals(0.25, longer.delay().correlation());
        assertEquals(DelayDistribution.NORMAL, longer.delay().distribution());
        assertEquals(LossModel.random(0.01), longer.loss());
        assertEquals(new Impairments.Rate(10_000_000, 24, 0, 0, 50, 64 * 1024), longer.rate());
        assertEquals(Duration.ofMillis(20), link.delay().delay(), "the original is unchanged");
    }

    @Test
    void reorderWithoutAGapTakesGapOneAsTcDoes() {
        assertEquals(1, Impairments.NONE.withReorder(0.25).reorder().gap());
        assertEquals(1, new Impairments.Reorder(0.25, 0, 0).gap());
        assertEquals(5, Impairments.NONE.withReorder(1, 0, 5).reorder().gap());
    }

    @Test
    void lossModelsTakeIproute2sDefaults() {
        assertEquals(new LossModel.GilbertElliott(0.1, 0.9, 1, 0), LossModel.gilbertElliott(0.1));
        assertEquals(new LossModel.GilbertElliott(0.1, 0.3, 1, 0), LossModel.gilbertElliott(0.1, 0.3));
        assertEquals(new LossModel.GilbertElliott(0.1, 0.3, 0.8, 0), LossModel.gilbertElliott(0.1, 0.3, 0.8));
        assertEquals(new LossModel.FourState(0.1, 0.9, 0, 1, 0), LossModel.fourState(0.1));
        assertEquals(new LossModel.FourState(0.1, 0.3, 0, 1, 0), LossModel.fourState(0.1, 0.3));
        assertEquals(new LossModel.FourState(0.1, 0.3, 0.2, 0.4, 0), LossModel.fourState(0.1, 0.3, 0.2, 0.4));
    }

    @Test
    void lossModelsKnowTheirLongRunLoss() {
        assertEquals(0.1, LossModel.gilbertElliott(0.1).expectedLoss(), 1e-12, "gemodel p alone is Bernoulli");
        assertEquals(0.01 / (0.01 + 0.25), LossModel.gilbertElliott(0.01, 0.25).expectedLoss(), 1e-12);
        double bad = 0.05 / (0.05 + 0.2);
        assertEquals(bad * 0.7 + (1 - bad) * 0.02, LossModel.gilbertElliott(0.05, 0.2, 0.7, 0.02).expectedLoss(), 1e-12);
        assertEquals(0.1, LossModel.fourState(0.1).expectedLoss(), 1e-12, "state p13 alone is Bernoulli");
        assertEquals(0.5 / 1.5, LossModel.fourState(0, 1, 0, 1, 0.5).expectedLoss(), 1e-12, "isolated losses only");
        assertEquals(0, LossModel.fourState(0.1, 0.2, 0.3, 0).expectedLoss(), "state 2 cannot be left");
        assertEquals(1, LossModel.fourState(0.1, 0, 0, 1).expectedLoss(), "state 3 cannot be left");
    }

    @Test
    void outOfRangeSettingsAreRefusedWithWhatIsExpected() {
        assertMessage("loss 1.5 is out of range; expected a probability from 0 to 1 (0.25 for 25%)",
                () -> Impairments.NONE.withLoss(1.5));
        assertMessage("duplicate correlation -0.1 is out of range; expected a probability from 0 to 1 (0.25 for 25%)",
                () -> Impairments.NONE.withDuplicate(0.1, -0.1));
        assertMessage("corrupt NaN is out of range; expected a probability from 0 to 1 (0.25 for 25%)",
                () -> Impairments.NONE.withCorrupt(Double.NaN));
        assertMessage("mtu 40 is out of range; expected 68 to 65535 bytes, or 0 for no limit",
                () -> Impairments.NONE.withMtu(40));
        assertMessage("delay PT-0.001S is out of range; expected 0 to PT1H",
                () -> Impairments.NONE.withDelay(Duration.ofMillis(-1)));
        assertMessage("jitter PT2H is out of range; expected 0 to PT1H",
                () -> Impairments.NONE.withDelay(Duration.ZERO, Duration.ofHours(2)));
        assertMessage("reorder gap 5 has no reorder probability; expected one above 0 (1 sends every 5th frame at once),"
                + " as tc refuses a gap without it", () -> Impairments.NONE.withReorder(0, 0, 5));
        assertMessage("rate -1 bit/s is out of range; expected 0 (no limit) to 10000000000000 bit/s",
                () -> Impairments.NONE.withRate(-1));
        assertMessage("limit 0 is out of range; expected 1 to 16777216 frames",
                () -> Impairments.NONE.withQueueLimit(0, 0));
        assertMessage("cell overhead -48 is out of range; expected -47 to 1024 bytes for cells of 48 bytes",
                () -> new Impairments.Rate(1000, 0, 48, -48, 10, 0));
        assertMessage("state p13 0.6 + p14 0.5 is more than 1; expected the probabilities of leaving state 1 to sum to"
                + " at most 1", () -> LossModel.fourState(0.6, 0.5, 0, 1, 0.5));
        assertMessage("gemodel r 2.0 is out of range; expected a probability from 0 to 1 (0.25 for 25%)",
                () -> LossModel.gilbertElliott(0.1, 2));
    }

    private static void assertMessage(String expected, Executable change) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, change);
        assertEquals(expected, e.getMessage());
        assertTrue(e.getMessage().contains("expected"));
    }
}
