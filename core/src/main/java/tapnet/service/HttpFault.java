package tapnet.service;

/** How a route fails on purpose, for its first {@code first} matching requests (0: all of them). */
public final class HttpFault {
    enum Kind { STATUS, CLOSE, RESET }

    final Kind kind;
    final long first;
    /** STATUS: what is answered instead. */
    final HttpAnswer answer;
    /** CLOSE, RESET: body bytes sent before the connection is closed or reset. */
    final long afterBytes;

    private HttpFault(Kind kind, long first, HttpAnswer answer, long afterBytes) {
        this.kind = kind;
        this.first = first;
        this.answer = answer;
        this.afterBytes = afterBytes;
    }

    /** Answers {@code status} (with its reason as text) instead of the route's answer. */
    public static HttpFault status(int status, long first) {
        return new HttpFault(Kind.STATUS, first, HttpAnswer.text(status, status + " " + HttpService.reason(status) + "\n"), 0);
    }

    /** Closes (FIN) the connection after {@code afterBytes} of the body. */
    public static HttpFault close(long afterBytes, long first) {
        return new HttpFault(Kind.CLOSE, first, null, afterBytes);
    }

    /** Resets (RST) the connection after {@code afterBytes} of the body. */
    public static HttpFault reset(long afterBytes, long first) {
        return new HttpFault(Kind.RESET, first, null, afterBytes);
    }
}
