package tapnet.build;

import tapnet.net.UdpHandler;
import tapnet.service.BannerService;
import tapnet.service.ChargenService;
import tapnet.service.DiscardService;
import tapnet.service.EchoService;
import tapnet.service.HttpService;
import tapnet.service.UdpDiscardService;
import tapnet.service.UdpEchoService;
import tapnet.tcp.ConnectionHandler;
import tapnet.topology.ServiceSpec;

/** What plays each kind of {@link ServiceSpec} at run time: the model's services made into handlers. */
public final class ServiceHandlers {
    private ServiceHandlers() {
    }

    /** A fresh handler for the datagrams of a UDP {@code spec} ({@link ServiceSpec#udp()}). */
    public static UdpHandler newUdpHandler(ServiceSpec spec) {
        if (spec instanceof ServiceSpec.UdpEcho) {
            return new UdpEchoService();
        } else if (spec instanceof ServiceSpec.UdpDiscard) {
            return new UdpDiscardService();
        }
        throw new IllegalArgumentException("no UDP handler for a service of kind " + spec.kind()); // a new kind: add it above
    }

    /** A fresh handler for a listener of a TCP {@code spec}. */
    public static ConnectionHandler newHandler(ServiceSpec spec) {
        if (spec instanceof ServiceSpec.Tuned tuned) {
            return newHandler(tuned.service());
        } else if (spec instanceof ServiceSpec.Echo) {
            return new EchoService();
        } else if (spec instanceof ServiceSpec.Discard) {
            return new DiscardService();
        } else if (spec instanceof ServiceSpec.Chargen) {
            return new ChargenService();
        } else if (spec instanceof ServiceSpec.Banner banner) {
            return new BannerService(banner.text(), banner.closeAfter());
        } else if (spec instanceof ServiceSpec.Http http) {
            return new HttpService(http.status(), http.body(), http.contentType());
        }
        throw new IllegalArgumentException("no handler for a service of kind " + spec.kind()); // a new kind: add it above
    }
}
