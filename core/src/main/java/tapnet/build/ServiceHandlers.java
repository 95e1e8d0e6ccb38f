package tapnet.build;

import java.util.List;
import tapnet.net.UdpHandler;
import tapnet.observe.Counters;
import tapnet.service.BannerService;
import tapnet.service.ChargenService;
import tapnet.service.DiscardService;
import tapnet.service.EchoService;
import tapnet.service.HttpFault;
import tapnet.service.HttpService;
import tapnet.service.RoutedHttpService;
import tapnet.service.UdpDiscardService;
import tapnet.service.UdpEchoService;
import tapnet.tcp.ConnectionHandler;
import tapnet.topology.HttpRoute;
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

    /** A fresh handler for a listener of a TCP {@code spec}, without counters of its own. */
    public static ConnectionHandler newHandler(ServiceSpec spec) {
        return newHandler(spec, new Counters(), "unnamed", 0);
    }

    /**
     * Whether a handler of {@code spec} counts by host (its counters are named after it), so that hosts
     * serving the same thing cannot share one handler.
     */
    public static boolean countsPerHost(ServiceSpec spec) {
        ServiceSpec inner = spec instanceof ServiceSpec.Tuned tuned ? tuned.service() : spec;
        return inner instanceof ServiceSpec.Http http && !http.routes().isEmpty();
    }

    /**
     * A fresh handler for a listener of {@code spec} on host {@code host}; an HTTP service with routes counts
     * its requests in {@code counters} as {@code http.HOST.PORT.route.N.requests},
     * {@code http.HOST.PORT.route.N.status.S} and {@code http.HOST.PORT.unmatched.requests}, and its routes'
     * faults draw from generators made from {@code seed}.
     */
    public static ConnectionHandler newHandler(ServiceSpec spec, Counters counters, String host, long seed) {
        if (spec instanceof ServiceSpec.Tuned tuned) {
            return newHandler(tuned.service(), counters, host, seed);
        } else if (spec instanceof ServiceSpec.Echo) {
            return new EchoService();
        } else if (spec instanceof ServiceSpec.Discard) {
            return new DiscardService();
        } else if (spec instanceof ServiceSpec.Chargen) {
            return new ChargenService();
        } else if (spec instanceof ServiceSpec.Banner banner) {
            return new BannerService(banner.text(), banner.closeAfter());
        } else if (spec instanceof ServiceSpec.Http http && !http.routes().isEmpty()) {
            return new RoutedHttpService(http.routes().stream().map(ServiceHandlers::route).toList(), counters,
                    "http." + host + "." + http.port(), seed);
        } else if (spec instanceof ServiceSpec.Http http) {
            return new HttpService(http.status(), http.body(), http.contentType());
        }
        throw new IllegalArgumentException("no handler for a service of kind " + spec.kind()); // a new kind: add it above
    }

    private static RoutedHttpService.Route route(HttpRoute r) {
        List<String> headers = r.headers().stream().map(h -> h.name() + ": " + h.value()).toList();
        tapnet.service.HttpAnswer answer = new tapnet.service.HttpAnswer(r.status(), r.contentType(), headers,
                r.body().bytes(), r.body().generatedSize(), r.chunked(), r.delayNanos(), r.bytesPerSecond());
        return new RoutedHttpService.Route(r.method(), r.path(), answer, faults(r.faults()));
    }

    /** A route's faults as the service plays them: fresh ones, since each keeps its status counter. */
    public static List<HttpFault> faults(List<HttpRoute.Fault> faults) {
        return faults.stream().map(f -> switch (f.kind()) {
            case STATUS -> HttpFault.status(f.status(), f.first(), f.probability());
            case CLOSE -> HttpFault.close(f.afterBytes(), f.first(), f.probability());
            case RESET -> HttpFault.reset(f.afterBytes(), f.first(), f.probability());
        }).toList();
    }
}
