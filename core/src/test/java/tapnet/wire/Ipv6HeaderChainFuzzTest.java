package tapnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.wire.Ipv6HeaderChain.Outcome;
import tapnet.wire.Ipv6HeaderChain.Reason;

/**
 * Mutated and random extension header chains, seeded: a walk never throws (each packet sits in a buffer
 * that ends where the packet does, so one byte read too far would), always ends (every step moves
 * forward; the timeout would catch a loop), and its results stay inside the packet.
 * {@code -Dtapnet.fuzz.ipv6.rounds=N -Dtapnet.fuzz.seed=S} runs a longer one.
 */
class Ipv6HeaderChainFuzzTest {
    private static final long SEED = Long.getLong("tapnet.fuzz.seed", 19);
    private static final int ROUNDS = Integer.getInteger("tapnet.fuzz.ipv6.rounds", 300_000);
    private static final int PREFIX = 14;
    private static final int[] NEXT_HEADERS = {0, 6, 17, 43, 44, 58, 59, 60};

    /** Chains from the unit tests: every header kind, fragments first and later, as bytes after the fixed header. */
    private static final String[] SEEDS = {
            "3c 00 01 04 00000000 2b 00 01 04 00000000 2c 00 04 00 00000000 3a 00 0001 00000007 8000 0000 0001 0001",
            "11 02 04 01 00000000 20010db8000000000000000000000001 0035 0035 0008 0000",
            "11 00 1e 02 abcd 01 00 0035 0035 0008 0000",
            "06 00 0001 00000007 0050 1f90 00000001 00000000 8002ffff 00000000 01010101",
            "11 00 fff8 00000001 00000000000000000000000000000000",
            "3c 00 de 04 abcdef01 00 00 9e 04 00000000 11 00 01 04 00000000 0035 0035 0008 0000",
    };

    private final Ipv6HeaderChain chain = new Ipv6HeaderChain();

    @Test
    @Timeout(60)
    void mutatedChainsNeverThrowAndEveryResultStaysInsideThePacket() {
        SplittableRandom random = new SplittableRandom(SEED);
        int[] outcomes = new int[Outcome.values().length];
        for (int round = 0; round < ROUNDS; round++) {
            byte[] headers = mutate(random);
            int nextHeader = random.nextInt(8) == 0 ? random.nextInt(256) : NEXT_HEADERS[random.nextInt(NEXT_HEADERS.length)];
            boolean multicast = random.nextBoolean();
            ByteBuffer packet = ByteBuffer.allocate(PREFIX + 40 + headers.length);
            packet.put(PREFIX + 40, headers);
            int end = packet.capacity();
            Outcome outcome;
            try {
                outcome = chain.walk(packet, PREFIX + 40, nextHeader, end, multicast);
            } catch (RuntimeException e) {
                fail("round " + round + " threw on next header " + nextHeader + ", " + HexFormat.of().formatHex(headers), e);
                return;
            }
            assertNotNull(outcome);
            outcomes[outcome.ordinal()]++;
            String where = "round " + round + ": " + HexFormat.of().formatHex(headers);
            assertTrue(chain.extensionHeaders() <= Ipv6HeaderChain.MAX_EXTENSION_HEADERS + 1, where);
            switch (outcome) {
                case UPPER_LAYER -> {
                    assertEquals(Reason.NONE, chain.reason(), where);
                    assertTrue(chain.upperLayerOffset() >= PREFIX + 40 && chain.upperLayerOffset() <= end, where);
                }
                case FRAGMENT -> {
                    assertTrue(chain.fragmentableOffset() <= end, where);
                    assertTrue(chain.fragmentOffset() > 0 || chain.moreFragments(), where);
                }
                case PARAMETER_PROBLEM -> {
                    assertTrue(chain.problemCode() >= 0 && chain.problemCode() <= 3, where);
                    assertTrue(chain.problemPointer() >= 0 && chain.problemPointer() < end - PREFIX, where);
                }
                case DROP -> assertTrue(chain.reason() != Reason.NONE, where);
            }
        }
        for (Outcome outcome : Outcome.values()) {
            assertTrue(outcomes[outcome.ordinal()] > ROUNDS / 100, "too few " + outcome + ": " + Arrays.toString(outcomes));
        }
    }

    /** A seed chain with a few bytes changed, cut, or grown; or, one time in ten, random bytes. */
    private static byte[] mutate(SplittableRandom random) {
        if (random.nextInt(10) == 0) {
            byte[] noise = new byte[random.nextInt(96)];
            random.nextBytes(noise);
            return noise;
        }
        byte[] seed = Hex.bytes(SEEDS[random.nextInt(SEEDS.length)]);
        byte[] chain = Arrays.copyOf(seed, Math.max(0, seed.length + random.nextInt(-9, 9)));
        int changes = 1 + random.nextInt(3);
        for (int i = 0; i < changes && chain.length > 0; i++) {
            int at = random.nextInt(chain.length);
            chain[at] = switch (random.nextInt(4)) {
                case 0 -> (byte) random.nextInt(256);
                case 1 -> (byte) NEXT_HEADERS[random.nextInt(NEXT_HEADERS.length)];
                case 2 -> (byte) random.nextInt(4); // a small Hdr Ext Len, or Pad1/PadN
                default -> (byte) (chain[at] ^ (1 << random.nextInt(8)));
            };
        }
        return chain;
    }
}
