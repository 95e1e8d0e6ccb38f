package tapnet.conformance;

/** The ports both targets serve alike. */
final class Ports {
    /** Echo (RFC 862): what arrives is sent back at once (Nagle off); closes when the peer closes. */
    static final int ECHO = 7;
    /** Echo with Nagle's algorithm on (RFC 9293 §3.7.4): a small echo waits while earlier data is unacknowledged. */
    static final int ECHO_NAGLE = 17;
    /** Discard (RFC 863): reads and drops what arrives, so nothing rides on its ACKs. */
    static final int DISCARD = 9;
    /** Sends {@link #BANNER_TEXT} as the connection opens, then closes at once: the target closes first. */
    static final int BANNER = 13;
    static final String BANNER_TEXT = "hello\r\n";
    /** Accepts and never reads, so that the receive window fills and closes. */
    static final int HOLD = 5;
    /** Nobody listens here. */
    static final int CLOSED = 4;

    private Ports() {
    }
}
