package tapnet.topology;

import java.time.Duration;
import java.util.List;
import tapnet.tcp.ConnectionFaults;

/**
 * What an event does. Every change goes the way a live change ({@code tapnet ctl}) goes: to the engine,
 * applied between batches.
 */
public sealed interface Action {
    /** A link becomes exactly {@code change} (its directions). */
    record Link(LinkChange change) implements Action {
    }

    /** A node's link down both ways ({@code down} true) or up again, keeping its other settings. */
    record LinkDown(String node, boolean down) implements Action {
    }

    /** Groups of nodes cut off from each other (replacing any partition before). */
    record Partition(List<List<String>> groups) implements Action {
    }

    /** Every node reaches every other again. */
    record Heal() implements Action {
    }

    /** A host stops (silent: it answers nothing) or starts again, having forgotten its connections. */
    record Host(String host, boolean running) implements Action {
    }

    /** A service (a host's TCP port) stops listening (SYNs get RST) or listens again. */
    record Service(String host, int port, boolean running) implements Action {
    }

    /** A service's faults become {@code faults} (an empty list: none). */
    record Faults(String host, int port, List<ConnectionFaults.Rule> faults) implements Action {
    }

    /** The DNS server's faults become {@code faults} (an empty list: none); their selectors count afresh. */
    record DnsFaults(List<tapnet.dns.DnsFaults.Rule> faults) implements Action {
        public DnsFaults {
            faults = List.copyOf(faults);
        }
    }

    /**
     * The faults of route {@code route} (from 1, in file order) of the HTTP service on {@code host:port} become
     * {@code faults} (an empty list: none); its requests counted for {@code first} start again.
     */
    record RouteFaults(String host, int port, int route, List<HttpRoute.Fault> faults) implements Action {
        public RouteFaults {
            faults = List.copyOf(faults);
        }
    }

    /**
     * A real command, in the namespace of {@code in} ({@code tap} or a port), killed after {@code timeout};
     * its exit status is expected to be {@code expectExit} (null: any), which becomes an expectation.
     */
    record Run(String in, List<String> command, Duration timeout, Integer expectExit) implements Action {
    }

    /** A marker on the timeline (and in the capture). */
    record Mark(String text) implements Action {
    }
}
