package tapnet.topology.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A short round of {@link ReaderFuzz} with a fixed seed: 2,000 mutated topology files and 2,000 mutated ctl
 * specs, each a model or one-line errors. The long round is {@code bench/fuzz-readers.sh}.
 */
class ReaderFuzzTest {
    static final long SEED = 14;

    @Test
    @Timeout(120)
    void twoThousandMutatedFilesAndSpecsGiveModelsOrOneLineErrors() {
        ReaderFuzz.Result result = new ReaderFuzz(SEED).run(2_000, null);
        assertEquals(List.of(), result.failures(), result.summary());
        assertEquals(2_000, result.files());
    }

    @Test
    void theSameSeedMakesTheSameInputs() {
        ReaderFuzz a = new ReaderFuzz(SEED);
        ReaderFuzz b = new ReaderFuzz(SEED);
        for (int i = 0; i < 50; i++) {
            java.util.SplittableRandom ra = new java.util.SplittableRandom(i);
            java.util.SplittableRandom rb = new java.util.SplittableRandom(i);
            assertEquals(a.mutate("tap: { address: 10.77.0.1/24 }\n", ra), b.mutate("tap: { address: 10.77.0.1/24 }\n", rb));
        }
    }

    @Test
    void theChecksCatchWhatTheyAreFor() {
        ReaderFuzz fuzz = new ReaderFuzz(SEED);
        assertNull(fuzz.checkFile("a.yaml", "tap: { address: 10.77.0.1/24 }\nhosts: { web: { address: 10.77.0.10 } }\n"
                .getBytes(StandardCharsets.UTF_8)), "a model");
        assertNull(fuzz.checkFile("a.yaml", "hosts: 1\n".getBytes(StandardCharsets.UTF_8)), "one-line errors");
        assertNull(fuzz.checkFile("a.yaml", new byte[] {'a', ':', ' ', (byte) 0xE9}), "bytes that are not UTF-8");
        assertTrue(ReaderFuzz.oneLine("a.yaml:1:1: fine"));
        assertTrue(!ReaderFuzz.oneLine("a.yaml:1:1: 'a\nb'") && !ReaderFuzz.oneLine("x\u2028y") && !ReaderFuzz.oneLine("x\u0085y"));
    }
}
