package tapnet.tcp;

/** A port in LISTEN: the service's handler and how many half-open connections it has (its SYN backlog). */
public final class Listener {
    final ConnectionHandler handler;
    final boolean noDelay;
    final ConnectionFaults faults;
    int halfOpen;

    Listener(ConnectionHandler handler, boolean noDelay, ConnectionFaults faults) {
        this.handler = handler;
        this.noDelay = noDelay;
        this.faults = faults;
    }

    public ConnectionHandler handler() {
        return handler;
    }

    /** Connections in SYN-RECEIVED right now. */
    public int halfOpen() {
        return halfOpen;
    }
}
