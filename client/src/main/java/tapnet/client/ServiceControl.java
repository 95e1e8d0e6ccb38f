package tapnet.client;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One service of a host, by its port ({@code net.service("api", 80)}): its faults, and stopping or starting
 * it (TCP and UDP services on that port alike). {@link #route(int)} reaches an HTTP service's routes.
 */
public final class ServiceControl {
    private final Network network;
    private final String path;

    ServiceControl(Network network, String host, int port) {
        this.network = network;
        this.path = "/v1/hosts/" + Network.segment(host) + "/services/" + port;
    }

    /** The service's faults become these (none: cleared); the faults as the run has them now. */
    public List<Fault> faults(Fault... faults) {
        return Faults.put(network, path + "/faults", Arrays.stream(faults).map(Fault::toJson).toList(), Fault::fromJson);
    }

    /** The service's faults now. */
    public List<Fault> faults() {
        return Faults.read(network.call("GET", path + "/faults", null), Fault::fromJson);
    }

    public void clearFaults() {
        network.call("DELETE", path + "/faults", null);
    }

    /** Stops the service: its port refuses connections as a closed port does. Returns whether it runs (false). */
    public boolean stop() {
        return running(network.call("POST", path + "/stop", null));
    }

    public boolean start() {
        return running(network.call("POST", path + "/start", null));
    }

    /** Route {@code number} (from 1, in the order of {@code routes:}) of this HTTP service. */
    public RouteControl route(int number) {
        if (number < 1) {
            throw new IllegalArgumentException("routes are numbered from 1, not " + number);
        }
        return new RouteControl(network, path + "/routes/" + number);
    }

    static boolean running(Object json) {
        return Fields.of(json, "a host or service").bool("running");
    }

    /**
     * A route of an HTTP service. Its faults are a route's ({@code status}, {@code close}, {@code reset}):
     * {@code route(2).faults(Fault.of("status", 503).first(2))}.
     */
    public static final class RouteControl {
        private final Network network;
        private final String path;

        RouteControl(Network network, String path) {
            this.network = network;
            this.path = path;
        }

        public List<Fault> faults(Fault... faults) {
            return Faults.put(network, path + "/faults", Arrays.stream(faults).map(Fault::toJson).toList(), Fault::fromJson);
        }

        public List<Fault> faults() {
            return Faults.read(network.call("GET", path + "/faults", null), Fault::fromJson);
        }

        public void clearFaults() {
            network.call("DELETE", path + "/faults", null);
        }
    }

    /** The {"faults": [...]} bodies every faults resource takes and gives. */
    static final class Faults {
        private Faults() {
        }

        static <T> List<T> put(Network network, String path, List<Map<String, Object>> faults, java.util.function.Function<Object, T> read) {
            return read(network.call("PUT", path, Map.of("faults", faults)), read);
        }

        static <T> List<T> read(Object json, java.util.function.Function<Object, T> read) {
            return Fields.of(json, "faults").list("faults").stream().map(read).toList();
        }
    }
}
