package tapnet.cli.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tapnet.engine.Engine;
import tapnet.link.Impairments;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.time.VirtualClock;
import tapnet.build.EngineBuilder;
import tapnet.topology.Topology;
import tapnet.topology.yaml.TopologyLoader;

/** What each control request does to a running engine's links, and what it answers. */
class ControlHandlerTest {
    private Topology topology;
    private Engine engine;
    private ControlHandler handler;

    @BeforeEach
    void start() throws Exception {
        topology = TopologyLoader.parse("t.yaml", """
                tap: { address: 10.77.0.1/24 }
                routers:
                  r1: { address: 10.77.0.254, subnet: 10.78.1.1/24 }
                hosts:
                  web: { address: 10.77.0.10 }
                  db: { address: 10.78.1.10 }
                links:
                  - { between: [r1, db], delay: 5ms }
                """);
        engine = EngineBuilder.build(topology, new VirtualClock(), new tapnet.frame.DiscardingSink(65_536));
        handler = new ControlHandler(topology, this::onEngine);
    }

    /** The engine thread, in a test: the caller's. */
    private <T> CompletableFuture<T> onEngine(Function<Engine, T> query) {
        return CompletableFuture.completedFuture(query.apply(engine));
    }

    @Test
    void linkReplacesTheLinkWithExactlyTheSpecAndAnswersWithIt() {
        assertEquals(ControlReply.ok(List.of("- {between: [tap, web], delay: 50ms, loss: 1%}")),
                handler.handle("link {between: [tap, web], delay: 50ms, loss: 1%}"));
        assertEquals(Impairments.NONE.withDelay(Duration.ofMillis(50)).withLoss(0.01), towardNode("web"));
        assertEquals(ControlReply.ok(List.of("- {between: [tap, web], delay: 10ms}")),
                handler.handle("link {between: [tap, web], delay: 10ms}"));
        assertEquals(ControlReply.ok(List.of("- {between: [tap, web]}")), handler.handle("link {between: [tap, web]}"));
        assertEquals(Impairments.NONE, towardNode("web"));
        assertEquals(Impairments.NONE, towardParent("web"));
    }

    @Test
    void oneDirectionChangesOnlyThatOne() {
        assertEquals(ControlReply.ok(List.of("- {from: r1, to: db, delay: 5ms}", "- {from: db, to: r1, rate: 1mbit}")),
                handler.handle("link {from: db, to: r1, rate: 1mbit}"));
        assertEquals(Impairments.NONE.withDelay(Duration.ofMillis(5)), towardNode("db"));
    }

    @Test
    void downAndUpKeepTheOtherImpairments() {
        handler.handle("link {between: [tap, web], delay: 50ms}");
        assertEquals(ControlReply.ok(List.of("- {between: [tap, web], down: true, delay: 50ms}")), handler.handle("down web"));
        assertTrue(towardNode("web").down());
        assertTrue(towardParent("web").down());
        assertEquals(ControlReply.ok(List.of("- {between: [tap, web], delay: 50ms}")), handler.handle("up web"));
        assertEquals(Impairments.NONE.withDelay(Duration.ofMillis(50)), towardParent("web"));
    }

    @Test
    void downWorksOnANodeWithoutALinkYet() {
        assertEquals(ControlReply.ok(List.of("- {between: [tap, r1], down: true}")), handler.handle("down r1"));
    }

    @Test
    void linksListsEachLinkWithItsCountersAsYamlComments() {
        List<String> lines = handler.handle("links").lines();
        assertEquals("- {between: [r1, db], delay: 5ms}", lines.get(0));
        assertTrue(lines.get(1).startsWith("  # r1 -> db: in 0 (0 bytes), delivered 0"), lines.toString());
        assertTrue(lines.get(2).startsWith("  # db -> r1: in 0"), lines.toString());
        assertEquals(3, lines.size(), lines.toString());
    }

    @Test
    void countersAreNameAndValueALine() {
        engine.counters().add(Counter.FRAMES_IN, 3);
        ControlReply reply = handler.handle("counters");
        assertTrue(reply.ok());
        assertTrue(reply.lines().contains("frames_in 3"), reply.lines().toString());
        assertTrue(reply.lines().stream().allMatch(l -> l.matches("\\S+ \\d+")), reply.lines().toString());
    }

    @Test
    void mistakesAreAnsweredAsErrorsAndChangeNothing() {
        ControlReply badKey = handler.handle("link {between: [tap, web], dealy: 50ms}");
        assertFalse(badKey.ok());
        assertTrue(badKey.lines().get(0).startsWith("ctl:1:23: 'dealy' is not a key of a link"), badKey.lines().toString());
        assertEquals(ControlReply.error("there is no host, router or port named 'mail'; expected one of: r1, web, db"),
                handler.handle("down mail"));
        assertFalse(handler.handle("reboot web").ok());
        assertEquals(null, engine.link(host("web"), true));
    }

    @Test
    void partitionCutsGroupsOffAndHealEndsIt() {
        assertEquals(ControlReply.ok(List.of("partitioned: tap, web | r1")), handler.handle("partition [[tap, web], [r1]]"));
        ControlReply unknown = handler.handle("partition [[tap], [mail]]");
        assertFalse(unknown.ok());
        assertTrue(unknown.lines().get(0).startsWith("ctl:1:10: there is no node named 'mail'"), unknown.lines().toString());
        ControlReply twice = handler.handle("partition [[tap, web], [web]]");
        assertTrue(twice.lines().get(0).contains("'web' is in two groups"), twice.lines().toString());
        assertFalse(handler.handle("partition tap").ok());
        assertEquals(ControlReply.ok(List.of("healed: every node reaches every other")), handler.handle("heal"));
    }

    @Test
    void aPortsLinkChangesLikeAHosts() throws Exception {
        Topology withPort = TopologyLoader.parse("p.yaml", """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web: { address: 10.77.0.10 }
                ports:
                  left: { netns: tapnet-left, address: 10.77.0.101 }
                """);
        Engine portEngine = EngineBuilder.build(withPort, new VirtualClock(), new tapnet.frame.DiscardingSink(65_536), List.of(new tapnet.frame.DiscardingSink(65_536)));
        ControlHandler ports = new ControlHandler(withPort, new tapnet.engine.EngineAccess() {
            @Override
            public <T> CompletableFuture<T> call(Function<Engine, T> query) {
                return CompletableFuture.completedFuture(query.apply(portEngine));
            }
        });
        assertEquals(ControlReply.ok(List.of("- {between: [tap, left], rate: 100mbit}")),
                ports.handle("link {between: [tap, left], rate: 100mbit}"));
        assertTrue(ports.handle("down left").ok());
        assertTrue(portEngine.portLink(portEngine.port("left"), true).impairments().down());
        assertTrue(ports.handle("links").lines().get(0).startsWith("- {between: [tap, left]"));
    }

    @Test
    void stopAndStartTakeAHostDownAndBackAsAScriptDoes() {
        assertEquals(ControlReply.ok(List.of("stopped: web")), handler.handle("stop web"));
        assertTrue(engine.hosts().isStopped(host("web")));
        assertEquals(ControlReply.ok(List.of("started: web")), handler.handle("start web"));
        assertFalse(engine.hosts().isStopped(host("web")));
        assertEquals(ControlReply.error("there is no host named 'r1'; expected one of: web, db"), handler.handle("stop r1"));
    }

    @Test
    void stopServiceAndStartServiceNameAServiceAsAScriptDoes() throws Exception {
        Topology served = TopologyLoader.parse("s.yaml", """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web: { address: 10.77.0.10, services: [ { port: 80, http: {} }, { port: 7, echo: {} } ] }
                  db: { address: 10.77.0.20 }
                """);
        Engine servedEngine = EngineBuilder.build(served, new VirtualClock(), new tapnet.frame.DiscardingSink(65_536));
        ControlHandler services = new ControlHandler(served, new tapnet.engine.EngineAccess() {
            @Override
            public <T> CompletableFuture<T> call(Function<Engine, T> query) {
                return CompletableFuture.completedFuture(query.apply(servedEngine));
            }
        });
        assertEquals(ControlReply.ok(List.of("stopped: web:80")), services.handle("stopService web:80"));
        assertEquals(ControlReply.ok(List.of("started: web:80")), services.handle("startService web:80"));
        assertEquals(ControlReply.error("host 'web' has no service on port 81; expected one of: web:80, web:7"),
                services.handle("stopService web:81"));
        assertEquals(ControlReply.error("host 'db' has no service on port 80; expected a host with services (db has none)"),
                services.handle("stopService db:80"));
        assertEquals(ControlReply.error("'web' is not a service; expected a host and the port of one of its services, like web:80"),
                services.handle("stopService web"));
        assertEquals(ControlReply.error("'web:99999' is not a service; expected a host and the port of one of its services,"
                + " like web:80"), services.handle("startService web:99999"));
        assertEquals(ControlReply.error("there is no host named 'mail'; expected one of: web, db"),
                services.handle("startService mail:80"));
    }

    @Test
    void dnsFaultsReplacesTheServersFaultsAndAnEmptyListClearsThem() throws Exception {
        Topology withDns = TopologyLoader.parse("t.yaml", """
                tap: { address: 10.77.0.1/24 }
                hosts: { web: { address: 10.77.0.10 } }
                dns: { address: 10.77.0.53, domain: shop.test, faults: [ { name: web, timeout: {} } ] }
                """);
        engine = EngineBuilder.build(withDns, new VirtualClock(), new tapnet.frame.DiscardingSink(65_536));
        ControlHandler dns = new ControlHandler(withDns, this::onEngine);
        assertEquals(ControlReply.ok(List.of("dnsFaults [{name: web, servfail: {}, first: 2}, {name: \"*\", ttl: 0}]")),
                dns.handle("dnsFaults [ {name: web, servfail: {}, first: 2}, {name: \"*\", ttl: 0} ]"));
        assertEquals(ControlReply.ok(List.of("dnsFaults (none)")), dns.handle("dnsFaults []"));
        ControlReply typo = dns.handle("dnsFaults [ {name: web, servfial: {}} ]");
        assertFalse(typo.ok());
        assertTrue(typo.lines().get(0).startsWith("ctl:1:15: 'servfial' is not a key of a DNS fault"), typo.lines().toString());
    }

    @Test
    void dnsFaultsWithoutADnsServerIsAnError() {
        assertEquals(ControlReply.error("this topology has no DNS server, so no DNS faults to change; expected a topology with"
                + " dns: { address: ..., domain: ... }"), handler.handle("dnsFaults []"));
    }

    @Test
    void anEngineThatCannotAnswerIsAnError() {
        ControlHandler stuck = new ControlHandler(topology, new tapnet.engine.EngineAccess() {
            @Override
            public <T> CompletableFuture<T> call(Function<Engine, T> query) {
                return CompletableFuture.failedFuture(new IllegalStateException("the engine has stopped"));
            }
        });
        ControlReply reply = stuck.handle("links");
        assertFalse(reply.ok());
        assertEquals(List.of("the engine has stopped"), reply.lines());
    }

    private Impairments towardNode(String name) {
        return engine.link(host(name), true).impairments();
    }

    private Impairments towardParent(String name) {
        return engine.link(host(name), false).impairments();
    }

    private VirtualHost host(String name) {
        return engine.hosts().all().stream().filter(h -> h.name().equals(name)).findFirst().orElseThrow();
    }
}
