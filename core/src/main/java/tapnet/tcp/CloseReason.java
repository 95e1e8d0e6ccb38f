package tapnet.tcp;

/** How a connection ended, as its application sees it. */
public enum CloseReason {
    /** Still open. */
    NONE,
    /** Orderly close, FIN both ways. */
    CLOSED,
    /** The peer sent RST on an established connection. */
    RESET,
    /** The peer answered our SYN with RST: nobody listens there. */
    REFUSED,
    /** Retransmissions ran out: SYN, SYN-ACK, data or FIN never acknowledged. */
    TIMED_OUT,
    /** We reset it: the application aborted. */
    ABORTED
}
