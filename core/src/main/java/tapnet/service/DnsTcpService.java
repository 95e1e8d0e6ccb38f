package tapnet.service;

import java.nio.ByteBuffer;
import tapnet.buffer.ByteRing;
import tapnet.dns.DnsFaultDecision;
import tapnet.dns.DnsFaults;
import tapnet.dns.DnsZone;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.tcp.ConnectionHandler;
import tapnet.tcp.TcpConnection;

/**
 * The topology's DNS server on TCP port 53 (RFC 1035 §4.2.2): each message goes with a two-byte length
 * before it; a connection carries as many queries as the client sends, answered in order (RFC 7766 §6.2.1),
 * each up to 65,535 bytes, so that an answer truncated over UDP is whole here. A query waits in the
 * receive buffer until it is whole and its answer fits the send buffer. The server's {@link DnsFaults} apply
 * as over UDP, but for {@code truncate}; a delayed query holds the ones after it, as a slow server's stream
 * does, and is answered when the connection is woken. One instance serves every connection of the port, on
 * the engine thread: its two message buffers are allocated once, and each connection slot's
 * {@link PendingQuery} once. A connection that sends no query for {@link #IDLE_TIMEOUT_NANOS} is closed
 * (RFC 7766 §6.2.3), so that clients that hold connections open, or stall mid-query, cannot pile up.
 */
public final class DnsTcpService implements ConnectionHandler {
    public static final int PORT = DnsUdpService.PORT;
    private static final int LENGTH_PREFIX = 2;
    private static final int MAX_MESSAGE = 0xffff;
    /**
     * How long a connection may go without a query before the server closes it: RFC 7766 §6.2.3 asks for
     * at least a few seconds; Unbound and BIND take tens.
     */
    public static final long IDLE_TIMEOUT_NANOS = 10_000_000_000L;

    private final DnsZone zone;
    private final DnsFaults faults;
    private final Counters counters;
    private final ByteBuffer query = ByteBuffer.allocate(MAX_MESSAGE);
    private final ByteBuffer reply = ByteBuffer.allocate(LENGTH_PREFIX + MAX_MESSAGE);

    /** The query at the front of a connection's stream once its faults are decided: decided once, even if it waits. */
    private static final class PendingQuery {
        final DnsFaultDecision decision = new DnsFaultDecision();
        boolean decided;
        /** Its delay runs: {@link #onWake} answers it. */
        boolean waiting;
    }

    public DnsTcpService(DnsZone zone, Counters counters) {
        this(zone, null, counters);
    }

    /** With {@code faults} (null: none), shared with the server's UDP side. */
    public DnsTcpService(DnsZone zone, DnsFaults faults, Counters counters) {
        this.zone = zone;
        this.faults = faults;
        this.counters = counters;
    }

    /** The server's faults, which a live change replaces ({@link DnsFaults#replace}); null when it was made without. */
    public DnsFaults faults() {
        return faults;
    }

    @Override
    public void onOpen(TcpConnection c) {
        PendingQuery pending = pending(c);
        pending.decided = false;
        pending.waiting = false;
        c.wakeAfter(IDLE_TIMEOUT_NANOS);
    }

    /** The connection slot's pending query, made the first time the slot serves DNS. */
    private static PendingQuery pending(TcpConnection c) {
        if (c.attachment() instanceof PendingQuery p) {
            return p;
        }
        PendingQuery p = new PendingQuery();
        c.attach(p);
        return p;
    }

    @Override
    public void onWake(TcpConnection c) {
        PendingQuery pending = pending(c);
        if (pending.waiting) { // a delayed query's time has come
            pending.waiting = false;
            serve(c);
        } else { // no query for the idle timeout
            counters.increment(Counter.DNS_TCP_IDLE_CLOSED);
            c.close();
        }
    }

    @Override
    public void onReceive(TcpConnection c) {
        serve(c);
    }

    @Override
    public void onSendSpace(TcpConnection c) {
        serve(c);
    }

    @Override
    public void onPeerClose(TcpConnection c) {
        serve(c); // queries sent before the FIN are answered, then FIN
    }

    /**
     * Answers what can be answered; a whole query taken starts the idle timeout again (bytes of one not yet
     * whole do not: a client trickling a query stays idle), unless a delay holds the wake.
     */
    private void serve(TcpConnection c) {
        if (answerWholeQueries(c) > 0 && !pending(c).waiting && !c.peerClosed()) {
            c.wakeAfter(IDLE_TIMEOUT_NANOS);
        }
    }

    /** Answers the whole queries at the front of the stream, in order; returns how many it took. */
    private int answerWholeQueries(TcpConnection c) {
        ByteRing in = c.received();
        PendingQuery pending = pending(c);
        DnsFaultDecision decision = pending.decision;
        int length;
        int taken = 0;
        while (!pending.waiting && (length = wholeQueryLength(in)) >= 0) {
            in.copyTo(LENGTH_PREFIX, query, 0, length);
            if (!pending.decided) {
                decide(length, decision);
                pending.decided = true;
                if (decision.delayNanos() > 0) {
                    pending.waiting = true;
                    c.wakeAfter(decision.delayNanos());
                    return taken;
                }
            }
            int answer = zone.answer(query, 0, length, reply, LENGTH_PREFIX, MAX_MESSAGE, true, decision);
            if (LENGTH_PREFIX + answer > c.sendSpace()) {
                if (c.unacknowledged() > 0) {
                    return taken; // room comes as the peer acknowledges: onSendSpace asks again
                }
                // a send buffer smaller than the answer, even empty: as much as fits, with TC
                answer = zone.answer(query, 0, length, reply, LENGTH_PREFIX, Math.max(0, c.sendSpace() - LENGTH_PREFIX),
                        true, decision);
            }
            c.consume(LENGTH_PREFIX + length);
            taken++;
            pending.decided = false;
            counters.increment(Counter.DNS_QUERIES_TCP);
            if (decision.silent()) {
                continue; // a timeout: this query is never answered; the next may be
            }
            DnsAnswers.count(counters, reply, LENGTH_PREFIX, answer, false);
            if (answer > 0) {
                reply.putShort(0, (short) answer);
                c.send(reply.array(), 0, LENGTH_PREFIX + answer);
            }
        }
        if (c.peerClosed() && !pending.waiting) {
            c.close(); // what is left can never become a whole query
        }
        return taken;
    }

    private void decide(int length, DnsFaultDecision decision) {
        if (faults == null) {
            decision.clear();
        } else {
            faults.decide(query, 0, length, true, decision);
            DnsAnswers.countFaults(counters, decision);
        }
    }

    /** The length of the query at the front of {@code in}, or -1 while it is not whole. */
    private static int wholeQueryLength(ByteRing in) {
        if (in.size() < LENGTH_PREFIX) {
            return -1;
        }
        int length = in.peek(0) << 8 | in.peek(1);
        return in.size() >= LENGTH_PREFIX + length ? length : -1;
    }
}
