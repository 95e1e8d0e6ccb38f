package tapnet.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tapnet.observe.Counter;
import tapnet.testing.FrameBuilder;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

/**
 * Mutated frames (FrameFuzzer) never throw out of the engine, never stall it, and leave it answering.
 * A short run here; {@code bench/fuzz-frames.sh COUNT SEED} runs a long one through the same test
 * ({@code -Dtapnet.fuzz.frames=COUNT -Dtapnet.fuzz.seed=SEED}).
 */
class FrameFuzzTest {
    private static final long FRAMES = Long.getLong("tapnet.fuzz.frames", 150_000);
    private static final long SEED = Long.getLong("tapnet.fuzz.seed", 13);

    @Test
    void mutatedFramesNeverThrowAndTheEngineStillAnswers(@TempDir Path captures) throws Exception {
        FrameFuzzer fuzzer = new FrameFuzzer(SEED, captures);
        long started = System.nanoTime();
        long frames;
        try {
            frames = fuzzer.run(FRAMES);
        } catch (RuntimeException | Error e) {
            throw new AssertionError("seed " + SEED + ": the engine threw on a mutated frame", e);
        }
        fuzzer.drain();
        Engine engine = fuzzer.engine;
        assertEquals(frames, engine.counters().get(Counter.FRAMES_IN));
        assertTrue(engine.tcp().connections().size() <= 256, "the connection table stays within its bound");
        // Still alive: the kernel's ping gets its reply.
        int web = Ipv4Address.parse("10.77.0.10");
        byte[] ping = FrameBuilder.echoRequest(MacAddress.parse("02:00:00:00:00:01"), MacAddress.derivedFrom(web),
                Ipv4Address.parse("10.77.0.1"), web, 99, 99, new byte[8]);
        long replies = engine.counters().get(Counter.ICMP_ECHO_REPLIES);
        for (int i = 0; i < 20 && engine.counters().get(Counter.ICMP_ECHO_REPLIES) == replies; i++) {
            engine.onFrame(ByteBuffer.wrap(ping), 0, ping.length); // the link to web loses 2 %
            fuzzer.drain();
        }
        assertTrue(engine.counters().get(Counter.ICMP_ECHO_REPLIES) > replies, "the engine still answers");
        fuzzer.close();
        System.out.printf("frame fuzz: %d frames, seed %d, %.1f s, 0 failures%n", frames, SEED,
                (System.nanoTime() - started) / 1e9);
    }
}
