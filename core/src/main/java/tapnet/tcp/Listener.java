package tapnet.tcp;

/** A port in LISTEN: the service's handler and how many half-open connections it has (its SYN backlog). */
public final class Listener {
    final ConnectionHandler handler;
    final boolean noDelay;
    int halfOpen;

    Listener(ConnectionHandler handler, boolean noDelay) {
        this.handler = handler;
        this.noDelay = noDelay;
    }

    public ConnectionHandler handler() {
        return handler;
    }

    /** Connections in SYN-RECEIVED right now. */
    public int halfOpen() {
        return halfOpen;
    }
}
