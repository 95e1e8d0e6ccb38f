package tapnet.client;

import java.util.List;
import java.util.Optional;

/** The run's network as {@code GET /v1/topology} gives it: what the file made, and what is running now. */
public record Topology(String name, long seed, String file, Tap tap, List<Host> hosts, List<Router> routers,
                       List<Port> ports, Optional<Dns> dns) {

    public Topology {
        hosts = List.copyOf(hosts);
        routers = List.copyOf(routers);
        ports = List.copyOf(ports);
    }

    /** The kernel's side: the TAP device, its address (with prefix) and the namespace it is in ("" for none). */
    public record Tap(String device, String address, String netns) {
    }

    public record Host(String name, String address, boolean running, List<Service> services) {
        public Host {
            services = List.copyOf(services);
        }
    }

    /** A service: its port, protocol (tcp, udp), kind (http, echo, banner...) and whether it runs. */
    public record Service(int port, String protocol, String kind, boolean running) {
    }

    public record Router(String name, String address, String subnet) {
    }

    public record Port(String name, String address, String netns) {
    }

    public record Dns(String address, String domain) {
    }

    /** The host of that name. */
    public Optional<Host> host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
    }

    static Topology from(Object json) {
        Fields t = Fields.of(json, "the topology");
        Fields tap = t.object("tap");
        List<Host> hosts = t.list("hosts").stream().map(h -> Fields.of(h, "a host")).map(h -> new Host(h.string("name"),
                h.string("address"), h.bool("running"), h.list("services").stream().map(s -> Fields.of(s, "a service"))
                .map(s -> new Service((int) s.number("port"), s.string("protocol"), s.string("kind"), s.bool("running"))).toList()))
                .toList();
        List<Router> routers = t.list("routers").stream().map(r -> Fields.of(r, "a router"))
                .map(r -> new Router(r.string("name"), r.string("address"), r.string("subnet"))).toList();
        List<Port> ports = t.list("ports").stream().map(p -> Fields.of(p, "a port"))
                .map(p -> new Port(p.string("name"), p.string("address"), p.string("netns"))).toList();
        Optional<Dns> dns = t.has("dns") ? Optional.of(t.object("dns")).map(d -> new Dns(d.string("address"), d.string("domain")))
                : Optional.empty();
        return new Topology(t.string("name"), t.number("seed"), t.string("file"),
                new Tap(tap.string("device"), tap.string("address"), tap.string("netns")), hosts, routers, ports, dns);
    }
}
