package tapnet.cli.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tapnet.engine.Engine;
import tapnet.engine.EngineAccess;
import tapnet.link.LinkCounters;
import tapnet.link.LinkDirection;
import tapnet.link.LinkDropReason;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;
import tapnet.tcp.ConnectionFaults;
import tapnet.tcp.Listener;
import tapnet.tcp.ListenerTable;
import tapnet.tcp.ServiceCounters;
import tapnet.wire.Ipv4Address;

/**
 * The engine's counters at one moment, copied on the engine thread ({@link #take}) so that formatting
 * happens off it: arrays of longs and a few names, made once per scrape, nothing per frame.
 *
 * @param counters     by {@link Counter} ordinal
 * @param drops        by {@link DropReason} ordinal
 * @param links        every node with a link, in the topology's order of hosts and routers, then ports
 * @param services     every TCP service (listener), in the order they were made
 * @param named        the services' named counters (HTTP routes), non-zero ones
 * @param ringOccupancy slots of the ingress ring in use; {@code ringCapacity} 0 when there is no ring
 */
record MetricsSnapshot(long[] counters, long[] drops, List<LinkSample> links, List<ServiceSample> services,
                       Map<String, Long> named, long ringOccupancy, int ringCapacity) {

    /** What a link direction did, by {@link #OUTCOMES}; a null direction has no link. */
    record LinkSample(String link, long[] toNode, long[] fromNode) {
    }

    /** A service's connections and, when it was ever given faults, the faults it applied by kind (else null). */
    record ServiceSample(String host, int port, long opened, long reset, long refused, long[] faults) {
    }

    /** The outcomes of a link direction, as the metric's {@code outcome} label says them. */
    static final List<String> OUTCOMES = List.of("delivered", "lost", "queue_full", "down", "too_big", "duplicated",
            "corrupted", "reordered");

    /** Reads every counter. Engine thread (the ring's two values are safe from any). */
    static MetricsSnapshot take(Engine engine, EngineAccess access) {
        Counters c = engine.counters();
        long[] counters = new long[Counter.ALL.length];
        for (Counter counter : Counter.ALL) {
            counters[counter.ordinal()] = c.get(counter);
        }
        long[] drops = new long[DropReason.ALL.length];
        for (DropReason reason : DropReason.ALL) {
            drops[reason.ordinal()] = c.dropped(reason);
        }
        Map<String, Long> named = new LinkedHashMap<>();
        c.snapshot().forEach((name, value) -> {
            if (name.startsWith("http.")) {
                named.put(name, value);
            }
        });
        return new MetricsSnapshot(counters, drops, links(engine), services(engine), named, access.ringOccupancy(),
                access.ringCapacity());
    }

    private static List<LinkSample> links(Engine engine) {
        List<String> nodes = new ArrayList<>();
        for (VirtualHost host : engine.hosts().all()) {
            if (host.name().indexOf('@') < 0) { // a router's inside entry (name@subnet) shares the router's link
                nodes.add(host.name());
            }
        }
        for (int device = 1; engine.deviceName(device) != null; device++) {
            nodes.add(engine.deviceName(device));
        }
        List<LinkSample> links = new ArrayList<>();
        for (String node : nodes) {
            LinkDirection toNode = engine.link(node, true);
            LinkDirection fromNode = engine.link(node, false);
            if (toNode != null || fromNode != null) {
                links.add(new LinkSample(node, outcomes(toNode), outcomes(fromNode)));
            }
        }
        return links;
    }

    /** A direction's counters in {@link #OUTCOMES}' order: delivered copies, drops by reason, then what happened to copies. */
    private static long[] outcomes(LinkDirection direction) {
        if (direction == null) {
            return null;
        }
        LinkCounters k = direction.counters();
        return new long[] {k.framesDelivered(), k.dropped(LinkDropReason.LOSS), k.dropped(LinkDropReason.QUEUE_FULL),
                k.dropped(LinkDropReason.DOWN), k.dropped(LinkDropReason.TOO_BIG), k.duplicated(), k.corrupted(),
                k.reordered()};
    }

    private static List<ServiceSample> services(Engine engine) {
        ListenerTable listeners = engine.tcp().listeners();
        List<ServiceSample> services = new ArrayList<>(listeners.size());
        for (int i = 0; i < listeners.size(); i++) {
            Listener listener = listeners.get(i);
            VirtualHost host = engine.hosts().byAddress(listener.address());
            ServiceCounters s = listener.counters();
            long[] faults = null;
            if (s.countsFaults()) {
                faults = new long[MetricsExposition.COUNTED_FAULTS.size()];
                for (int k = 0; k < faults.length; k++) {
                    faults[k] = s.faults(MetricsExposition.COUNTED_FAULTS.get(k));
                }
            }
            services.add(new ServiceSample(host == null ? Ipv4Address.format(listener.address()) : host.name(),
                    listener.port(), s.opened(), s.reset(), s.refused(), faults));
        }
        return services;
    }
}
