package tapnet.dns;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.wire.DnsMessage;
import tapnet.wire.Ipv4Address;

/**
 * Random and mutated queries, seeded: the zone never throws, never writes past the size it was given or
 * 512 bytes (or the query's EDNS0 size), and every query's work is bounded (200,000 of them well within
 * the timeout; compression pointers can only go backwards through a name, so no input loops).
 */
class DnsFuzzTest {
    private static final long SEED = 17;
    private static final int ROUNDS = 200_000;

    private final DnsZone zone = DnsZone.builder("shop.test").address("web", Ipv4Address.parse("10.77.0.10"), 60)
            .cname("www", "web", 60).cname("a", "b", 1).cname("b", "a", 1).txt("@", "x".repeat(600), 60).build();
    private final byte[][] seeds = {
            DnsQueries.query(1, "web.shop.test", DnsMessage.TYPE_A, 0),
            DnsQueries.query(2, "www.shop.test", DnsMessage.TYPE_ANY, 1232),
            DnsQueries.query(3, "a.shop.test", DnsMessage.TYPE_A, 600),
            DnsQueries.query(4, "shop.test", DnsMessage.TYPE_TXT, 0),
    };

    @Test
    @Timeout(60)
    void mutatedQueriesNeverThrowAndRepliesKeepTheirLimits() {
        SplittableRandom random = new SplittableRandom(SEED);
        ByteBuffer reply = ByteBuffer.allocate(2048);
        DnsMessage read = new DnsMessage();
        int answered = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] query = mutate(random);
            int maxSize = 12 + random.nextInt(1500);
            int length;
            try {
                length = zone.answer(ByteBuffer.wrap(query), 0, query.length, reply, 0, maxSize);
            } catch (RuntimeException e) {
                fail("round " + round + " threw on " + java.util.HexFormat.of().formatHex(query), e);
                return;
            }
            assertTrue(length >= 0 && length <= maxSize && length <= DnsMessage.MAX_UDP_SIZE,
                    "round " + round + ": " + length + " bytes for a limit of " + maxSize);
            if (length > 0) {
                answered++;
                read.wrap(reply, 0, length);
                assertTrue(read.isResponse(), "round " + round);
                assertTrue(length <= 512 || read.questionCount() == 1, "round " + round);
            }
        }
        assertTrue(answered > ROUNDS / 4, "most mutations still get a reply: " + answered);
    }

    /** A seed query with a few bytes flipped, cut, or grown; or, one time in ten, random bytes. */
    private byte[] mutate(SplittableRandom random) {
        if (random.nextInt(10) == 0) {
            byte[] noise = new byte[random.nextInt(64)];
            random.nextBytes(noise);
            return noise;
        }
        byte[] seed = seeds[random.nextInt(seeds.length)];
        byte[] q = java.util.Arrays.copyOf(seed, Math.max(0, seed.length + random.nextInt(-8, 9)));
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips && q.length > 0; i++) {
            int at = random.nextInt(q.length);
            q[at] = switch (random.nextInt(4)) {
                case 0 -> (byte) random.nextInt(256);
                case 1 -> (byte) (0xc0 | random.nextInt(64)); // a pointer's first byte
                case 2 -> (byte) random.nextInt(64);            // a label length
                default -> (byte) (q[at] ^ (1 << random.nextInt(8)));
            };
        }
        return q;
    }
}
