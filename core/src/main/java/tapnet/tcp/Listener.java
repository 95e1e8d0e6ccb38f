package tapnet.tcp;

/** A port in LISTEN: the service's handler and how many half-open connections it has (its SYN backlog). */
public final class Listener {
    final ConnectionHandler handler;
    int halfOpen;

    Listener(ConnectionHandler handler) {
        this.handler = handler;
    }

    public ConnectionHandler handler() {
        return handler;
    }

    /** Connections in SYN-RECEIVED right now. */
    public int halfOpen() {
        return halfOpen;
    }
}
