package tapnet.service;

import java.nio.charset.StandardCharsets;
import java.util.List;
import tapnet.buffer.ByteRing;
import tapnet.observe.Counters;
import tapnet.tcp.ConnectionHandler;
import tapnet.tcp.TcpConnection;

/**
 * An HTTP/1.1 server (RFC 9112) with routes: each request is answered by the first {@link Route} whose method
 * and path match it, and one no route matches gets 404. An answer may wait ({@code delay}), go at a rate, go
 * in chunks (RFC 9112 §7.1), or fail on purpose ({@link HttpFault}). Persistent connections are honoured:
 * HTTP/1.1 keeps the connection unless the request says {@code Connection: close}; HTTP/1.0 closes unless it
 * says {@code Connection: keep-alive}. Request bodies sized by Content-Length or chunked are read and ignored;
 * pipelined requests are answered in order. A head too large gets 431, a request that cannot be read 400, and
 * the connection closes.
 *
 * <p>Nothing is allocated per request: heads are rendered when the service is made, a generated body is
 * written from a short repeating pattern, and a connection's state is one reused {@link Exchange}. Delay and
 * rate use the connection's wake ({@link TcpConnection#wakeAfter}); a paced body gets its share every
 * {@link #TICK_MILLIS} ms.
 */
public class RoutedHttpService implements ConnectionHandler {
    /** How often a paced body gets its share of bytes. */
    static final long TICK_MILLIS = 10;
    private static final long TICK_NANOS = TICK_MILLIS * 1_000_000;
    /** The largest chunk sent at once in a chunked body. */
    private static final int MAX_CHUNK = 16 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /**
     * One period of a generated body ({@code size: N}): the 64 characters {@code 0-9A-Za-z+/} and a newline,
     * repeated to the size asked, so that a client can check any byte and {@code head} of it reads as lines.
     */
    private static final byte[] PATTERN =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/\n".getBytes(StandardCharsets.US_ASCII);

    /** A generated body's pattern, repeated so that one write can carry many kilobytes of it. */
    private static final byte[] PATTERN_RUN = repeated(PATTERN, 256);
    private final ServedRoute[] routes;
    private final HttpAnswer notFound;
    private final HttpAnswer badRequest;
    private final HttpAnswer tooLarge;
    private final Counters counters;

    /**
     * Which requests a route takes and how it answers.
     *
     * @param method null for any method
     * @param path   exact, or a prefix when it ends in {@code *} ({@code *} alone: every path)
     */
    public record Route(String method, String path, HttpAnswer answer, List<HttpFault> faults) {
        public Route {
            faults = List.copyOf(faults);
        }
    }

    private enum Phase { IDLE, DELAYED, SENDING, CLOSED }

    /** One connection's state, reused by the next connection in its slot. */
    private static final class Exchange {
        final HttpRequestParser parser = new HttpRequestParser();
        final byte[] scratch = new byte[16];
        Phase phase;
        HttpAnswer answer;
        boolean keepAlive;
        boolean headOnly;
        boolean http10;
        /** This answer goes in chunks: the route says so and the request is not HTTP/1.0. */
        boolean chunked;
        /** Small bytes to send before anything else: the head, a chunk's size line, a CRLF, the last chunk. */
        byte[] pending;
        int pendingFrom;
        int pendingTo;
        long bodySent;
        /** Where the body stops on purpose (CLOSE or RESET), or -1. */
        long cutAt;
        boolean cutByReset;
        long chunkLeft;
        boolean lastChunkQueued;
        /** Paced bodies: bytes allowed now, and thousandths of a byte carried to the next tick. */
        long allowance;
        long carry;

        void reset() {
            parser.reset();
            phase = Phase.IDLE;
            answer = null;
            pending = null;
        }
    }

    /**
     * @param routes        tried in order, the first match answers
     * @param counters      where requests are counted, under names made from {@code counterPrefix}; null: nowhere
     * @param counterPrefix names this service's counters: {@code PREFIX.route.N.requests} and
     *                      {@code PREFIX.route.N.status.S} for route N (from 1), {@code PREFIX.unmatched.requests}
     * @param seed          seeds the generators of the routes' faults (each route's from it and its number)
     * @throws IllegalStateException when {@code counters} has no room left for the names
     */
    public RoutedHttpService(List<Route> routes, Counters counters, String counterPrefix, long seed) {
        this.counters = counters;
        this.routes = new ServedRoute[routes.size()];
        for (int i = 0; i < routes.size(); i++) {
            this.routes[i] = new ServedRoute(routes.get(i), counters, counters == null ? null : counterPrefix + ".route." + (i + 1),
                    seed * 31 + i + 1);
        }
        this.notFound = HttpAnswer.text(404, "not found\n");
        if (counters != null) {
            this.notFound.statusSlot = counters.named(counterPrefix + ".unmatched.requests");
        }
        this.badRequest = HttpAnswer.text(400, "");
        this.tooLarge = HttpAnswer.text(431, "");
    }

    public RoutedHttpService(List<Route> routes, Counters counters, String counterPrefix) {
        this(routes, counters, counterPrefix, 0);
    }

    /**
     * Route {@code number}'s (from 1) faults become {@code faults} (empty: none), for the requests from now on;
     * those counted for {@code first} start again. Engine thread.
     *
     * @throws IllegalArgumentException when it has no such route, or no counter is left for a status
     */
    public void setFaults(int number, List<HttpFault> faults) {
        if (number < 1 || number > routes.length) {
            throw new IllegalArgumentException("no route " + number + "; this service has routes 1 to " + routes.length);
        }
        routes[number - 1].setFaults(faults, counters);
    }

    private static byte[] repeated(byte[] period, int times) {
        byte[] out = new byte[period.length * times];
        for (int i = 0; i < out.length; i++) {
            out[i] = period[i % period.length];
        }
        return out;
    }

    @Override
    public void onOpen(TcpConnection c) {
        Exchange x = c.attachment() instanceof Exchange existing ? existing : new Exchange();
        x.reset();
        c.attach(x);
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
        serve(c);
    }

    @Override
    public void onWake(TcpConnection c) {
        if (!(c.attachment() instanceof Exchange x)) {
            return;
        }
        if (x.phase == Phase.DELAYED) {
            startSending(c, x);
        } else if (x.phase == Phase.SENDING && x.answer.bytesPerSecond > 0) {
            addShare(c, x);
        }
        serve(c);
    }

    private void serve(TcpConnection c) {
        if (!(c.attachment() instanceof Exchange x)) {
            return;
        }
        ByteRing in = c.received();
        HttpRequestParser parser = x.parser;
        while (true) {
            if (x.phase == Phase.CLOSED) {
                c.consume(in.size());
                return;
            }
            if (x.phase == Phase.DELAYED) {
                return; // onWake starts the answer
            }
            if (x.phase == Phase.SENDING) {
                if (!send(c, x)) {
                    return; // the rest goes on onSendSpace or onWake
                }
                continue;
            }
            if (in.isEmpty()) {
                break;
            }
            int used = parser.parse(in);
            c.consume(used);
            if (parser.outcome != HttpRequestParser.Outcome.NEED_MORE) {
                respond(c, x);
            } else if (used == 0) {
                break;
            }
        }
        if (c.peerClosed() && x.phase == Phase.IDLE) {
            c.close();
            x.phase = Phase.CLOSED;
        }
    }

    /** Picks the answer to the request just parsed, counts it, and starts it (or waits its delay). */
    private void respond(TcpConnection c, Exchange x) {
        HttpRequestParser parser = x.parser;
        HttpAnswer answer;
        x.cutAt = -1;
        x.cutByReset = false;
        switch (parser.outcome) {
            case REQUEST -> {
                x.keepAlive = parser.completedKeepAlive;
                x.headOnly = parser.completedHead;
                x.http10 = parser.completedHttp10;
                ServedRoute route = match(parser.requestLine, parser.requestLineLength);
                HttpFault fault = route == null ? null : route.take(counters);
                answer = route == null ? notFound : fault != null && fault.kind == HttpFault.Kind.STATUS ? fault.answer : route.answer;
                if (fault != null && fault.kind != HttpFault.Kind.STATUS) {
                    x.cutAt = fault.afterBytes;
                    x.cutByReset = fault.kind == HttpFault.Kind.RESET;
                }
            }
            case HEAD_TOO_LARGE -> {
                x.keepAlive = false;
                x.headOnly = false;
                x.http10 = false;
                answer = tooLarge;
            }
            default -> {
                x.keepAlive = false;
                x.headOnly = false;
                x.http10 = false;
                answer = badRequest;
            }
        }
        if (answer.statusSlot >= 0 && counters != null) {
            counters.incrementNamed(answer.statusSlot);
        }
        parser.outcome = HttpRequestParser.Outcome.NEED_MORE;
        x.answer = answer;
        if (answer.delayNanos > 0) {
            x.phase = Phase.DELAYED;
            c.wakeAfter(answer.delayNanos);
        } else {
            startSending(c, x);
        }
    }

    private void startSending(TcpConnection c, Exchange x) {
        x.phase = Phase.SENDING;
        x.chunked = x.answer.chunked && !x.http10;
        x.pending = x.chunked || !x.answer.chunked
                ? (x.keepAlive ? x.answer.headKeepAlive : x.answer.headClose)
                : (x.keepAlive ? x.answer.headSizedKeepAlive : x.answer.headSizedClose);
        x.pendingFrom = 0;
        x.pendingTo = x.pending.length;
        x.bodySent = 0;
        x.chunkLeft = 0;
        x.lastChunkQueued = false;
        x.allowance = 0;
        x.carry = 0;
        if (x.answer.bytesPerSecond > 0 && !x.headOnly) {
            addShare(c, x);
        }
    }

    /** A paced body's share for one tick, and the wake for the next. */
    private static void addShare(TcpConnection c, Exchange x) {
        long thousandths = x.carry + x.answer.bytesPerSecond * TICK_MILLIS;
        x.allowance += thousandths / 1000;
        x.carry = thousandths % 1000;
        c.wakeAfter(TICK_NANOS);
    }

    /**
     * Sends as much of the answer as the send buffer and the pace allow. True when the answer is over (the
     * connection is then idle for the next request, or closing), false when it must wait.
     */
    private boolean send(TcpConnection c, Exchange x) {
        HttpAnswer a = x.answer;
        while (true) {
            if (x.pending != null) {
                x.pendingFrom += c.send(x.pending, x.pendingFrom, x.pendingTo - x.pendingFrom);
                if (x.pendingFrom < x.pendingTo) {
                    return false;
                }
                x.pending = null;
            }
            if (x.headOnly) {
                return finish(c, x);
            }
            if (x.cutAt >= 0 && x.bodySent >= x.cutAt) {
                if (x.cutByReset && c.unacknowledged() > 0) {
                    return false; // an abort drops what is queued: the N bytes go (and are acknowledged) first
                }
                x.phase = Phase.CLOSED;
                if (x.cutByReset) {
                    c.abort();
                } else {
                    c.close();
                }
                return true;
            }
            if (x.bodySent == a.length) {
                if (x.chunked && !x.lastChunkQueued) {
                    x.lastChunkQueued = true;
                    queue(x, LAST_CHUNK, LAST_CHUNK.length);
                    continue;
                }
                return finish(c, x);
            }
            long room = a.length - x.bodySent;
            if (x.cutAt >= 0) {
                room = Math.min(room, x.cutAt - x.bodySent);
            }
            if (a.bytesPerSecond > 0) {
                room = Math.min(room, x.allowance);
            }
            if (x.chunked) {
                if (x.chunkLeft == 0) {
                    int space = c.sendSpace() - 12; // room for a chunk's size line and its CRLF
                    int n = (int) Math.min(Math.min(room, MAX_CHUNK), space);
                    if (n <= 0) {
                        return false;
                    }
                    x.chunkLeft = n;
                    queue(x, x.scratch, chunkSizeLine(x.scratch, n));
                    continue;
                }
                room = Math.min(room, x.chunkLeft);
            }
            if (room <= 0) {
                return false;
            }
            int want = (int) Math.min(room, Integer.MAX_VALUE);
            int sent = sendBody(c, a, x.bodySent, want);
            x.bodySent += sent;
            x.allowance -= a.bytesPerSecond > 0 ? sent : 0;
            if (x.chunked) {
                x.chunkLeft -= sent;
                if (x.chunkLeft == 0) {
                    queue(x, CRLF, CRLF.length);
                }
            }
            if (sent < want) {
                return false;
            }
        }
    }

    private static void queue(Exchange x, byte[] bytes, int length) {
        x.pending = bytes;
        x.pendingFrom = 0;
        x.pendingTo = length;
    }

    /** Writes {@code n} in hex and CRLF into {@code out}; returns its length. */
    private static int chunkSizeLine(byte[] out, int n) {
        int digits = Math.max(1, (32 - Integer.numberOfLeadingZeros(n) + 3) / 4);
        for (int i = digits - 1; i >= 0; i--) {
            out[digits - 1 - i] = HEX[(n >>> (i * 4)) & 0xf];
        }
        out[digits] = '\r';
        out[digits + 1] = '\n';
        return digits + 2;
    }

    /** Sends up to {@code n} body bytes from {@code at}; returns how many fit. */
    private int sendBody(TcpConnection c, HttpAnswer a, long at, int n) {
        if (a.body != null) {
            return c.send(a.body, (int) at, n);
        }
        int total = 0;
        while (total < n) {
            int offset = (int) ((at + total) % PATTERN.length);
            int run = Math.min(n - total, PATTERN_RUN.length - offset);
            int sent = c.send(PATTERN_RUN, offset, run);
            total += sent;
            if (sent < run) {
                break;
            }
        }
        return total;
    }

    /** The answer is whole: the connection waits for the next request, or closes. */
    private static boolean finish(TcpConnection c, Exchange x) {
        if (x.keepAlive) {
            x.phase = Phase.IDLE;
        } else {
            x.phase = Phase.CLOSED;
            c.close();
        }
        return true;
    }

    /** The first route taking the request line {@code line[0, length)}, or null. */
    private ServedRoute match(byte[] line, int length) {
        int methodEnd = 0;
        while (methodEnd < length && line[methodEnd] != ' ') {
            methodEnd++;
        }
        int targetStart = methodEnd + 1;
        int targetEnd = targetStart;
        while (targetEnd < length && line[targetEnd] != ' ' && line[targetEnd] != '?') {
            targetEnd++;
        }
        // a target cut short by what the parser keeps may only match a prefix
        boolean whole = targetEnd < length || length < HttpRequestParser.KEPT_REQUEST_LINE;
        for (ServedRoute r : routes) {
            if (r.matches(line, methodEnd, targetStart, targetEnd, whole)) {
                return r;
            }
        }
        return null;
    }

    /** The first {@code n} bytes of a generated body of at least {@code n} bytes, for tests. */
    public static byte[] generatedBody(int n) {
        return java.util.Arrays.copyOf(repeated(PATTERN, n / PATTERN.length + 1), n);
    }
}
