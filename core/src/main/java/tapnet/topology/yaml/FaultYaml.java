package tapnet.topology.yaml;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import tapnet.dns.DnsFaults;
import tapnet.select.Selector;
import tapnet.tcp.ConnectionFaults;
import tapnet.topology.HttpRoute;
import tapnet.wire.Ipv4Address;

/**
 * Writes faults back in the syntax of the file's entries: a service's ({@code {synDrop: {}, first: 2}}), a
 * route's ({@code {status: 503, first: 2}}) and the DNS server's ({@code {name: db, nxdomain: {}}}), for
 * reports, the events of a script and ctl's answers, so that they read as the file wrote them.
 */
public final class FaultYaml {
    private FaultYaml() {
    }

    /** The entries as a flow sequence: {@code [{refuse: {}}, {synAckDelay: 300ms, probability: 10%}]}. */
    public static String list(List<ConnectionFaults.Rule> rules) {
        return rules.stream().map(FaultYaml::entry).collect(Collectors.joining(", ", "[", "]"));
    }

    /** One entry: its kind and value, then which SYNs or connections it hits, unless all of them. */
    public static String entry(ConnectionFaults.Rule rule) {
        long p = rule.parameter();
        String kindAndValue = switch (rule.kind()) {
            case SYN_DROP -> "synDrop: {}";
            case REFUSE -> "refuse: {}";
            case UNREACHABLE -> "unreachable: {}";
            case STALL -> "stall: {}";
            case HALF_OPEN -> "halfOpen: {}";
            case SYN_ACK_DROP -> "synAckDrop: " + p;
            case ACK_DROP -> "ackDrop: " + p;
            case SYN_ACK_DELAY -> "synAckDelay: " + Units.format(Duration.ofNanos(p));
            case RESET_AFTER_TIME -> "resetAfter: " + Units.format(Duration.ofNanos(p));
            case RESET_AFTER_BYTES -> "resetAfter: " + Units.formatSize(p);
            case RESET_AFTER_BYTES_SENT -> "resetAfterSent: " + Units.formatSize(p);
            case WINDOW -> "window: " + Units.formatSize(p);
            case SLOW_CLOSE -> "slowClose: " + Units.format(Duration.ofNanos(p));
            case CORRUPT_AT -> "corruptAt: " + (p == 0 ? "0" : Units.formatSize(p));
        };
        return "{" + kindAndValue + selector(rule.selector()) + "}";
    }

    /** A route's faults: {@code [{status: 503, first: 2}, {reset: 1000, probability: 50%}]}. */
    public static String routeList(List<HttpRoute.Fault> faults) {
        return faults.stream().map(f -> "{" + switch (f.kind()) {
            case STATUS -> "status: " + f.status();
            case CLOSE -> "close: " + f.afterBytes();
            case RESET -> "reset: " + f.afterBytes();
        } + (f.first() > 0 ? ", first: " + f.first() : "")
                + (f.probability() < 1 ? ", probability: " + LinkYaml.percent(f.probability()) : "") + "}")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** The DNS server's faults: {@code [{name: db, nxdomain: {}, first: 2}]}, or {@code (none)}. */
    public static String dnsList(List<DnsFaults.Rule> rules) {
        return rules.isEmpty() ? "(none)" : rules.stream().map(FaultYaml::dnsEntry).collect(Collectors.joining(", ", "[", "]"));
    }

    static String dnsEntry(DnsFaults.Rule rule) {
        String value = switch (rule.kind()) {
            case DELAY -> Units.format(Duration.ofNanos(rule.parameter()));
            case WRONG_ADDRESS -> Ipv4Address.format((int) rule.parameter());
            case TTL -> Long.toString(rule.parameter());
            default -> "{}";
        };
        String name = rule.name() == null ? "" : "name: " + (rule.name().startsWith("*") ? "\"" + rule.name() + "\"" : rule.name()) + ", ";
        return "{" + name + rule.kind().key() + ": " + value + selector(rule.selector()) + "}";
    }

    /** Which ones a fault hits, after its kind: nothing for all of them. */
    private static String selector(Selector selector) {
        return selector instanceof Selector.First first ? ", first: " + first.count()
                : selector instanceof Selector.Probability chance ? ", probability: " + LinkYaml.percent(chance.probability()) : "";
    }
}
