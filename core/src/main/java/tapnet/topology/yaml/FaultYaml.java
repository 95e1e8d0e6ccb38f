package tapnet.topology.yaml;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import tapnet.tcp.ConnectionFaults;

/**
 * Writes a service's faults back in the syntax of its {@code faults:} entries ({@code {synDrop: {}, first:
 * 2}}), for reports and the events of a script, so that they read as the file wrote them.
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
        String selector = rule.selector() instanceof ConnectionFaults.Selector.First first ? ", first: " + first.count()
                : rule.selector() instanceof ConnectionFaults.Selector.Probability chance
                        ? ", probability: " + LinkYaml.percent(chance.probability()) : "";
        return "{" + kindAndValue + selector + "}";
    }
}
