package tapnet.client;

/** One virtual host: stopped, it answers nothing (no ARP, no ping, no services), as a machine switched off. */
public final class HostControl {
    private final Network network;
    private final String path;

    HostControl(Network network, String host) {
        this.network = network;
        this.path = "/v1/hosts/" + Network.segment(host);
    }

    /** Stops the host; whether it runs now (false). */
    public boolean stop() {
        return ServiceControl.running(network.call("POST", path + "/stop", null));
    }

    /** Starts it again; whether it runs now (true). */
    public boolean start() {
        return ServiceControl.running(network.call("POST", path + "/start", null));
    }
}
