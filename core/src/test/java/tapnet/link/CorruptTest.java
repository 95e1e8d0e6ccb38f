package tapnet.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** netem's {@code corrupt PERCENT}: one bit flipped at a random offset. */
class CorruptTest {
    private static final int FRAMES = 100_000;
    private static final int LENGTH = 1000;
    private final Verdict verdict = new Verdict();

    @Test
    void twoPercentOfFramesHaveOneBitFlippedSomewhereInTheFrame() {
        LinkDirection link = new LinkDirection(Impairments.NONE.withCorrupt(0.02), 71);
        int corrupted = 0;
        double offsetSum = 0;
        int[] bits = new int[8];
        for (int i = 0; i < FRAMES; i++) {
            link.decide(LENGTH, i, verdict);
            if (verdict.corrupted(0)) {
                corrupted++;
                int offset = verdict.corruptionOffset(0);
                int mask = verdict.corruptionMask(0);
                assertTrue(offset >= 0 && offset < LENGTH);
                assertEquals(1, Integer.bitCount(mask), "one bit");
                assertTrue(mask <= 0x80);
                bits[Integer.numberOfTrailingZeros(mask)]++;
                offsetSum += offset;
            } else {
                assertEquals(-1, verdict.corruptionOffset(0));
                assertEquals(0, verdict.corruptionMask(0));
            }
        }
        Statistics.assertBinomial("frames corrupted", corrupted, FRAMES, 0.02);
        assertEquals(corrupted, link.counters().corrupted());
        // Offsets uniform over [0, 1000): mean 499.5, standard deviation √((1000² − 1)/12).
        Statistics.assertWithin("mean offset", offsetSum / corrupted, (LENGTH - 1) / 2.0,
                Math.sqrt((LENGTH * LENGTH - 1) / 12.0 / corrupted));
        for (int bit = 0; bit < 8; bit++) {
            Statistics.assertBinomial("flips of bit " + bit, bits[bit], corrupted, 1.0 / 8);
        }
    }

    @Test
    void theVerdictFlipsExactlyTheChosenBit() {
        LinkDirection link = new LinkDirection(Impairments.NONE.withCorrupt(1), 72);
        link.decide(64, 0, verdict);
        ByteBuffer frame = ByteBuffer.allocate(100);
        verdict.corrupt(0, frame, 10);
        for (int i = 0; i < 100; i++) {
            int expected = i == 10 + verdict.corruptionOffset(0) ? verdict.corruptionMask(0) : 0;
            assertEquals(expected, frame.get(i) & 0xff, "byte " + i);
        }
    }

    @Test
    void noCorruptionLeavesTheFrameAlone() {
        LinkDirection link = new LinkDirection(Impairments.NONE, 73);
        link.decide(64, 0, verdict);
        assertFalse(verdict.corrupted(0));
        ByteBuffer frame = ByteBuffer.allocate(64);
        verdict.corrupt(0, frame, 0);
        assertEquals(ByteBuffer.allocate(64), frame);
    }
}
