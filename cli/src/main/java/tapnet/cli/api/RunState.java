package tapnet.cli.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tapnet.dns.DnsFaults;
import tapnet.engine.Engine;
import tapnet.link.Impairments;
import tapnet.link.LinkDirection;
import tapnet.tcp.ConnectionFaults;
import tapnet.topology.Action;
import tapnet.topology.HostSpec;
import tapnet.topology.HttpRoute;
import tapnet.topology.LinkSpec;
import tapnet.topology.ServiceSpec;
import tapnet.topology.Topology;

/**
 * What the run's changes made of what the engine does not report back as the file says it: the partition,
 * services' and routes' faults, hosts and services stopped. It starts as the file's state and follows
 * every action applied (from the API, ctl, the script or a reset: they all pass {@link #applied}); from it
 * and the engine's links, {@link #resetActions} finds what a reset must undo. Synchronized: the engine
 * thread and the API's threads use it.
 */
final class RunState {
    private final Topology topology;
    private List<List<String>> partition = List.of();
    /** By {@code host:port}: faults now, when a change set them (else the file's). */
    private final Map<String, List<ConnectionFaults.Rule>> faults = new HashMap<>();
    /** By {@code host:port:route}. */
    private final Map<String, List<HttpRoute.Fault>> routeFaults = new HashMap<>();
    private final Set<String> stoppedHosts = new HashSet<>();
    private final Set<String> stoppedServices = new HashSet<>();
    /** The DNS server's faults now, when a change set them (else the file's). */
    private List<DnsFaults.Rule> dnsFaults;

    RunState(Topology topology) {
        this.topology = topology;
    }

    /** Follows an action the engine applied. */
    synchronized void applied(Action action) {
        if (action instanceof Action.Partition p) {
            partition = List.copyOf(p.groups());
        } else if (action instanceof Action.Heal) {
            partition = List.of();
        } else if (action instanceof Action.Host h) {
            if (h.running()) {
                stoppedHosts.remove(h.host());
            } else {
                stoppedHosts.add(h.host());
            }
        } else if (action instanceof Action.Service s) {
            if (s.running()) {
                stoppedServices.remove(s.host() + ":" + s.port());
            } else {
                stoppedServices.add(s.host() + ":" + s.port());
            }
        } else if (action instanceof Action.Faults f) {
            faults.put(f.host() + ":" + f.port(), List.copyOf(f.faults()));
        } else if (action instanceof Action.RouteFaults r) {
            routeFaults.put(r.host() + ":" + r.port() + ":" + r.route(), r.faults());
        } else if (action instanceof Action.DnsFaults d) {
            dnsFaults = List.copyOf(d.faults());
        }
    }

    synchronized List<List<String>> partition() {
        return partition;
    }

    synchronized boolean running(String host) {
        return !stoppedHosts.contains(host);
    }

    synchronized boolean running(String host, int port) {
        return !stoppedServices.contains(host + ":" + port);
    }

    synchronized List<ConnectionFaults.Rule> faults(String host, int port) {
        return faults.getOrDefault(host + ":" + port, fileFaults(host, port));
    }

    /** The DNS server's faults now; the topology has a DNS server. */
    synchronized List<DnsFaults.Rule> dnsFaults() {
        return dnsFaults != null ? dnsFaults : topology.dns().faults();
    }

    synchronized List<HttpRoute.Fault> routeFaults(String host, int port, int route) {
        return routeFaults.getOrDefault(host + ":" + port + ":" + route, fileRoutes(host, port).get(route - 1).faults());
    }

    /**
     * The actions that bring the run back to the file's state, only those that change something: links
     * (read from the engine), the partition, hosts and services stopped, services', routes' and DNS faults.
     * Engine thread.
     */
    synchronized List<Action> resetActions(Engine engine) {
        List<Action> actions = new ArrayList<>();
        for (String node : topology.linkedNodes()) {
            LinkSpec file = topology.links().stream().filter(l -> l.host().equals(node)).findFirst()
                    .orElse(new LinkSpec(node, Impairments.NONE, Impairments.NONE));
            Impairments toNode = current(engine, node, true);
            Impairments fromNode = current(engine, node, false);
            if (!toNode.equals(file.towardHost()) || !fromNode.equals(file.towardTap())) {
                actions.addAll(LinkResources.exactly(node, file.towardHost(), file.towardTap()));
            }
        }
        if (!partition.isEmpty()) {
            actions.add(new Action.Heal());
        }
        stoppedHosts.stream().sorted().forEach(h -> actions.add(new Action.Host(h, true)));
        stoppedServices.stream().sorted().forEach(s -> {
            int colon = s.lastIndexOf(':');
            actions.add(new Action.Service(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)), true));
        });
        faults.forEach((service, now) -> {
            int colon = service.lastIndexOf(':');
            String host = service.substring(0, colon);
            int port = Integer.parseInt(service.substring(colon + 1));
            if (!now.equals(fileFaults(host, port))) {
                actions.add(new Action.Faults(host, port, fileFaults(host, port)));
            }
        });
        routeFaults.forEach((route, now) -> {
            String[] parts = route.split(":");
            int port = Integer.parseInt(parts[1]);
            int n = Integer.parseInt(parts[2]);
            List<HttpRoute.Fault> file = fileRoutes(parts[0], port).get(n - 1).faults();
            if (!now.equals(file)) {
                actions.add(new Action.RouteFaults(parts[0], port, n, file));
            }
        });
        if (dnsFaults != null && !dnsFaults.equals(topology.dns().faults())) {
            actions.add(new Action.DnsFaults(topology.dns().faults()));
        }
        return actions;
    }

    private static Impairments current(Engine engine, String node, boolean towardNode) {
        LinkDirection direction = engine.link(node, towardNode);
        return direction == null ? Impairments.NONE : direction.impairments();
    }

    private List<ConnectionFaults.Rule> fileFaults(String host, int port) {
        return topology.host(host).flatMap(h -> h.service(port)).map(ServiceSpec::faults).orElse(List.of());
    }

    /** The routes of the http service on {@code host:port}, in file order; empty when it has none. */
    List<HttpRoute> fileRoutes(String host, int port) {
        return topology.host(host).flatMap(h -> h.service(port)).map(RunState::untuned)
                .map(s -> s instanceof ServiceSpec.Http http ? http.routes() : List.<HttpRoute>of()).orElse(List.of());
    }

    static ServiceSpec untuned(ServiceSpec s) {
        return s instanceof ServiceSpec.Tuned t ? t.service() : s;
    }

    static String hostNames(Topology topology) {
        return String.join(", ", topology.hosts().stream().map(HostSpec::name).toList());
    }
}
