package tapnet.service;

import tapnet.buffer.ByteRing;

/**
 * An incremental parser of HTTP/1.x request heads for {@link RoutedHttpService}: it reads byte by byte, keeps
 * only the first bytes of each line (enough for the headers it cares about) and the last eight (the
 * request line's version), so a connection's state is a few fields whatever the request's size.
 */
final class HttpRequestParser {
    enum Outcome { NEED_MORE, REQUEST, HEAD_TOO_LARGE, BAD_REQUEST }

    private enum Phase { REQUEST_LINE, HEADERS, BODY }

    /** Request heads longer than this are refused with 431 and the connection is closed. */
    static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final int KEPT = 64;
    /** How much of a request line is kept: method and target for {@link RoutedHttpService}'s matching. */
    static final int KEPT_REQUEST_LINE = 256;
    private static final long HTTP_1_0 = asciiLong("HTTP/1.0");

    private Phase phase;
    private final byte[] line = new byte[KEPT];
    /** The last request line's first bytes, and how many of them there are (at most {@link #KEPT_REQUEST_LINE}). */
    final byte[] requestLine = new byte[KEPT_REQUEST_LINE];
    int requestLineLength;
    private int lineLength;
    private long lastEight;
    private int headBytes;
    private boolean http10;
    private int connectionHeader; // -1 absent, 0 close, 1 keep-alive
    private long contentLength;
    private long bodyRemaining;
    private boolean chunked;
    private boolean isHead;

    Outcome outcome;
    /** Of the request just completed: whether the connection stays open, and whether it was HEAD. */
    boolean completedKeepAlive;
    boolean completedHead;
    /** Of the request just completed: whether it was HTTP/1.0 (which knows no chunked bodies, RFC 9112 §7.1). */
    boolean completedHttp10;

    void reset() {
        startRequest();
        outcome = Outcome.NEED_MORE;
    }

    private void startRequest() {
        phase = Phase.REQUEST_LINE;
        lineLength = 0;
        lastEight = 0;
        headBytes = 0;
        http10 = false;
        connectionHeader = -1;
        contentLength = 0;
        bodyRemaining = 0;
        chunked = false;
        isHead = false;
    }

    private void complete() {
        completedKeepAlive = keepAlive();
        completedHead = isHead;
        completedHttp10 = http10;
        outcome = Outcome.REQUEST;
        startRequest();
    }

    /** Whether the connection stays open after the response (RFC 9112 §9.3). */
    private boolean keepAlive() {
        if (chunked) {
            return false; // chunked request bodies are not decoded: the connection cannot be reused safely
        }
        return http10 ? connectionHeader == 1 : connectionHeader != 0;
    }

    /**
     * Reads from the front of {@code in} until a request is complete (its head, and its body if any), or
     * the input ends. Returns how many bytes it used; {@link #outcome} tells whether a request is complete.
     */
    int parse(ByteRing in) {
        int size = in.size();
        int i = 0;
        while (i < size) {
            if (phase == Phase.BODY) {
                int n = (int) Math.min(bodyRemaining, size - i);
                i += n;
                bodyRemaining -= n;
                if (bodyRemaining == 0) {
                    complete();
                    return i;
                }
                continue;
            }
            int b = in.peek(i++);
            if (++headBytes > MAX_HEAD_BYTES) {
                outcome = Outcome.HEAD_TOO_LARGE;
                return size;
            }
            if (b == '\r') {
                continue; // line ends are CR LF or a bare LF (RFC 9112 §2.2); a CR is never kept
            }
            if (b != '\n') {
                if (phase == Phase.REQUEST_LINE) {
                    if (lineLength < KEPT_REQUEST_LINE) {
                        requestLine[lineLength] = (byte) b;
                    }
                } else if (lineLength < KEPT) {
                    line[lineLength] = (byte) b;
                }
                lineLength++;
                lastEight = (lastEight << 8) | b;
                continue;
            }
            int length = lineLength;
            long tail = lastEight;
            lineLength = 0;
            lastEight = 0;
            if (phase == Phase.REQUEST_LINE) {
                if (length == 0) {
                    continue; // RFC 9112 §2.2: ignore empty lines before a request line
                }
                requestLineLength = Math.min(length, KEPT_REQUEST_LINE);
                isHead = startsWith("HEAD ", requestLine, requestLineLength);
                http10 = tail == HTTP_1_0;
                phase = Phase.HEADERS;
            } else if (length == 0) {
                if (contentLength > 0 && !chunked) {
                    phase = Phase.BODY;
                    bodyRemaining = contentLength;
                    continue;
                }
                complete();
                return i;
            } else if (!header(length)) {
                outcome = Outcome.BAD_REQUEST;
                return size;
            }
        }
        return i;
    }

    /** Interprets one header line; false when it is malformed in a way that matters. */
    private boolean header(int length) {
        int kept = Math.min(length, KEPT);
        int colon = -1;
        for (int i = 0; i < kept; i++) {
            if (line[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon < 0) {
            return length > KEPT; // a long line's name may lie past what we keep: not ours to judge
        }
        int valueStart = colon + 1;
        while (valueStart < kept && (line[valueStart] == ' ' || line[valueStart] == '\t')) {
            valueStart++;
        }
        int valueEnd = kept;
        while (valueEnd > valueStart && (line[valueEnd - 1] == ' ' || line[valueEnd - 1] == '\t')) {
            valueEnd--;
        }
        if (nameIs("content-length", colon)) {
            long value = 0;
            if (valueStart == valueEnd) {
                return false;
            }
            for (int i = valueStart; i < valueEnd; i++) {
                int d = line[i] - '0';
                if (d < 0 || d > 9 || value > Long.MAX_VALUE / 10) {
                    return false;
                }
                value = value * 10 + d;
            }
            contentLength = value;
        } else if (nameIs("connection", colon)) {
            if (containsToken("close", valueStart, valueEnd)) {
                connectionHeader = 0;
            } else if (containsToken("keep-alive", valueStart, valueEnd)) {
                connectionHeader = 1;
            }
        } else if (nameIs("transfer-encoding", colon)) {
            chunked = containsToken("chunked", valueStart, valueEnd);
        }
        return true;
    }

    private static boolean startsWith(String prefix, byte[] bytes, int length) {
        if (length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (bytes[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean nameIs(String lowerCaseName, int nameLength) {
        if (nameLength != lowerCaseName.length()) {
            return false;
        }
        for (int i = 0; i < nameLength; i++) {
            if (Character.toLowerCase((char) line[i]) != lowerCaseName.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean containsToken(String lowerCaseToken, int from, int to) {
        int n = lowerCaseToken.length();
        for (int start = from; start + n <= to; start++) {
            boolean match = true;
            for (int i = 0; i < n && match; i++) {
                match = Character.toLowerCase((char) line[start + i]) == lowerCaseToken.charAt(i);
            }
            if (match) {
                return true;
            }
        }
        return false;
    }

    private static long asciiLong(String eight) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | eight.charAt(i);
        }
        return v;
    }
}
