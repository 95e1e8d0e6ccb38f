package tapnet.service;

/**
 * How a route fails on purpose, for its first {@code first} matching requests (0: not counted), or for each
 * with {@code probability} (1: all), drawn by the route from a generator of this rule's own.
 */
public final class HttpFault {
    enum Kind { STATUS, CLOSE, RESET }

    final Kind kind;
    final long first;
    final double probability;
    /** STATUS: what is answered instead. */
    final HttpAnswer answer;
    /** CLOSE, RESET: body bytes sent before the connection is closed or reset. */
    final long afterBytes;

    private HttpFault(Kind kind, long first, double probability, HttpAnswer answer, long afterBytes) {
        if (first < 0 || !(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("a route fault needs first >= 0 and a probability from 0 to 1");
        }
        this.kind = kind;
        this.first = first;
        this.probability = probability;
        this.answer = answer;
        this.afterBytes = afterBytes;
    }

    /** Answers {@code status} (with its reason as text) instead of the route's answer. */
    public static HttpFault status(int status, long first) {
        return status(status, first, 1);
    }

    public static HttpFault status(int status, long first, double probability) {
        return new HttpFault(Kind.STATUS, first, probability,
                HttpAnswer.text(status, status + " " + HttpAnswer.reason(status) + "\n"), 0);
    }

    /** Closes (FIN) the connection after {@code afterBytes} of the body. */
    public static HttpFault close(long afterBytes, long first) {
        return close(afterBytes, first, 1);
    }

    public static HttpFault close(long afterBytes, long first, double probability) {
        return new HttpFault(Kind.CLOSE, first, probability, null, afterBytes);
    }

    /** Resets (RST) the connection after {@code afterBytes} of the body. */
    public static HttpFault reset(long afterBytes, long first) {
        return reset(afterBytes, first, 1);
    }

    public static HttpFault reset(long afterBytes, long first, double probability) {
        return new HttpFault(Kind.RESET, first, probability, null, afterBytes);
    }
}
