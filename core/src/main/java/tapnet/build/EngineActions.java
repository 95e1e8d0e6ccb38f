package tapnet.build;

import tapnet.topology.Action;
import tapnet.engine.Engine;
import tapnet.link.Impairments;
import tapnet.link.LinkDirection;
import tapnet.service.HttpService;
import tapnet.service.RoutedHttpService;
import tapnet.tcp.ConnectionHandler;
import tapnet.node.HostTable;
import tapnet.node.VirtualHost;
import tapnet.service.DnsTcpService;

/**
 * Applies an action to an engine, on the engine thread: the one path of every change, whether a script's
 * timeline or {@code tapnet ctl} asks for it. A command is not for the engine (it needs the kernel: the
 * live target runs it), and a mark changes nothing. Returns what it did, in a few words.
 */
public final class EngineActions {
    private EngineActions() {
    }

    /** @throws IllegalArgumentException when the action names what the engine does not have */
    public static String apply(Engine engine, Action action) {
        String elsewhere = playedElsewhere(engine, action);
        if (elsewhere != null) {
            return elsewhere;
        }
        if (action instanceof Action.Link l) {
            String node = l.change().node();
            engine.setLink(node, l.change().towardNode(current(engine, node, true)),
                    l.change().towardParent(current(engine, node, false)));
        } else if (action instanceof Action.LinkDown d) {
            engine.setLink(d.node(), current(engine, d.node(), true).withDown(d.down()),
                    current(engine, d.node(), false).withDown(d.down()));
        } else if (action instanceof Action.Partition p) {
            engine.partition(p.groups());
        } else if (action instanceof Action.Heal) {
            engine.heal();
        } else if (action instanceof Action.Host h) {
            if (h.running()) {
                engine.startHost(engine.node(h.host()));
            } else {
                engine.stopHost(engine.node(h.host()));
            }
        } else if (action instanceof Action.Service s) {
            if (s.running()) {
                engine.startService(engine.node(s.host()), s.port());
            } else {
                engine.stopService(engine.node(s.host()), s.port());
            }
        } else if (action instanceof Action.Faults f) {
            engine.setFaults(engine.node(f.host()), f.port(), f.faults());
        } else if (action instanceof Action.RouteFaults r) {
            routedService(engine, r.host(), r.port()).setFaults(r.route(), ServiceHandlers.faults(r.faults()));
        } else if (action instanceof Action.DnsFaults d) {
            dnsServer(engine).faults().replace(d.faults());
        } else if (action instanceof Action.Run) {
            throw new IllegalArgumentException("a command needs the kernel: this run has none (simulated)");
        }
        return "done";
    }

    /**
     * In a run of one part of a split topology: what another part does when the action concerns a node it
     * plays, or the DNS server (the first part's), so that a script or a client may send every change to
     * every part. Null when the action is this engine's.
     */
    private static String playedElsewhere(Engine engine, Action action) {
        String node = action instanceof Action.Link l ? l.change().node()
                : action instanceof Action.LinkDown d ? d.node()
                : action instanceof Action.Host h ? h.host()
                : action instanceof Action.Service s ? s.host()
                : action instanceof Action.Faults f ? f.host()
                : action instanceof Action.RouteFaults r ? r.host() : null;
        if (node != null && engine.remoteNodes().has(node)) { // the nodes this engine plays are none of them
            return "for another part: " + node + " is played there";
        }
        if (action instanceof Action.DnsFaults && engine.remoteNodes().any() && !hasDnsServer(engine)) {
            return "for another part: the first part plays the DNS server";
        }
        return null;
    }

    private static boolean hasDnsServer(Engine engine) {
        try {
            dnsServer(engine);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The HTTP service with routes on {@code host:port}. */
    private static RoutedHttpService routedService(Engine engine, String host, int port) {
        ConnectionHandler handler = engine.tcp().handler(engine.node(host).address(), port);
        if (!(handler instanceof RoutedHttpService service) || handler instanceof HttpService) {
            throw new IllegalArgumentException(host + ":" + port + " is not an http service with routes");
        }
        return service;
    }

    /**
     * The DNS server's TCP service, which shares the server's faults with its UDP one: its node is the last
     * {@link EngineBuilder} adds to the host table (after every host and router), so this looks at one entry,
     * not all.
     */
    private static DnsTcpService dnsServer(Engine engine) {
        HostTable hosts = engine.hosts();
        VirtualHost last = hosts.size() == 0 ? null : hosts.get(hosts.size() - 1);
        if (last != null && last.name().equals(EngineBuilder.dnsNodeName(last.address()))
                && engine.tcp().handler(last.address(), DnsTcpService.PORT) instanceof DnsTcpService dns
                && dns.faults() != null) {
            return dns;
        }
        throw new IllegalArgumentException("this topology has no DNS server, so no DNS faults to change");
    }

    private static Impairments current(Engine engine, String node, boolean towardNode) {
        LinkDirection direction = engine.link(node, towardNode);
        return direction == null ? Impairments.NONE : direction.impairments();
    }
}
