package tapnet.cli.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tapnet.engine.EngineAccess;
import tapnet.observe.Counter;
import tapnet.observe.DropReason;
import tapnet.tcp.ConnectionFaults;

/**
 * A run's Prometheus metrics, what {@code GET /v1/metrics} answers: one call to the engine copies its
 * counters ({@link MetricsSnapshot}), and they are written here, off the engine thread, as Prometheus
 * families named by the conventions ({@code tapnet_} prefix, {@code _total} counters, dimensions as
 * labels). Every drop reason, every link outcome and every service outcome is written, zeros included, so
 * that series exist from the first scrape; HTTP route counters appear once they count.
 */
public final class MetricsExposition {
    /** How long a scrape waits for the engine thread, as control requests do. */
    static final long ENGINE_TIMEOUT_SECONDS = 5;

    /**
     * The fault kinds a service counts: those that act at a moment. STALL, WINDOW and SLOW_CLOSE shape a
     * connection all along and are counted nowhere (neither in {@code tcp_faults_injected}).
     */
    static final List<ConnectionFaults.Kind> COUNTED_FAULTS = Arrays.stream(ConnectionFaults.Kind.values())
            .filter(k -> k != ConnectionFaults.Kind.STALL && k != ConnectionFaults.Kind.WINDOW
                    && k != ConnectionFaults.Kind.SLOW_CLOSE)
            .toList();

    /** {@code http.HOST.PORT.route.N.status.S} and {@code http.HOST.PORT.unmatched.requests}, as the routed HTTP service names them. */
    private static final Pattern ROUTE_STATUS = Pattern.compile("http\\.(.+)\\.(\\d+)\\.route\\.(\\d+)\\.status\\.(\\d+)");
    private static final Pattern UNMATCHED = Pattern.compile("http\\.(.+)\\.(\\d+)\\.unmatched\\.requests");

    private MetricsExposition() {
    }

    /** The Content-Type of a scrape's answer. */
    public static String contentType(boolean openMetrics) {
        return openMetrics ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                : "text/plain; version=0.0.4; charset=utf-8";
    }

    /**
     * The run's metrics now, in Prometheus text 0.0.4 or, when {@code openMetrics}, OpenMetrics 1.0.0.
     * {@code others} are counters kept outside the engine (the control server's), written as
     * {@code tapnet_control_NAME_total}.
     *
     * @throws IllegalStateException when the engine does not answer within {@value #ENGINE_TIMEOUT_SECONDS} s
     */
    public static String scrape(EngineAccess engine, Map<String, Long> others, boolean openMetrics) throws Exception {
        MetricsSnapshot snapshot;
        try {
            snapshot = engine.call(e -> MetricsSnapshot.take(e, engine)).get(ENGINE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the engine did not answer within " + ENGINE_TIMEOUT_SECONDS + " s");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        return write(snapshot, others, openMetrics);
    }

    /** The snapshot as an exposition. Any thread. */
    static String write(MetricsSnapshot s, Map<String, Long> others, boolean openMetrics) {
        ExpositionWriter w = new ExpositionWriter(openMetrics);
        w.counter("tapnet_frames_total", "Ethernet frames received from (in) and sent to (out) the TAP and ports")
                .sample(s.counters()[Counter.FRAMES_IN.ordinal()], "direction", "in")
                .sample(s.counters()[Counter.FRAMES_OUT.ordinal()], "direction", "out");
        w.counter("tapnet_bytes_total", "bytes of Ethernet frames received (in) and sent (out)")
                .sample(s.counters()[Counter.BYTES_IN.ordinal()], "direction", "in")
                .sample(s.counters()[Counter.BYTES_OUT.ordinal()], "direction", "out");
        w.counter("tapnet_frames_dropped_total", "frames dropped, by reason (tapnet ctl counters' drop.REASON)");
        for (DropReason reason : DropReason.ALL) {
            if (reason != DropReason.NONE) {
                w.sample(s.drops()[reason.ordinal()], "reason", reason.name().toLowerCase());
            }
        }
        links(w, s);
        services(w, s);
        tcp(w, s);
        dnsAndUdp(w, s);
        http(w, s);
        // A direct engine (in-process) has no ring: its two families have no sample.
        w.gauge("tapnet_ring_occupancy", "slots of the ingress ring holding frames the engine has not applied yet");
        if (s.ringCapacity() > 0) {
            w.sample(s.ringOccupancy());
        }
        w.gauge("tapnet_ring_capacity", "slots of the ingress ring");
        if (s.ringCapacity() > 0) {
            w.sample(s.ringCapacity());
        }
        control(w, others);
        return w.finish();
    }

    private static void links(ExpositionWriter w, MetricsSnapshot s) {
        w.counter("tapnet_link_frames_total", "frames through a node's link to its parent, by direction and outcome "
                + "(delivered copies; dropped: lost, queue_full, down, too_big; duplicated, corrupted, reordered copies)");
        for (MetricsSnapshot.LinkSample link : s.links()) {
            linkDirection(w, link.link(), "to_node", link.toNode());
            linkDirection(w, link.link(), "from_node", link.fromNode());
        }
    }

    private static void linkDirection(ExpositionWriter w, String link, String direction, long[] outcomes) {
        if (outcomes != null) {
            for (int i = 0; i < outcomes.length; i++) {
                w.sample(outcomes[i], "link", link, "direction", direction, "outcome", MetricsSnapshot.OUTCOMES.get(i));
            }
        }
    }

    private static void services(ExpositionWriter w, MetricsSnapshot s) {
        w.counter("tapnet_service_connections_total", "connections to a host's TCP service: opened (handshake "
                + "completed), reset (ended by an RST, either side's), refused (SYN answered with RST: stopped, or a refuse fault)");
        for (MetricsSnapshot.ServiceSample service : s.services()) {
            String port = Integer.toString(service.port());
            w.sample(service.opened(), "host", service.host(), "port", port, "outcome", "opened");
            w.sample(service.reset(), "host", service.host(), "port", port, "outcome", "reset");
            w.sample(service.refused(), "host", service.host(), "port", port, "outcome", "refused");
        }
        w.counter("tapnet_service_faults_total", "faults a TCP service applied, by kind (services given faults only)");
        for (MetricsSnapshot.ServiceSample service : s.services()) {
            if (service.faults() != null) {
                String port = Integer.toString(service.port());
                for (int k = 0; k < COUNTED_FAULTS.size(); k++) {
                    w.sample(service.faults()[k], "host", service.host(), "port", port,
                            "fault", COUNTED_FAULTS.get(k).name().toLowerCase());
                }
            }
        }
    }

    private static void tcp(ExpositionWriter w, MetricsSnapshot s) {
        long[] c = s.counters();
        w.counter("tapnet_tcp_segments_total", "TCP segments received (in) and sent (out) by the virtual hosts")
                .sample(c[Counter.TCP_SEGMENTS_IN.ordinal()], "direction", "in")
                .sample(c[Counter.TCP_SEGMENTS_OUT.ordinal()], "direction", "out");
        w.counter("tapnet_tcp_retransmissions_total", Counter.TCP_RETRANSMISSIONS.description())
                .sample(c[Counter.TCP_RETRANSMISSIONS.ordinal()]);
        w.counter("tapnet_tcp_faults_injected_total", Counter.TCP_FAULTS_INJECTED.description())
                .sample(c[Counter.TCP_FAULTS_INJECTED.ordinal()]);
    }

    private static final Counter[] DNS_FAULTS = {Counter.DNS_FAULT_NXDOMAIN, Counter.DNS_FAULT_SERVFAIL,
            Counter.DNS_FAULT_REFUSED, Counter.DNS_FAULT_TIMEOUT, Counter.DNS_FAULT_TRUNCATE, Counter.DNS_FAULT_DELAY,
            Counter.DNS_FAULT_WRONG_ADDRESS, Counter.DNS_FAULT_TTL};

    private static void dnsAndUdp(ExpositionWriter w, MetricsSnapshot s) {
        long[] c = s.counters();
        w.counter("tapnet_dns_queries_total", "DNS queries received by the DNS server, by transport")
                .sample(c[Counter.DNS_QUERIES_UDP.ordinal()], "transport", "udp")
                .sample(c[Counter.DNS_QUERIES_TCP.ordinal()], "transport", "tcp");
        w.counter("tapnet_dns_answers_total", "DNS answers sent, by response code")
                .sample(c[Counter.DNS_NOERROR.ordinal()], "rcode", "noerror")
                .sample(c[Counter.DNS_FORMERR.ordinal()], "rcode", "formerr")
                .sample(c[Counter.DNS_SERVFAIL.ordinal()], "rcode", "servfail")
                .sample(c[Counter.DNS_NXDOMAIN.ordinal()], "rcode", "nxdomain")
                .sample(c[Counter.DNS_NOTIMP.ordinal()], "rcode", "notimp")
                .sample(c[Counter.DNS_REFUSED.ordinal()], "rcode", "refused")
                .sample(c[Counter.DNS_BADVERS.ordinal()], "rcode", "badvers");
        w.counter("tapnet_dns_faults_total", "DNS queries a fault acted on, by fault");
        for (Counter counter : DNS_FAULTS) {
            w.sample(c[counter.ordinal()], "fault", counter.name().substring("DNS_FAULT_".length()).toLowerCase(Locale.ROOT));
        }
        w.counter("tapnet_udp_datagrams_total", "UDP datagrams delivered to services (in) and sent by them (out)")
                .sample(c[Counter.UDP_DATAGRAMS_IN.ordinal()], "direction", "in")
                .sample(c[Counter.UDP_DATAGRAMS_OUT.ordinal()], "direction", "out");
        w.counter("tapnet_ipv4_fragments_total", "IPv4 fragments received by the hosts (in), sent by hosts and routers (out)")
                .sample(c[Counter.IPV4_FRAGMENTS_IN.ordinal()], "direction", "in")
                .sample(c[Counter.IPV4_FRAGMENTS_OUT.ordinal()], "direction", "out");
        w.counter("tapnet_ipv4_reassembled_total", Counter.IPV4_REASSEMBLED.description())
                .sample(c[Counter.IPV4_REASSEMBLED.ordinal()]);
        w.counter("tapnet_ipv6_fragments_total", "IPv6 fragments received by the hosts (in), sent by them (out)")
                .sample(c[Counter.IPV6_FRAGMENTS_IN.ordinal()], "direction", "in")
                .sample(c[Counter.IPV6_FRAGMENTS_OUT.ordinal()], "direction", "out");
        w.counter("tapnet_ipv6_reassembled_total", Counter.IPV6_REASSEMBLED.description())
                .sample(c[Counter.IPV6_REASSEMBLED.ordinal()]);
    }

    /** Routed HTTP services' answers by route and status, from their named counters (a series once it counts). */
    private static void http(ExpositionWriter w, MetricsSnapshot s) {
        w.counter("tapnet_http_requests_total", "requests answered by routed HTTP services, by route (its number in "
                + "the file, or unmatched: 404) and status");
        s.named().forEach((name, value) -> {
            Matcher route = ROUTE_STATUS.matcher(name);
            Matcher unmatched = UNMATCHED.matcher(name);
            if (route.matches()) {
                w.sample(value, "host", route.group(1), "port", route.group(2), "route", route.group(3),
                        "status", route.group(4));
            } else if (unmatched.matches()) {
                w.sample(value, "host", unmatched.group(1), "port", unmatched.group(2), "route", "unmatched",
                        "status", "404");
            }
        });
    }

    /**
     * The run's own counters ({@code control.requests}...) as {@code tapnet_control_requests_total}: the
     * {@code control.} prefix dropped, what a metric name cannot hold made {@code _}; names that meet add up.
     */
    private static void control(ExpositionWriter w, Map<String, Long> others) {
        Map<String, Long> byMetric = new LinkedHashMap<>();
        others.forEach((name, value) -> byMetric.merge("tapnet_control_"
                + name.replaceFirst("^control\\.", "").replaceAll("[^a-zA-Z0-9_]", "_") + "_total", value, Long::sum));
        byMetric.forEach((metric, value) -> w.counter(metric, "the control server's counter "
                + metric.substring("tapnet_control_".length(), metric.length() - "_total".length())).sample(value));
    }
}
