package tapnet.script;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import tapnet.engine.Engine;
import tapnet.net.UdpExchange;
import tapnet.node.VirtualHost;
import tapnet.topology.ProbeSpec;

/**
 * The dns probe samples virtual hosts take, over the engine's UDP: each host asks from one port of its own,
 * bound at its first query, and an answer from the server's port 53 goes to the query waiting with its id
 * ({@link DnsProbeExchange#judge} decides whether it is the answer). Ids come from a generator of a fixed
 * seed, so a simulated run replays. Engine thread only.
 */
final class VirtualDnsQueries {
    /** What no query is waiting under: {@link #ask} reported the sample already. */
    static final long NONE = -1;

    private final Engine engine;
    private final Map<VirtualHost, Integer> ports = new HashMap<>();
    /** By host index and query id. */
    private final Map<Long, Waiting> waiting = new HashMap<>();
    private final SplittableRandom ids = new SplittableRandom(0x746170_646e73L); // "tapdns"
    /** The answer being read: UDP's largest payload. */
    private final byte[] answer = new byte[65_535];

    private record Waiting(byte[] query, int server, long atNanos, long sentNanos, Consumer<RunReport.Sample> done) {
    }

    VirtualDnsQueries(Engine engine) {
        this.engine = engine;
    }

    /**
     * Sends {@code probe}'s query from {@code from}; {@code done} hears the answer's sample, stamped
     * {@code atNanos}. Returns what to {@link #cancel} at the timeout, or {@link #NONE} when it could not be sent
     * (then {@code done} heard why).
     */
    long ask(ProbeSpec probe, VirtualHost from, long atNanos, Consumer<RunReport.Sample> done) {
        Integer port = ports.computeIfAbsent(from, host -> engine.datagrams().bind(host, exchange -> answered(host, exchange)));
        if (port < 0) {
            done.accept(new RunReport.Sample(atNanos, false, Double.NaN, "no free UDP port"));
            return NONE;
        }
        long key;
        int id;
        do {
            id = ids.nextInt(1 << 16);
            key = (long) from.index() << 16 | id;
        } while (waiting.containsKey(key));
        byte[] query = DnsProbeExchange.query(probe.dns(), id);
        if (!engine.datagrams().send(from, port, probe.dns().server(), DnsProbeExchange.PORT, query, query.length)) {
            done.accept(new RunReport.Sample(atNanos, false, Double.NaN, "host stopped"));
            return NONE;
        }
        waiting.put(key, new Waiting(query, probe.dns().server(), atNanos, engine.clock().nanos(), done));
        return key;
    }

    /** The query under {@code key} timed out: an answer that comes later is no longer heard. */
    void cancel(long key) {
        waiting.remove(key);
    }

    /** A datagram for {@code host}'s port: the answer to a query of its, or nothing (another id, sender or question). */
    private void answered(VirtualHost host, UdpExchange exchange) {
        int length = exchange.payloadLength();
        if (length < 2) {
            return;
        }
        exchange.buffer().get(exchange.payloadOffset(), answer, 0, length);
        long key = (long) host.index() << 16 | ((answer[0] & 0xff) << 8 | answer[1] & 0xff);
        Waiting w = waiting.get(key);
        if (w == null || exchange.remoteAddress() != w.server() || exchange.remotePort() != DnsProbeExchange.PORT) {
            return; // RFC 5452 §9.1: only the server's port 53 answers
        }
        RunReport.Sample sample = DnsProbeExchange.judge(w.query(), answer, length, w.atNanos(),
                (engine.clock().nanos() - w.sentNanos()) / 1e6);
        if (sample != null) {
            waiting.remove(key);
            w.done().accept(sample);
        }
    }
}
