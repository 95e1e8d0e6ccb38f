package tapnet.tcp;

/**
 * A port in LISTEN: the service's handler and how many half-open connections it has (its SYN backlog).
 * A stopped listener keeps its handler and faults, so that it serves as before once started again.
 */
public final class Listener {
    final ConnectionHandler handler;
    final boolean noDelay;
    /** Replaceable while running: a SYN takes the faults of the moment it arrives. */
    ConnectionFaults faults;
    /** Its SYNs meet RST as at a closed port; its connections go on. */
    boolean stopped;
    int halfOpen;

    Listener(ConnectionHandler handler, boolean noDelay, ConnectionFaults faults) {
        this.handler = handler;
        this.noDelay = noDelay;
        this.faults = faults;
    }

    public ConnectionHandler handler() {
        return handler;
    }

    /** Whether it takes new connections (not stopped). */
    public boolean serving() {
        return !stopped;
    }

    /** Connections in SYN-RECEIVED right now. */
    public int halfOpen() {
        return halfOpen;
    }
}
