package tapnet.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tapnet.dns.DnsQueries;
import tapnet.observe.Counter;
import tapnet.testing.FrameBuilder;
import tapnet.wire.DnsMessage;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

/**
 * Mutated frames (FrameFuzzer) never throw out of the engine, never stall it, and leave it answering,
 * its DNS server included.
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
        // IPv6 was fuzzed too, and web still answers a ping over it.
        assertTrue(engine.counters().get(Counter.NDP_ADVERTISEMENTS) > 0, "solicitations were answered");
        assertTrue(engine.counters().get(Counter.ICMPV6_ERRORS_SENT) > 0, "IPv6 packets met ICMPv6 errors");
        byte[] ping6 = FrameBuilder.echoRequest6(MacAddress.parse("02:00:00:00:00:01"), MacAddress.derivedFrom(web),
                FrameBuilder.v6("fd77::1"), FrameBuilder.v6("fd77::10"), 99, 99, new byte[8]);
        long replies6 = engine.counters().get(Counter.ICMPV6_ECHO_REPLIES);
        for (int i = 0; i < 20 && engine.counters().get(Counter.ICMPV6_ECHO_REPLIES) == replies6; i++) {
            engine.onFrame(ByteBuffer.wrap(ping6), 0, ping6.length);
            fuzzer.drain();
        }
        assertTrue(engine.counters().get(Counter.ICMPV6_ECHO_REPLIES) > replies6, "web still answers over IPv6");
        // DNS was fuzzed over both transports, malformed queries met FORMERR, and the server still answers.
        assertTrue(engine.counters().get(Counter.DNS_QUERIES_UDP) > 0, "DNS over UDP reached the server");
        assertTrue(engine.counters().get(Counter.DNS_QUERIES_TCP) > 0, "DNS over TCP reached the server");
        assertTrue(engine.counters().get(Counter.DNS_FORMERR) > 0, "malformed queries were answered FORMERR");
        long noError = engine.counters().get(Counter.DNS_NOERROR);
        int dns = Ipv4Address.parse("10.77.0.53");
        byte[] query = FrameBuilder.udp(MacAddress.parse("02:00:00:00:00:01"), MacAddress.derivedFrom(dns),
                Ipv4Address.parse("10.77.0.1"), dns, 5353, 53, DnsQueries.query(1, "web.shop.test", DnsMessage.TYPE_A, 0));
        engine.onFrame(ByteBuffer.wrap(query), 0, query.length);
        fuzzer.drain();
        assertEquals(noError + 1, engine.counters().get(Counter.DNS_NOERROR), "the DNS server still answers");
        fuzzer.close();
        System.out.printf("frame fuzz: %d frames, seed %d, %.1f s, 0 failures; DNS: %d queries over UDP, %d over TCP, %d FORMERR,"
                        + " %d unanswered%n", frames, SEED, (System.nanoTime() - started) / 1e9,
                engine.counters().get(Counter.DNS_QUERIES_UDP), engine.counters().get(Counter.DNS_QUERIES_TCP),
                engine.counters().get(Counter.DNS_FORMERR), engine.counters().get(Counter.DNS_UNANSWERED));
    }
}
