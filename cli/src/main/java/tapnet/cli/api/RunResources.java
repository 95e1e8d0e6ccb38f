package tapnet.cli.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tapnet.topology.Action;
import tapnet.topology.HostSpec;
import tapnet.topology.PortSpec;
import tapnet.topology.RouterSpec;
import tapnet.topology.ServiceSpec;
import tapnet.topology.Topology;
import tapnet.dns.DnsFaults;
import tapnet.topology.yaml.ActionText;
import tapnet.topology.yaml.ApiBodies;
import tapnet.topology.yaml.FaultYaml;
import tapnet.topology.yaml.TopologyException;
import tapnet.wire.Ipv4Address;

/**
 * The run as a whole: {@code /v1/topology}, {@code /v1/partition}, {@code /v1/counters}, {@code /v1/events},
 * {@code /v1/reset} and {@code /v1/dns/faults}.
 */
final class RunResources {
    /** What the run is beside its topology: its file, its TAP device and its namespace (null: the current one). */
    record RunInfo(String file, String device, String netns) {
    }

    private final Topology topology;
    private final RunInfo run;
    private final EngineDoor engine;
    /** Counters kept outside the engine (the API's own, the run's), listed after the engine's. */
    private final Supplier<Map<String, Long>> others;

    RunResources(Topology topology, RunInfo run, EngineDoor engine, Supplier<Map<String, Long>> others) {
        this.topology = topology;
        this.run = run;
        this.engine = engine;
        this.others = others;
    }

    /** GET /v1/topology: the nodes, with whether hosts and services run now. */
    ApiReply topology() {
        RunState state = engine.changes().state();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", topology.name());
        json.put("seed", topology.seed());
        json.put("file", run.file());
        json.put("tap", map("device", run.device(), "address", Ipv4Address.format(topology.tap().address()) + "/"
                + topology.tap().prefixLength(), "netns", run.netns()));
        List<Object> hosts = new ArrayList<>();
        for (HostSpec h : topology.hosts()) {
            List<Object> services = new ArrayList<>();
            for (ServiceSpec s : h.services()) {
                services.add(map("port", s.port(), "protocol", s.udp() ? "udp" : "tcp", "kind", s.kind(),
                        "running", state.running(h.name(), s.port())));
            }
            Map<String, Object> host = map("name", h.name(), "address", Ipv4Address.format(h.address()),
                    "running", state.running(h.name()));
            host.put("services", services);
            hosts.add(host);
        }
        json.put("hosts", hosts);
        List<Object> routers = new ArrayList<>();
        for (RouterSpec r : topology.routers()) {
            routers.add(map("name", r.name(), "address", Ipv4Address.format(r.address()), "subnet", r.subnet()));
        }
        json.put("routers", routers);
        List<Object> ports = new ArrayList<>();
        for (PortSpec p : topology.ports()) {
            ports.add(map("name", p.name(), "address", Ipv4Address.format(p.address()), "netns", p.netns()));
        }
        json.put("ports", ports);
        json.put("dns", topology.dns() == null ? null
                : map("address", Ipv4Address.format(topology.dns().address()), "domain", topology.dns().domain()));
        return ApiReply.ok(json);
    }

    /** GET /v1/partition. */
    ApiReply partition() {
        return partitionAnswer(engine.changes().state().partition());
    }

    /** PUT /v1/partition: body {"groups": [[...], [...]]}, or the list of groups alone (ctl's partition GROUPS). */
    ApiReply partition(String body, String source) {
        List<List<String>> groups;
        try {
            groups = ApiBodies.partition(source, body, topology);
        } catch (TopologyException mistakes) {
            throw ApiException.body(mistakes);
        }
        engine.apply(List.of(new Action.Partition(groups)), source, e -> null);
        return partitionAnswer(groups);
    }

    /** DELETE /v1/partition: healed. */
    ApiReply heal(String source) {
        engine.apply(List.of(new Action.Heal()), source, e -> null);
        return partitionAnswer(List.of());
    }

    private static ApiReply partitionAnswer(List<List<String>> groups) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("groups", groups);
        return ApiReply.ok(json, List.of(groups.isEmpty() ? "healed: every node reaches every other"
                : "partitioned: " + String.join(" | ", groups.stream().map(g -> String.join(", ", g)).toList())));
    }

    /** GET /v1/counters: every counter, zeros too; in text, ctl's: those not zero, {@code name value} a line. */
    ApiReply counters() {
        Map<String, Long> all = new LinkedHashMap<>(engine.call(e -> e.counters().snapshot(true)));
        Map<String, Long> theirs = others.get();
        all.putAll(theirs);
        List<String> text = new ArrayList<>();
        all.forEach((name, value) -> {
            if (value != 0) {
                text.add(name + " " + value);
            }
        });
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("counters", all);
        return ApiReply.ok(json, text);
    }

    /** GET /v1/events?since=SEQ. */
    ApiReply events(String since) {
        long after = 0;
        if (since != null) {
            if (!since.matches("[0-9]{1,18}")) {
                throw new ApiException(400, "'since' is '" + since + "'; expected the number of an event (0 or more),"
                        + " like ?since=12");
            }
            after = Long.parseLong(since);
        }
        return ApiReply.ok(engine.changes().events().since(after));
    }

    /** POST /v1/reset: back to the file's links, partition, faults and running hosts and services, in one engine call. */
    ApiReply reset() {
        int changes = engine.call(e -> {
            List<Action> actions = engine.changes().state().resetActions(e);
            engine.applyHere(e, actions, "reset");
            return actions.size();
        });
        return ApiReply.ok(map("reset", true, "events", changes), List.of("reset: " + changes + " change"
                + (changes == 1 ? "" : "s") + " back to the file's state"));
    }

    /** GET, PUT (body {"faults": [...]}, or the list alone: ctl's dnsFaults) or DELETE the DNS server's faults. */
    ApiReply dnsFaults(String method, String body, String source) {
        if (topology.dns() == null) {
            throw new ApiException(409, "this topology has no DNS server, so no DNS faults to change; expected a topology"
                    + " with dns: { address: ..., domain: ... }");
        }
        if (!method.equals("GET")) {
            List<DnsFaults.Rule> rules;
            try {
                rules = method.equals("DELETE") ? List.of() : ApiBodies.dnsFaults(source, body, topology);
            } catch (TopologyException mistakes) {
                throw ApiException.body(mistakes);
            }
            engine.apply(List.of(new Action.DnsFaults(rules)), source, e -> null);
        }
        List<DnsFaults.Rule> now = engine.changes().state().dnsFaults();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("faults", now.isEmpty() ? List.of() : ApiBodies.tree(FaultYaml.dnsList(now))); // dnsList writes (none)
        return ApiReply.ok(json, List.of(ActionText.of(new Action.DnsFaults(now))));
    }

    /** A map of keys and values, in order. */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }
}
