package tapnet.topology.yaml;

import tapnet.select.Selector;
import tapnet.topology.LinkChange;
import tapnet.topology.Topology;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tapnet.link.Impairments;
import tapnet.observe.DropReason;
import tapnet.topology.Action;
import tapnet.topology.CaptureSpec;
import tapnet.topology.EventSpec;
import tapnet.topology.EventSpec.Trigger;
import tapnet.topology.ExpectationSpec;
import tapnet.topology.ExpectationSpec.Comparison;
import tapnet.topology.ExpectationSpec.Metric;
import tapnet.topology.ExpectationSpec.Window;
import tapnet.topology.ProbeSpec;
import tapnet.topology.ProbeSpec.Kind;
import tapnet.topology.Script;
import tapnet.tcp.ConnectionFaults;

/**
 * A topology's {@code script:} reads into the model of {@code tapnet.script}, defaults filled in; each kind
 * of mistake is reported at its line and column, as {@link TopologyErrorsTest} does for the rest of a file.
 */
class ScriptReaderTest {
    /**
     * A network for the scripts: a port (client), two hosts with services, and the script's first two lines.
     * Whatever a test adds starts on line 9, indented by two.
     */
    private static final String HEAD = """
            name: shop
            tap: { address: 10.77.0.1/24 }
            ports: { client: { netns: tapnet-client, address: 10.77.0.101 } }
            hosts:
              web: { address: 10.77.0.10, services: [ { port: 80, http: {} }, { port: 9, discard: {} } ] }
              db: { address: 10.77.0.20, services: [ { port: 7, echo: {} } ] }
            script:
              duration: 30s
            """;

    private static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    @Test
    void theWholeSchemaReadsIntoTheModel() throws Exception {
        Topology topology = TopologyLoader.parse("shop.yaml", HEAD + """
                  probes:
                    web:   { connect: 10.77.0.10:80, every: 200ms, timeout: 1s, from: tap }
                    rtt:   { ping: 10.77.0.10 }
                    page:  { http: "http://10.77.0.10/", from: client }
                    bulk:  { bulk: 10.77.0.10:9, size: 1MiB, every: 5s }
                    local: { connect: 10.77.0.20:7, from: db }
                  events:
                    - { at: 5s, down: web }
                    - { at: 8s, up: web }
                    - { name: flap, at: 3s, link: { between: [tap, db], loss: 30% } }
                    - { every: 2s, from: 10s, until: 20s, mark: "tick" }
                    - { every: 10s, mark: "tock" }
                    - { after: flap, delay: 1s, link: { between: [tap, db] } }
                    - { after: flap, mark: "flapped" }
                    - { when: { probe: web, fails: true }, mark: "web failed" }
                    - { when: { probe: rtt, fails: false }, delay: 2s, mark: "rtt back" }
                    - { at: 12s, partition: [[tap], [web]] }
                    - { at: 14s, heal: true }
                    - { at: 15s, stop: web }
                    - { at: 16s, start: web }
                    - { at: 16s, stopService: web:80 }
                    - { at: 17s, startService: "web:80" }
                    - { at: 17s, faults: { service: web:80, synDrop: { first: 2 }, synAckDelay: 200ms } }
                    - { at: 17s, faults: { service: web:80, refuse: {}, ackDrop: { value: 3, probability: 10% } } }
                    - { at: 18s, faults: { service: web:80 } }
                    - { at: 18s, run: { in: tap, command: [curl, -sf, "http://10.77.0.10/"], timeout: 5s, exit: 0 } }
                    - { at: 18s, run: { in: client, command: "ping -c 1  10.77.0.10" } }
                    - { at: 19s, mark: "before the end" }
                  expect:
                    - { name: "web answers before the flap", probe: web, during: [0s, 5s], success: ">= 99%" }
                    - { probe: web, during: [5500ms, 7500ms], success: "== 0%" }
                    - { probe: rtt, after: 10s, p99: "< 50ms" }
                    - { probe: bulk, at: end, median: "> 5mbit" }
                    - { counter: drop.link_down, during: [5s, 8s], value: ">= 1" }
                    - { counter: tcp_connections_opened, at: end, value: "> 10" }
                    - { probe: page, at: end, count: ">=10" }
                    - { probe: page, at: end, failures: "<= 1" }
                    - { probe: rtt, at: end, mean: "<= 1.5ms" }
                  capture: { links: [web, db], maxSize: 16MiB, files: 2 }
                """);
        List<ProbeSpec> probes = List.of(
                new ProbeSpec("web", Kind.CONNECT, "10.77.0.10:80", "tap", ms(200), s(1), 0),
                new ProbeSpec("rtt", Kind.PING, "10.77.0.10", "tap", s(1), s(1), 0),
                new ProbeSpec("page", Kind.HTTP, "http://10.77.0.10/", "client", s(1), s(1), 0),
                new ProbeSpec("bulk", Kind.BULK, "10.77.0.10:9", "tap", s(5), s(10), 1 << 20),
                new ProbeSpec("local", Kind.CONNECT, "10.77.0.20:7", "db", s(1), s(1), 0));
        List<EventSpec> events = List.of(
                new EventSpec(null, new Trigger.At(s(5)), new Action.LinkDown("web", true)),
                new EventSpec(null, new Trigger.At(s(8)), new Action.LinkDown("web", false)),
                new EventSpec("flap", new Trigger.At(s(3)), new Action.Link(new LinkChange("db", true, true,
                        Impairments.NONE.withLoss(0.30, 0)))),
                new EventSpec(null, new Trigger.Every(s(2), s(10), s(20)), new Action.Mark("tick")),
                new EventSpec(null, new Trigger.Every(s(10), Duration.ZERO, s(30)), new Action.Mark("tock")),
                new EventSpec(null, new Trigger.After("flap", s(1)), new Action.Link(new LinkChange("db", true, true,
                        Impairments.NONE))),
                new EventSpec(null, new Trigger.After("flap", Duration.ZERO), new Action.Mark("flapped")),
                new EventSpec(null, new Trigger.When("web", false, Duration.ZERO), new Action.Mark("web failed")),
                new EventSpec(null, new Trigger.When("rtt", true, s(2)), new Action.Mark("rtt back")),
                new EventSpec(null, new Trigger.At(s(12)), new Action.Partition(List.of(List.of("tap"), List.of("web")))),
                new EventSpec(null, new Trigger.At(s(14)), new Action.Heal()),
                new EventSpec(null, new Trigger.At(s(15)), new Action.Host("web", false)),
                new EventSpec(null, new Trigger.At(s(16)), new Action.Host("web", true)),
                new EventSpec(null, new Trigger.At(s(16)), new Action.Service("web", 80, false)),
                new EventSpec(null, new Trigger.At(s(17)), new Action.Service("web", 80, true)),
                new EventSpec(null, new Trigger.At(s(17)), new Action.Faults("web", 80, List.of(
                        new ConnectionFaults.Rule(ConnectionFaults.Kind.SYN_DROP, 0, new Selector.First(2)),
                        new ConnectionFaults.Rule(ConnectionFaults.Kind.SYN_ACK_DELAY, ms(200).toNanos(),
                                new Selector.All())))),
                new EventSpec(null, new Trigger.At(s(17)), new Action.Faults("web", 80, List.of(
                        new ConnectionFaults.Rule(ConnectionFaults.Kind.REFUSE, 0, new Selector.All()),
                        new ConnectionFaults.Rule(ConnectionFaults.Kind.ACK_DROP, 3,
                                new Selector.Probability(0.10))))),
                new EventSpec(null, new Trigger.At(s(18)), new Action.Faults("web", 80, List.of())),
                new EventSpec(null, new Trigger.At(s(18)), new Action.Run("tap", List.of("curl", "-sf", "http://10.77.0.10/"),
                        s(5), 0)),
                new EventSpec(null, new Trigger.At(s(18)), new Action.Run("client", List.of("ping", "-c", "1", "10.77.0.10"),
                        s(10), null)),
                new EventSpec(null, new Trigger.At(s(19)), new Action.Mark("before the end")));
        Window end = new Window(Duration.ZERO, Window.END, "at end");
        List<ExpectationSpec> expectations = List.of(
                new ExpectationSpec("web answers before the flap", "web", null, new Window(Duration.ZERO, s(5), "during [0s, 5s]"),
                        Metric.SUCCESS, Comparison.AT_LEAST, 0.99, "success >= 99%"),
                new ExpectationSpec("web success == 0% during [5500ms, 7500ms]", "web", null,
                        new Window(ms(5500), ms(7500), "during [5500ms, 7500ms]"), Metric.SUCCESS, Comparison.EQUAL, 0, "success == 0%"),
                new ExpectationSpec("rtt p99 < 50ms after 10s", "rtt", null, new Window(s(10), Window.END, "after 10s"),
                        Metric.P99, Comparison.LESS, 50, "p99 < 50ms"),
                new ExpectationSpec("bulk median > 5mbit at end", "bulk", null, end, Metric.MEDIAN, Comparison.MORE, 5,
                        "median > 5mbit"),
                new ExpectationSpec("drop.link_down value >= 1 during [5s, 8s]", null, "drop.link_down",
                        new Window(s(5), s(8), "during [5s, 8s]"), Metric.VALUE, Comparison.AT_LEAST, 1, "value >= 1"),
                new ExpectationSpec("tcp_connections_opened value > 10 at end", null, "tcp_connections_opened", end,
                        Metric.VALUE, Comparison.MORE, 10, "value > 10"),
                new ExpectationSpec("page count >= 10 at end", "page", null, end, Metric.COUNT, Comparison.AT_LEAST, 10,
                        "count >= 10"),
                new ExpectationSpec("page failures <= 1 at end", "page", null, end, Metric.FAILURES, Comparison.AT_MOST, 1,
                        "failures <= 1"),
                new ExpectationSpec("rtt mean <= 1.5ms at end", "rtt", null, end, Metric.MEAN, Comparison.AT_MOST, 1.5,
                        "mean <= 1.5ms"));
        Script expected = new Script(s(30), probes, events, expectations, new CaptureSpec(List.of("web", "db"), 16 << 20, 2));
        Script script = topology.script();
        assertEquals(expected.duration(), script.duration());
        assertEquals(expected.probes(), script.probes());
        assertEquals(expected.events(), script.events());
        assertEquals(expected.expectations(), script.expectations());
        assertEquals(expected, script);
    }

    @Test
    void aTopologyWithoutAScriptHasNone() throws Exception {
        assertNull(TopologyLoader.parse("shop.yaml", "tap: { address: 10.77.0.1/24 }\nhosts: { web: { address: 10.77.0.10 } }\n")
                .script());
    }

    @Test
    void aScriptOfADurationAloneHasNoProbesEventsExpectationsOrCapture() throws Exception {
        assertEquals(new Script(s(30), List.of(), List.of(), List.of(), null), TopologyLoader.parse("shop.yaml", HEAD).script());
    }

    @Test
    void captureTrueTakesTheDefaultsAndFalseCapturesNothing() throws Exception {
        assertEquals(new CaptureSpec(List.of(), CaptureSpec.DEFAULT_MAX_BYTES, CaptureSpec.DEFAULT_FILES),
                TopologyLoader.parse("shop.yaml", HEAD + "  capture: true\n").script().capture());
        assertNull(TopologyLoader.parse("shop.yaml", HEAD + "  capture: false\n").script().capture());
        assertEquals(new CaptureSpec(List.of(), CaptureSpec.DEFAULT_MAX_BYTES, CaptureSpec.DEFAULT_FILES),
                TopologyLoader.parse("shop.yaml", HEAD + "  capture: {}\n").script().capture());
    }

    // ------------------------------------------------------------------------------------------------
    // the script as a whole
    // ------------------------------------------------------------------------------------------------

    @Test
    void anUnknownKeyOfTheScriptNamesItsKeys() {
        assertErrors(HEAD + """
                  expects: []
                """,
                "shop.yaml:9:3: 'expects' is not a key of a script; expected one of: duration, probes, events, expect, capture");
    }

    @Test
    void aScriptNeedsADuration() {
        assertErrors("""
                tap: { address: 10.77.0.1/24 }
                hosts: { web: { address: 10.77.0.10 } }
                script:
                  events: [ { at: 1s, mark: go } ]
                """,
                "shop.yaml:3:1: the script has no 'duration'; expected how long the run lasts, like duration: 30s");
    }

    @Test
    void aScriptThatIsAListIsReported() {
        assertErrors("""
                tap: { address: 10.77.0.1/24 }
                hosts: { web: { address: 10.77.0.10 } }
                script: []
                """,
                "shop.yaml:3:9: a list is not a script; expected a mapping with keys from: duration, probes, events, expect, capture");
    }

    @Test
    void whenTheNetworkHasErrorsTheWholeScriptIsStillChecked() {
        assertErrors("""
                tap: { address: 10.77.0.1/24 }
                hosts: { web: { adress: 10.77.0.10 } }
                script:
                  duration: 30
                  events: [ { at: 1s, down: nowhere }, { at: 2s, down: web }, { at: 3s, dwn: web } ]
                """,
                "shop.yaml:2:10: host 'web' has no 'address'; expected an IPv4 address in 10.77.0.0/24, like 10.77.0.2",
                "shop.yaml:2:17: 'adress' is not a key of a host; expected one of: address, address6, mac, services",
                "shop.yaml:4:13: '30' is not a duration; write it with a unit, like 20ms or 1.5s",
                "shop.yaml:5:29: there is no host, router or port named 'nowhere'; expected one of: web",
                // down: web is no mistake of its own: web's are reported where web is
                "shop.yaml:5:73: 'dwn' is not a key of an event; expected one of: name, at, every, from, until, after,"
                        + " delay, when, link, down, up, partition, heal, stop, start, stopService, startService, faults,"
                        + " routeFaults, dnsFaults, run, mark");
    }

    // ------------------------------------------------------------------------------------------------
    // probes
    // ------------------------------------------------------------------------------------------------

    @Test
    void aProbeNeedsExactlyOneKind() {
        assertErrors(HEAD + """
                  probes:
                    web: { every: 1s }
                    both: { ping: 10.77.0.10, connect: 10.77.0.10:80 }
                """,
                "shop.yaml:10:5: probe 'web' has no kind; expected exactly one of: ping, connect, http, bulk, dns, counter",
                "shop.yaml:11:31: 'connect' is a second kind for probe 'both', which is already 'ping'; expected exactly"
                        + " one of: ping, connect, http, bulk, dns, counter");
    }

    @Test
    void aMisspeltProbeKeyNamesTheKeysOfAProbe() {
        assertErrors(HEAD + """
                  probes:
                    web: { conect: 10.77.0.10:80 }
                """,
                "shop.yaml:10:12: 'conect' is not a key of a probe; expected one of: ping, connect, http, bulk, dns, counter,"
                        + " every, timeout, from, size, type");
    }

    @Test
    void probeTargetsThatDoNotParseAreReported() {
        assertErrors(HEAD + """
                  probes:
                    a: { ping: 10.77.0.300 }
                    b: { connect: 10.77.0.10 }
                    c: { bulk: "10.77.0.10:99999", size: 1MiB }
                    d: { http: "https://10.77.0.10/" }
                    e: { http: "http://web/" }
                    f: { connect: "fd77::10:80" }
                """,
                "shop.yaml:10:16: '10.77.0.300' is not an IP address; expected an IPv4 or IPv6 address, like 10.77.0.10 or fd77::10",
                "shop.yaml:11:19: '10.77.0.10' is not an address and port; expected an address and a TCP port from 1"
                        + " to 65535, like 10.77.0.10:80 or [fd77::10]:80",
                "shop.yaml:12:16: '10.77.0.10:99999' is not an address and port; expected an address and a TCP port"
                        + " from 1 to 65535, like 10.77.0.10:9 or [fd77::10]:9",
                "shop.yaml:13:16: 'https://10.77.0.10/' is not an http URL; expected an http URL with an address, like"
                        + " http://10.77.0.10/, http://10.77.0.10:8080/health or http://[fd77::10]/",
                "shop.yaml:14:16: 'http://web/' is not an http URL; expected an http URL with an address, like"
                        + " http://10.77.0.10/, http://10.77.0.10:8080/health or http://[fd77::10]/",
                "shop.yaml:15:19: 'fd77::10:80' is not an address and port; expected an address and a TCP port from 1"
                        + " to 65535, like 10.77.0.10:80 or [fd77::10]:80");
    }

    @Test
    void ipv6ProbeTargetsAreTaken() throws Exception {
        Topology topology = TopologyLoader.parse("shop.yaml", HEAD + """
                  probes:
                    a: { ping: "fd77::10" }
                    b: { connect: "[fd77::10]:80" }
                    c: { http: "http://[fd77::10]:8080/health" }
                """);
        assertEquals(List.of("fd77::10", "[fd77::10]:80", "http://[fd77::10]:8080/health"),
                topology.script().probes().stream().map(ProbeSpec::target).toList());
    }

    @Test
    void aProbeFromNoTapPortOrHostIsReported() {
        assertErrors(HEAD + """
                  probes:
                    web: { connect: 10.77.0.10:80, from: nobody }
                """,
                "shop.yaml:10:42: there is no tap, port or host named 'nobody'; expected one of: tap, client, web, db");
    }

    @Test
    void aCounterProbeReadsOneOfTapnetsCountersFromNoMachine() throws Exception {
        Topology t = TopologyLoader.parse("shop.yaml", HEAD + """
                  probes:
                    drops: { counter: drop.link_down, every: 5s }
                  expect:
                    - { probe: drops, at: end, max: "<= 3" }
                """);
        ProbeSpec drops = t.script().probes().get(0);
        assertEquals(ProbeSpec.Kind.COUNTER, drops.kind());
        assertEquals("drop.link_down", drops.target());
        assertEquals(3.0, t.script().expectations().get(0).threshold());
        assertErrors(HEAD + """
                  probes:
                    drops: { counter: drop.nothing }
                    loss: { counter: drop.link_loss, from: web }
                """,
                "shop.yaml:10:23: 'drop.nothing' is not a counter of tapnet's; expected one of tapnet's counters, like"
                        + " drop.link_loss or tcp_retransmissions",
                "shop.yaml:11:38: a counter probe reads tapnet's own counters, from no machine; expected no 'from' for probe 'loss'");
    }

    @Test
    void theSummarySaysWhatTheScriptHas() throws Exception {
        Topology t = TopologyLoader.parse("shop.yaml", HEAD + """
                  probes:
                    web: { connect: 10.77.0.10:80 }
                  events:
                    - { at: 5s, down: web }
                  capture: true
                """);
        String summary = TopologySummary.of(t);
        org.junit.jupiter.api.Assertions.assertTrue(summary.endsWith("  script: 30s, 1 probe, 1 event, 0 expectations, capture\n"),
                summary);
    }

    @Test
    void aBulkProbeNeedsASizeAndOnlyABulkProbeTakesOne() {
        assertErrors(HEAD + """
                  probes:
                    bulk: { bulk: 10.77.0.10:9 }
                    web: { connect: 10.77.0.10:80, size: 1MiB }
                """,
                "shop.yaml:10:5: probe 'bulk' has no 'size'; expected how much each sample sends, like size: 1MiB",
                "shop.yaml:11:36: 'size' is for bulk probes, and probe 'web' is a connect probe; expected size only with bulk");
    }

    @Test
    void aProbeThatRepeatsLessOftenThanTheRunLastsIsReported() {
        assertErrors(HEAD + """
                  probes:
                    web: { connect: 10.77.0.10:80, every: 1m }
                """,
                "shop.yaml:10:43: every 1m is longer than the run (duration 30s); expected at most 30s");
    }

    // ------------------------------------------------------------------------------------------------
    // events
    // ------------------------------------------------------------------------------------------------

    @Test
    void anEventAfterTheEndOfTheRunIsReported() {
        assertErrors(HEAD + """
                  events:
                    - { at: 40s, mark: late }
                    - { every: 1s, until: 31s, mark: late }
                """,
                "shop.yaml:10:13: at 40s is after the end of the run (duration 30s); expected a time from 0s to 30s",
                "shop.yaml:11:27: until 31s is after the end of the run (duration 30s); expected a time from 0s to 30s");
    }

    @Test
    void anEveryThatStartsNoEarlierThanItEndsIsReported() {
        assertErrors(HEAD + """
                  events:
                    - { every: 1s, from: 20s, until: 10s, mark: tick }
                """,
                "shop.yaml:10:26: from 20s is not before until 10s; expected from < until");
    }

    @Test
    void twoTriggersOrTwoActionsInOneEventAreReported() {
        assertErrors(HEAD + """
                  events:
                    - { at: 5s, every: 1s, mark: tick }
                    - { at: 5s, down: web, up: web }
                """,
                "shop.yaml:10:17: 'every' is a second trigger of this event, which already has 'at'; expected exactly one"
                        + " of: at, every, after, when",
                "shop.yaml:11:28: 'up' is a second action of this event, which already has 'down'; expected exactly one of:"
                        + " link, down, up, partition, heal, stop, start, stopService, startService, faults, routeFaults, dnsFaults, run, mark");
    }

    @Test
    void anEventWithoutTriggerOrActionIsReported() {
        assertErrors(HEAD + """
                  events:
                    - { mark: tick }
                    - { at: 1s }
                """,
                "shop.yaml:10:7: this event has no trigger; expected exactly one of: at, every, after, when",
                "shop.yaml:11:7: this event has no action; expected exactly one of: link, down, up, partition, heal, stop,"
                        + " start, stopService, startService, faults, routeFaults, dnsFaults, run, mark");
    }

    @Test
    void fromUntilAndDelayGoWithTheirTriggers() {
        assertErrors(HEAD + """
                  events:
                    - { at: 5s, until: 9s, mark: tick }
                    - { every: 5s, delay: 1s, mark: tock }
                """,
                "shop.yaml:10:17: 'until' goes with an 'every' trigger, and this event's trigger is 'at'; expected from and"
                        + " until only with every",
                "shop.yaml:11:20: 'delay' goes with an 'after' or 'when' trigger, and this event's trigger is 'every';"
                        + " expected delay only with after or when");
    }

    @Test
    void actionsNamingWhatDoesNotExistAreReported() {
        assertErrors(HEAD + """
                  events:
                    - { at: 1s, down: wbe }
                    - { at: 1s, stop: client }
                    - { at: 1s, stopService: web:81 }
                    - { at: 1s, startService: dbb:7 }
                    - { at: 1s, faults: { service: db:80 } }
                    - { at: 1s, stopService: web }
                """,
                "shop.yaml:10:23: there is no host, router or port named 'wbe'; expected one of: web, db, client",
                "shop.yaml:11:23: there is no host named 'client'; expected one of: web, db",
                "shop.yaml:12:30: host 'web' has no service on port 81; expected one of: web:80, web:9",
                "shop.yaml:13:31: there is no host named 'dbb'; expected one of: web, db",
                "shop.yaml:14:36: host 'db' has no TCP service on port 80; expected one of: db:7",
                "shop.yaml:15:30: 'web' is not a service; expected a host and the port of one of its services, like web:80");
    }

    @Test
    void linksAndPartitionsInEventsAreCheckedAsTheirOwnSectionsAre() {
        assertErrors(HEAD + """
                  events:
                    - { at: 1s, link: { between: [tap, wbe], loss: 1% } }
                    - { at: 2s, partition: [[tap], [tap]] }
                """,
                "shop.yaml:10:40: there is no host, router or port named 'wbe'; expected one of: tap, web, db, client",
                "shop.yaml:11:37: 'tap' is in two groups; expected each node in one group at most");
    }

    @Test
    void afterAndWhenNameEventsAndProbesThatExist() {
        assertErrors(HEAD + """
                  probes: { web: { connect: 10.77.0.10:80 } }
                  events:
                    - { name: flap, at: 1s, mark: flap }
                    - { after: flop, mark: after }
                    - { name: loop, after: loop, mark: again }
                    - { when: { probe: wbe, fails: true }, mark: down }
                    - { name: flap, at: 2s, mark: again }
                """,
                "shop.yaml:12:16: there is no event named 'flop'; expected one of: flap, loop",
                "shop.yaml:13:28: this event follows itself, so it would never happen; expected the name of another event",
                "shop.yaml:14:24: there is no probe named 'wbe'; expected one of: web",
                "shop.yaml:15:15: 'flap' is already the name of the event on line 11; expected each event name once");
    }

    @Test
    void aCommandRunsInTheTapsNamespaceOrAPortsNotInAVirtualHost() {
        assertErrors(HEAD + """
                  events:
                    - { at: 1s, run: { in: web, command: [true] } }
                    - { at: 1s, run: { in: tap, command: [] } }
                """,
                "shop.yaml:10:28: 'web' is a virtual host, which has no kernel to run a command in; expected tap or a port:"
                        + " one of: tap, client",
                "shop.yaml:11:42: 'command' is empty; expected the program and its arguments, like [curl, -sf,"
                        + " \"http://10.77.0.10/\"] or \"curl -sf http://10.77.0.10/\"");
    }

    @Test
    void faultsInEventsAreCheckedAsAServicesFaultsAre() {
        assertErrors(HEAD + """
                  events:
                    - { at: 1s, faults: { service: web:80, refuze: {} } }
                    - { at: 1s, faults: { service: web:80, synDrop: 2 } }
                    - { at: 1s, faults: { service: web:80, synDrop: { frist: 2 } } }
                """,
                "shop.yaml:10:44: 'refuze' is not a key of faults; expected one of: service, synDrop, refuse, unreachable,"
                        + " synAckDrop, synAckDelay, ackDrop, resetAfter, resetAfterSent, stall, window, halfOpen, slowClose, corruptAt",
                "shop.yaml:11:53: 'synDrop' takes no value; write synDrop: {} (and first: N or probability: P% to choose"
                        + " which connections)",
                "shop.yaml:12:55: 'frist' is not a key of a fault's settings; expected one of: value, first, probability");
    }

    @Test
    void healTakesTrue() {
        assertErrors(HEAD + """
                  events:
                    - { at: 1s, heal: false }
                """,
                "shop.yaml:10:23: heal: false does nothing; expected heal: true");
    }

    // ------------------------------------------------------------------------------------------------
    // expectations
    // ------------------------------------------------------------------------------------------------

    private static final String PROBES = "  probes: { web: { connect: 10.77.0.10:80 }, bulk: { bulk: 10.77.0.10:9, size: 1MiB } }\n";

    @Test
    void anExpectationOfAProbeThatDoesNotExistIsReported() {
        assertErrors(HEAD + PROBES + """
                  expect:
                    - { probe: wbe, at: end, success: ">= 99%" }
                """,
                "shop.yaml:11:16: there is no probe named 'wbe'; expected one of: web, bulk");
    }

    @Test
    void windowsBeyondTheRunOrEmptyAreReported() {
        assertErrors(HEAD + PROBES + """
                  expect:
                    - { probe: web, during: [5s, 5s], success: ">= 99%" }
                    - { probe: web, during: [5s, 31s], success: ">= 99%" }
                    - { probe: web, after: 30s, success: ">= 99%" }
                    - { probe: web, at: start, success: ">= 99%" }
                """,
                "shop.yaml:11:29: during [5s, 5s] is empty; expected its first time before its second, like [0s, 5s]",
                "shop.yaml:12:34: during 31s is after the end of the run (duration 30s); expected a time from 0s to 30s",
                "shop.yaml:13:28: after 30s leaves nothing of the run (duration 30s); expected a time before the end",
                "shop.yaml:14:25: 'start' is not a window; expected at: end (the whole run), after: TIME or during: [FROM, UNTIL]");
    }

    @Test
    void aMetricMustFitWhatItIsAbout() {
        assertErrors(HEAD + PROBES + """
                  expect:
                    - { counter: drop.link_down, at: end, p99: "< 50ms" }
                    - { probe: web, at: end, value: ">= 1" }
                    - { probe: web, at: end, p99: "< 5mbit" }
                    - { probe: bulk, at: end, median: "> 50ms" }
                """,
                "shop.yaml:11:43: 'p99' is for probes, and this expectation is about a counter; expected value, like value: \">= 1\"",
                "shop.yaml:12:30: 'value' is for counters, and this expectation is about a probe; expected one of: success,"
                        + " count, failures, min, mean, median, p90, p95, p99, max",
                "shop.yaml:13:35: '5mbit' is not a duration: 'mbit' is not a unit of time; expected a number and a unit"
                        + " (ns, us, ms, s, m or h), like 200ms or 1.5s (a connect probe's samples are times)",
                "shop.yaml:14:39: '50ms' is not a rate: 'ms' is not a unit of rate; expected a rate like 100mbit, 1gbit or"
                        + " 500kbit (or bytes per second: 10mbps) (a bulk probe's samples are rates)");
    }

    @Test
    void anExpectationNeedsOneSubjectOneWindowAndOneMetric() {
        assertErrors(HEAD + PROBES + """
                  expect:
                    - { at: end, success: ">= 99%" }
                    - { probe: web, success: ">= 99%" }
                    - { probe: web, at: end }
                    - { probe: web, counter: drop.link_down, at: end, after: 1s, success: ">= 99%", count: "> 1" }
                """,
                "shop.yaml:11:7: this expectation has no subject; expected probe: NAME or counter: NAME",
                "shop.yaml:12:7: this expectation has no window; expected during: [FROM, UNTIL], after: TIME or at: end",
                "shop.yaml:13:7: this expectation has no metric; expected one of: success, count, failures, min, mean,"
                        + " median, p90, p95, p99, max, value",
                "shop.yaml:14:21: 'counter' is a second subject of this expectation, which already has 'probe'; expected"
                        + " exactly one: probe: NAME or counter: NAME",
                "shop.yaml:14:55: 'after' is a second window of this expectation, which already has 'at'; expected exactly"
                        + " one: during: [FROM, UNTIL], after: TIME or at: end",
                "shop.yaml:14:85: 'count' is a second metric of this expectation, which already has 'success'; expected"
                        + " exactly one: one of: success, count, failures, min, mean, median, p90, p95, p99, max, value");
    }

    @Test
    void aCounterMustBeOneTapnetCounts() {
        String reasons = Arrays.stream(DropReason.values()).filter(r -> r != DropReason.NONE)
                .map(r -> "drop." + r.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
        assertErrors(HEAD + """
                  expect:
                    - { counter: drop.linkdown, at: end, value: ">= 1" }
                """,
                "shop.yaml:10:18: 'drop.linkdown' is not a tapnet counter; expected one of: " + reasons);
    }

    @Test
    void comparisonsAndPercentagesAreChecked() {
        assertErrors(HEAD + PROBES + """
                  expect:
                    - { probe: web, at: end, success: ">= 150%" }
                    - { probe: web, at: end, success: "99%" }
                    - { probe: web, at: end, count: "> ten" }
                """,
                "shop.yaml:11:39: '150%' is out of range; expected 0% to 100%",
                "shop.yaml:12:39: '99%' is not a comparison; expected OP VALUE with OP one of <, <=, ==, >=, >, like"
                        + " success: \">= 99%\"",
                "shop.yaml:13:37: 'ten' is not a whole number; expected a count, like count: \">= 1\"");
    }

    // ------------------------------------------------------------------------------------------------
    // capture
    // ------------------------------------------------------------------------------------------------

    @Test
    void captureNamesNodesWithLinks() {
        assertErrors(HEAD + """
                  capture: { links: [tap, web, web], files: 0 }
                """,
                "shop.yaml:9:22: there is no host, router or port named 'tap'; expected one of: web, db, client",
                "shop.yaml:9:32: 'web' is twice in links; expected each node once",
                "shop.yaml:9:45: files 0 is out of range; expected how many files the ring keeps, from 1 to 1000");
    }

    private static void assertErrors(String text, String... expected) {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.parse("shop.yaml", text));
        assertEquals(List.of(expected), e.errors().stream().map(TopologyError::toString).toList());
    }
}
