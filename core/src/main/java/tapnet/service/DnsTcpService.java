package tapnet.service;

import java.nio.ByteBuffer;
import tapnet.buffer.ByteRing;
import tapnet.dns.DnsZone;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.tcp.ConnectionHandler;
import tapnet.tcp.TcpConnection;

/**
 * The topology's DNS server on TCP port 53 (RFC 1035 §4.2.2): each message goes with a two-byte length
 * before it; a connection carries as many queries as the client sends, answered in order (RFC 7766 §6.2.1),
 * each up to 65,535 bytes, so that an answer truncated over UDP is whole here. A query waits in the
 * receive buffer until it is whole and its answer fits the send buffer. One instance serves every
 * connection of the port, on the engine thread: its two message buffers are allocated once.
 */
public final class DnsTcpService implements ConnectionHandler {
    private static final int LENGTH_PREFIX = 2;
    private static final int MAX_MESSAGE = 0xffff;

    private final DnsZone zone;
    private final Counters counters;
    private final ByteBuffer query = ByteBuffer.allocate(MAX_MESSAGE);
    private final ByteBuffer reply = ByteBuffer.allocate(LENGTH_PREFIX + MAX_MESSAGE);

    public DnsTcpService(DnsZone zone, Counters counters) {
        this.zone = zone;
        this.counters = counters;
    }

    @Override
    public void onReceive(TcpConnection c) {
        answerWholeQueries(c);
    }

    @Override
    public void onSendSpace(TcpConnection c) {
        answerWholeQueries(c);
    }

    @Override
    public void onPeerClose(TcpConnection c) {
        answerWholeQueries(c); // queries sent before the FIN are answered, then FIN
    }

    private void answerWholeQueries(TcpConnection c) {
        ByteRing in = c.received();
        int length;
        while ((length = wholeQueryLength(in)) >= 0) {
            in.copyTo(LENGTH_PREFIX, query, 0, length);
            int answer = zone.answerOverTcp(query, 0, length, reply, LENGTH_PREFIX, MAX_MESSAGE);
            if (LENGTH_PREFIX + answer > c.sendSpace()) {
                if (c.unacknowledged() > 0) {
                    return; // room comes as the peer acknowledges: onSendSpace asks again
                }
                // a send buffer smaller than the answer, even empty: as much as fits, with TC
                answer = zone.answerOverTcp(query, 0, length, reply, LENGTH_PREFIX, Math.max(0, c.sendSpace() - LENGTH_PREFIX));
            }
            c.consume(LENGTH_PREFIX + length);
            counters.increment(Counter.DNS_QUERIES_TCP);
            DnsAnswers.count(counters, reply, LENGTH_PREFIX, answer, false);
            if (answer > 0) {
                reply.putShort(0, (short) answer);
                c.send(reply.array(), 0, LENGTH_PREFIX + answer);
            }
        }
        if (c.peerClosed()) {
            c.close(); // what is left can never become a whole query
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
