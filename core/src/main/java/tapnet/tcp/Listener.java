package tapnet.tcp;

/**
 * A port in LISTEN: the service's handler and how many half-open connections it has (its SYN backlog).
 * A stopped listener keeps its handler and faults, so that it serves as before once started again.
 */
public final class Listener {
    final int address;
    final int port;
    final ConnectionHandler handler;
    final boolean noDelay;
    final ServiceCounters counters = new ServiceCounters();
    /** Replaceable while running: a SYN takes the faults of the moment it arrives. */
    ConnectionFaults faults;
    /** Its SYNs meet RST as at a closed port; its connections go on. */
    boolean stopped;
    int halfOpen;

    Listener(int address, int port, ConnectionHandler handler, boolean noDelay, ConnectionFaults faults) {
        this.address = address;
        this.port = port;
        this.handler = handler;
        this.noDelay = noDelay;
        setFaults(faults);
    }

    /** SYNs from now on meet {@code faults}. */
    void setFaults(ConnectionFaults faults) {
        this.faults = faults;
        if (!faults.isEmpty()) {
            counters.expectFaults();
        }
    }

    public int address() {
        return address;
    }

    public int port() {
        return port;
    }

    /** What the service saw: connections opened, reset, refused; faults applied. */
    public ServiceCounters counters() {
        return counters;
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
