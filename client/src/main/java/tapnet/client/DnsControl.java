package tapnet.client;

import java.util.Arrays;
import java.util.List;

/** The faults of the run's DNS server (a topology with a {@code dns:} section; otherwise the calls fail with 409). */
public final class DnsControl {
    private static final String PATH = "/v1/dns/faults";

    private final Network network;

    DnsControl(Network network) {
        this.network = network;
    }

    /** The server's faults become these (none: cleared); the faults as the run has them now. */
    public List<DnsFault> faults(DnsFault... faults) {
        return ServiceControl.Faults.put(network, PATH, Arrays.stream(faults).map(DnsFault::toJson).toList(), DnsFault::fromJson);
    }

    public List<DnsFault> faults() {
        return ServiceControl.Faults.read(network.call("GET", PATH, null), DnsFault::fromJson);
    }

    public void clearFaults() {
        network.call("DELETE", PATH, null);
    }
}
