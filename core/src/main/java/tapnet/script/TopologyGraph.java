package tapnet.script;

import java.util.ArrayList;
import java.util.List;
import tapnet.link.Impairments;
import tapnet.topology.HostSpec;
import tapnet.topology.LinkSpec;
import tapnet.topology.ServiceSpec;
import tapnet.topology.Topology;
import tapnet.topology.yaml.LinkYaml;
import tapnet.topology.yaml.RouteFaultsReader;
import tapnet.wire.Ipv4Address;

/** A topology as the report draws it: its nodes, and an edge from each node to its parent with its link. */
public final class TopologyGraph {
    private TopologyGraph() {
    }

    public static List<RunReport.Node> nodes(Topology topology) {
        List<RunReport.Node> nodes = new ArrayList<>();
        nodes.add(new RunReport.Node(HostSpec.RESERVED_NAME, "tap",
                Ipv4Address.format(topology.tap().address()) + "/" + topology.tap().prefixLength()));
        topology.routers().forEach(r -> nodes.add(new RunReport.Node(r.name(), "router", Ipv4Address.format(r.address()))));
        topology.hosts().forEach(h -> nodes.add(new RunReport.Node(h.name(), "host", Ipv4Address.format(h.address()))));
        topology.ports().forEach(p -> nodes.add(new RunReport.Node(p.name(), "port", Ipv4Address.format(p.address()))));
        return nodes;
    }

    /** The routes of every http service, by host, port and number, named by method and path. */
    public static List<RunReport.HttpRouteName> httpRoutes(Topology topology) {
        List<RunReport.HttpRouteName> routes = new ArrayList<>();
        for (HostSpec host : topology.hosts()) {
            for (ServiceSpec service : host.services()) {
                ServiceSpec inner = service instanceof ServiceSpec.Tuned t ? t.service() : service;
                if (inner instanceof ServiceSpec.Http http) {
                    for (int i = 0; i < http.routes().size(); i++) {
                        routes.add(new RunReport.HttpRouteName(host.name(), http.port(), i + 1,
                                RouteFaultsReader.describe(http.routes().get(i))));
                    }
                }
            }
        }
        return routes;
    }

    public static List<RunReport.Edge> edges(Topology topology) {
        List<RunReport.Edge> edges = new ArrayList<>();
        for (String child : topology.linkedNodes()) {
            edges.add(new RunReport.Edge(topology.parentOf(child).orElseThrow(), child, link(topology, child)));
        }
        return edges;
    }

    /** The node's link as file keys, {@code delay: 20ms}; both directions when they differ; empty: perfect. */
    private static String link(Topology topology, String node) {
        for (LinkSpec l : topology.links()) {
            if (l.host().equals(node)) {
                String down = LinkYaml.keys(l.towardHost());
                String up = LinkYaml.keys(l.towardTap());
                if (down.equals(up)) {
                    return down;
                }
                return "down: {" + down + "}, up: {" + up + "}";
            }
        }
        return LinkYaml.keys(Impairments.NONE);
    }
}
