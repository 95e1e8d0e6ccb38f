package tapnet.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tapnet.dns.DnsQueries;
import tapnet.dns.DnsZone;
import tapnet.engine.Engine;
import tapnet.observe.Counter;
import tapnet.testing.CapturingSink;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.time.VirtualClock;
import tapnet.topology.yaml.TopologyLoader;
import tapnet.wire.DnsMessage;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

/**
 * DNS answering, one thread: the zone alone (query bytes to reply bytes) for the answers a resolver meets
 * most, and the whole engine path, a UDP query frame from the TAP to the reply frame in the sink, through
 * a topology with {@code dns:} as {@code tapnet run} builds it. Queries are built once and replies land in
 * reused buffers, so {@code -prof gc} shows what answering itself allocates (issue 17: nothing).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DnsBenchmark {
    private static final String TOPOLOGY = """
            tap: { address: 10.77.0.1/24 }
            hosts:
              web: { address: 10.77.0.10 }
              db: { address: 10.77.0.20 }
            dns:
              address: 10.77.0.53
              domain: shop.test
              records:
                - { name: www, type: CNAME, value: shop }
                - { name: shop, type: CNAME, value: web }
                - { name: web, type: AAAA, value: "fd00::10" }
            """;
    private static final int SERVER = Ipv4Address.parse("10.77.0.53");

    private DnsZone zone;
    private final ByteBuffer reply = ByteBuffer.allocate(2048);
    private ByteBuffer a;
    private ByteBuffer cnameChain;
    private ByteBuffer nxdomain;
    private ByteBuffer edns;

    private CapturingSink sink;
    private Engine engine;
    private ByteBuffer aFrame;
    private ByteBuffer ednsFrame;

    @Setup
    public void setUp() throws Exception {
        zone = DnsZone.builder("shop.test").address("web", Ipv4Address.parse("10.77.0.10"), 60)
                .aaaa("web", new byte[16], 60).cname("www", "shop", 60).cname("shop", "web", 60)
                .address("db", Ipv4Address.parse("10.77.0.20"), 60).build();
        a = ByteBuffer.wrap(DnsQueries.query(1, "web.shop.test", DnsMessage.TYPE_A, 0));
        cnameChain = ByteBuffer.wrap(DnsQueries.query(2, "www.shop.test", DnsMessage.TYPE_A, 0));
        nxdomain = ByteBuffer.wrap(DnsQueries.query(3, "nope.shop.test", DnsMessage.TYPE_A, 0));
        edns = ByteBuffer.wrap(DnsQueries.query(4, "web.shop.test", DnsMessage.TYPE_AAAA, 1232));

        expect(a, DnsMessage.RCODE_NOERROR, 1);
        expect(cnameChain, DnsMessage.RCODE_NOERROR, 3);
        expect(nxdomain, DnsMessage.RCODE_NXDOMAIN, 0);
        expect(edns, DnsMessage.RCODE_NOERROR, 1);

        EngineHarness net = new EngineHarness(TopologyLoader.parse("dns-bench.yaml", TOPOLOGY));
        sink = net.sink;
        engine = net.engine;
        aFrame = queryFrame(DnsQueries.query(5, "web.shop.test", DnsMessage.TYPE_A, 0));
        ednsFrame = queryFrame(DnsQueries.query(6, "www.shop.test", DnsMessage.TYPE_A, 1232));
    }

    /** The zone's reply to {@code query} has the rcode and number of answers the benchmark means to measure. */
    private void expect(ByteBuffer query, int rcode, int answers) {
        int length = zone.answer(query, 0, query.capacity(), reply, 0, reply.capacity());
        DnsMessage read = new DnsMessage().wrap(reply, 0, length);
        if (read.rcode() != rcode || read.answerCount() != answers) {
            throw new IllegalStateException("rcode " + read.rcode() + " with " + read.answerCount() + " answers, expected "
                    + rcode + " with " + answers);
        }
    }

    private static ByteBuffer queryFrame(byte[] query) {
        return ByteBuffer.wrap(FrameBuilder.udp(EngineHarness.PEER_MAC, MacAddress.derivedFrom(SERVER),
                EngineHarness.PEER_IP, SERVER, 40000, 53, query));
    }

    /** An A query for a host's name: one answer record. */
    @Benchmark
    public int zoneA() {
        return zone.answer(a, 0, a.capacity(), reply, 0, reply.capacity());
    }

    /** www → shop → web: two CNAME records followed within the zone, then the A record. */
    @Benchmark
    public int zoneCnameChain() {
        return zone.answer(cnameChain, 0, cnameChain.capacity(), reply, 0, reply.capacity());
    }

    /** A name under the domain that the zone does not hold. */
    @Benchmark
    public int zoneNxdomain() {
        return zone.answer(nxdomain, 0, nxdomain.capacity(), reply, 0, reply.capacity());
    }

    /** An AAAA query with an EDNS0 OPT record: the OPT is read, and one written in the reply. */
    @Benchmark
    public int zoneEdns() {
        return zone.answer(edns, 0, edns.capacity(), reply, 0, reply.capacity());
    }

    /** A UDP query frame for a host's A record in, through Ethernet, IPv4 and UDP, the reply frame out. */
    @Benchmark
    public int engineA() {
        return exchange(aFrame);
    }

    /** The same with a CNAME chain and EDNS0: the most work one UDP query makes the server do here. */
    @Benchmark
    public int engineCnameChainEdns() {
        return exchange(ednsFrame);
    }

    private int exchange(ByteBuffer frame) {
        engine.onFrame(frame, 0, frame.capacity());
        engine.endOfBatch();
        int length = sink.length(0);
        sink.clear();
        return length;
    }

    /** Each engine query must have been answered NOERROR; otherwise the figure measures a drop or an error path. */
    @TearDown(Level.Iteration)
    public void checkEveryQueryWasAnswered() {
        long queries = engine.counters().get(Counter.DNS_QUERIES_UDP);
        long answered = engine.counters().get(Counter.DNS_NOERROR);
        if (queries != answered) {
            throw new IllegalStateException(queries + " queries, " + answered + " NOERROR answers: the frames are wrong");
        }
    }
}
