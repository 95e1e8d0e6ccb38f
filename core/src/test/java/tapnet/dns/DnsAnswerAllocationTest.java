package tapnet.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import tapnet.wire.DnsMessage;
import tapnet.wire.Ipv4Address;

/**
 * Answering allocates nothing per query: 200,000 queries of every outcome (an address, a CNAME chain,
 * NXDOMAIN, REFUSED, FORMERR, TC) after a warm-up, measured with the JVM's per-thread allocation counter
 * as {@code SteadyStateAllocationTest} does. Queries sit in buffers made before the count.
 */
class DnsAnswerAllocationTest {
    private static final int QUERIES = 200_000;

    private final DnsZone zone = zone();
    private final ByteBuffer[] queries = {
            ByteBuffer.wrap(DnsQueries.query(1, "web.shop.test", DnsMessage.TYPE_A, 0)),
            ByteBuffer.wrap(DnsQueries.query(2, "WWW.shop.test", DnsMessage.TYPE_A, 1232)),
            ByteBuffer.wrap(DnsQueries.query(3, "nope.shop.test", DnsMessage.TYPE_A, 0)),
            ByteBuffer.wrap(DnsQueries.query(4, "example.com", DnsMessage.TYPE_A, 0)),
            ByteBuffer.wrap(DnsQueries.query(5, "many.shop.test", DnsMessage.TYPE_A, 0)),
            ByteBuffer.wrap(DnsQueries.query(6, "10.0.77.10.in-addr.arpa", DnsMessage.TYPE_PTR, 0)),
            ByteBuffer.wrap(new byte[] {0, 7, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0}),
    };
    private final ByteBuffer reply = ByteBuffer.allocateDirect(1500);

    private static DnsZone zone() {
        DnsZone.Builder b = DnsZone.builder("shop.test").address("web", Ipv4Address.parse("10.77.0.10"), 60)
                .cname("www", "web", 60);
        for (int i = 0; i < 40; i++) {
            b.a("many", Ipv4Address.parse("10.77.1." + i), 60);
        }
        return b.build();
    }

    private long run(int n) {
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            ByteBuffer q = queries[i % queries.length];
            bytes += zone.answer(q, 0, q.capacity(), reply, 0, 1500);
        }
        return bytes;
    }

    @Test
    void answeringAllocatesNothingPerQuery() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        run(QUERIES);
        long before = threads.getCurrentThreadAllocatedBytes();
        long bytes = run(QUERIES);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        System.out.println("allocated " + allocated + " bytes over " + QUERIES + " DNS queries");
        assertTrue(bytes > QUERIES * 12L, "every query answered");
        // The counter may report a few hundred bytes of noise; one object per query would be megabytes.
        assertTrue(allocated < 16 * 1024, "allocated " + allocated + " bytes over " + QUERIES + " queries");
        assertEquals(12, zone.answer(queries[6], 0, 12, reply, 0, 1500), "FORMERR is the header alone");
    }

    /** Every kind of fault, over UDP and TCP, with counting and drawing selectors. */
    private final DnsFaults faults = new DnsFaults("shop.test", java.util.List.of(
            new DnsFaults.Rule("web", DnsFaults.Kind.NXDOMAIN, 0, new tapnet.select.Selector.Probability(0.2)),
            new DnsFaults.Rule("*.shop.test", DnsFaults.Kind.SERVFAIL, 0, new tapnet.select.Selector.Probability(0.1)),
            new DnsFaults.Rule("www", DnsFaults.Kind.REFUSED, 0, new tapnet.select.Selector.First(1_000)),
            new DnsFaults.Rule("nope", DnsFaults.Kind.TIMEOUT, 0, new tapnet.select.Selector.Probability(0.5)),
            new DnsFaults.Rule("many", DnsFaults.Kind.TRUNCATE, 0, new tapnet.select.Selector.Probability(0.5)),
            new DnsFaults.Rule("*", DnsFaults.Kind.DELAY, 1_000_000, new tapnet.select.Selector.Probability(0.5)),
            new DnsFaults.Rule("WWW", DnsFaults.Kind.WRONG_ADDRESS, Ipv4Address.parse("10.77.0.99"), new tapnet.select.Selector.All()),
            new DnsFaults.Rule(null, DnsFaults.Kind.TTL, 0, new tapnet.select.Selector.All())), 42);
    private final DnsFaultDecision decision = new DnsFaultDecision();

    private long runFaulted(int n) {
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            ByteBuffer q = queries[i % queries.length];
            boolean overTcp = (i & 1) == 0;
            faults.decide(q, 0, q.capacity(), overTcp, decision);
            bytes += zone.answer(q, 0, q.capacity(), reply, 0, 1500, overTcp, decision) + decision.delayNanos() % 2;
        }
        return bytes;
    }

    @Test
    void faultedQueriesAllocateNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        runFaulted(QUERIES);
        long before = threads.getCurrentThreadAllocatedBytes();
        long bytes = runFaulted(QUERIES);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        System.out.println("allocated " + allocated + " bytes over " + QUERIES + " faulted DNS queries");
        assertTrue(bytes > QUERIES * 6L, "most queries answered");
        assertTrue(allocated < 16 * 1024, "allocated " + allocated + " bytes over " + QUERIES + " faulted queries");
    }
}
