package tapnet.tcp;

/**
 * What one service (a listener: a host's TCP port) saw, for metrics: connections opened, reset and
 * refused, and the faults it applied by kind. Plain long fields written only by the engine thread, made
 * with the listener, so counting allocates nothing; read on the engine thread too (a metrics snapshot).
 * The faults' room is made only for a listener that is given faults, so that the many without any stay small.
 */
public final class ServiceCounters {
    long opened;
    long reset;
    long refused;
    /** By {@link ConnectionFaults.Kind} ordinal; null until the listener has faults. */
    private long[] faults;

    /** Handshakes completed (SYN cookies' included). */
    public long opened() {
        return opened;
    }

    /** Established connections ended by an RST: the client's, or the host's (an abort, a fault's reset). */
    public long reset() {
        return reset;
    }

    /** SYNs answered with RST: the service was stopped, or a REFUSE fault took them. */
    public long refused() {
        return refused;
    }

    /** How many times faults of this kind took effect (as {@code tcp_faults_injected} counts them). */
    public long faults(ConnectionFaults.Kind kind) {
        return faults == null ? 0 : faults[kind.ordinal()];
    }

    /** Whether the service was ever given faults (only then are they counted). */
    public boolean countsFaults() {
        return faults != null;
    }

    /** Makes the faults' room, when the listener is given faults. Cold path (build time, a control action). */
    void expectFaults() {
        if (faults == null) {
            faults = new long[ConnectionFaults.Kind.values().length];
        }
    }

    /** A fault of this kind took effect. Engine thread. */
    void fault(ConnectionFaults.Kind kind) {
        faults[kind.ordinal()]++;
    }
}
