package tapnet.topology.yaml;

import java.time.Duration;
import java.util.List;
import org.snakeyaml.engine.v2.nodes.Node;
import tapnet.tcp.TcpConfig;

/**
 * Reads {@code tcp: { buffer: 64KiB, timeWait: 1s, ... }}: the settings of tapnet's TCP that differ from
 * {@link TcpConfig#defaults()}, within bounds, and with the MSS that the TAP's MTU gives.
 */
final class TcpReader {
    static final Section.Keys TCP = new Section.Keys("tcp", List.of("maxConnections", "buffer", "bufferMemory",
            "timeWait", "initialRto", "minRto", "maxRto", "synAckRetries", "dataRetries", "initialWindow", "synRetries", "synBacklog"));

    // The engine preallocates per connection and per buffer, so the bounds keep a typo from asking for all of
    // the machine's memory.
    static final int MAX_CONNECTIONS = 1 << 22;
    static final long MIN_BUFFER = 1L << 10;
    static final long MAX_BUFFER = 64L << 20;
    /** The buffer pool keeps a slot per buffer it may lend. */
    static final long MAX_BUFFERS_IN_MEMORY = 1L << 24;
    static final Duration MAX_TIME_WAIT = Duration.ofMinutes(10);
    static final Duration MIN_RTO = Duration.ofMillis(1);
    static final Duration MAX_RTO = Duration.ofMinutes(10);
    static final int MAX_SYN_ACK_RETRIES = 20;
    static final int MAX_DATA_RETRIES = 30;
    static final int MAX_SYN_RETRIES = 20;
    static final int MAX_SYN_BACKLOG = 1 << 20;
    static final int MAX_INITIAL_WINDOW = 1000;
    /** RFC 9293 §3.7.1: the MSS is the MTU less the IPv4 and TCP headers without options (20 bytes each). */
    static final int IPV4_AND_TCP_HEADERS = 40;

    private final Problems problems;
    private final Scalars scalars;

    TcpReader(Problems problems, Scalars scalars) {
        this.problems = problems;
        this.scalars = scalars;
    }

    /** The settings; {@code value} null (no tcp: section) gives the defaults with the MTU's MSS. */
    TcpConfig read(Node value, Node keyNode, int mtu) {
        TcpConfig d = TcpConfig.defaults();
        int mss = mtu - IPV4_AND_TCP_HEADERS;
        Section tcp = value == null ? null : Section.read(value, keyNode, "tcp", TCP, problems);
        if (tcp == null) {
            return d.toBuilder().mss(mss).build();
        }
        int maxConnections = (int) scalars.optionalInteger(tcp, "maxConnections", 1, MAX_CONNECTIONS, d.maxConnections());
        long buffer = scalars.optionalSize(tcp, "buffer", MIN_BUFFER, MAX_BUFFER, d.bufferSize());
        long bufferMemory = scalars.optionalSize(tcp, "bufferMemory", 0, Long.MAX_VALUE, d.bufferMemory());
        Duration timeWait = scalars.optionalDuration(tcp, "timeWait", Duration.ZERO, MAX_TIME_WAIT, d.timeWait());
        Duration initialRto = scalars.optionalDuration(tcp, "initialRto", MIN_RTO, MAX_RTO, d.initialRto());
        Duration minRto = scalars.optionalDuration(tcp, "minRto", MIN_RTO, MAX_RTO, d.minRto());
        Duration maxRto = scalars.optionalDuration(tcp, "maxRto", MIN_RTO, MAX_RTO, d.maxRto());
        int synAckRetries = (int) scalars.optionalInteger(tcp, "synAckRetries", 0, MAX_SYN_ACK_RETRIES, d.synAckRetries());
        int dataRetries = (int) scalars.optionalInteger(tcp, "dataRetries", 0, MAX_DATA_RETRIES, d.dataRetries());
        int initialWindow = (int) scalars.optionalInteger(tcp, "initialWindow", 1, MAX_INITIAL_WINDOW, d.initialWindow());
        int synRetries = (int) scalars.optionalInteger(tcp, "synRetries", 0, MAX_SYN_RETRIES, d.synRetries());
        int synBacklog = (int) scalars.optionalInteger(tcp, "synBacklog", 0, MAX_SYN_BACKLOG, d.synBacklog());

        if (bufferMemory < buffer) {
            problems.at(at(tcp, "bufferMemory", "buffer"), "bufferMemory " + Units.formatSize(bufferMemory)
                    + " is less than one buffer (" + Units.formatSize(buffer) + "); expected bufferMemory at least buffer");
        } else if (bufferMemory / buffer > MAX_BUFFERS_IN_MEMORY) {
            problems.at(at(tcp, "bufferMemory", "buffer"), "bufferMemory " + Units.formatSize(bufferMemory) + " holds more than "
                    + MAX_BUFFERS_IN_MEMORY + " buffers of " + Units.formatSize(buffer) + "; expected at most "
                    + Units.formatSize(buffer * MAX_BUFFERS_IN_MEMORY) + ", or a larger buffer");
        }
        // RFC 6298 §2: the RTO starts at initialRto and stays within [minRto, maxRto]
        if (minRto.compareTo(maxRto) > 0) {
            problems.at(at(tcp, "minRto", "maxRto"), "minRto " + Units.format(minRto) + " is more than maxRto "
                    + Units.format(maxRto) + "; expected minRto <= initialRto <= maxRto");
        } else if (initialRto.compareTo(minRto) < 0 || initialRto.compareTo(maxRto) > 0) {
            problems.at(at(tcp, "initialRto", initialRto.compareTo(minRto) < 0 ? "minRto" : "maxRto"),
                    "initialRto " + Units.format(initialRto) + " is outside [minRto " + Units.format(minRto) + ", maxRto "
                            + Units.format(maxRto) + "]; expected minRto <= initialRto <= maxRto");
        }
        if (problems.any()) {
            return d; // not used: the topology is not built
        }
        return d.toBuilder().maxConnections(maxConnections).bufferSize((int) buffer).bufferMemory(bufferMemory).mss(mss)
                .initialRto(initialRto).minRto(minRto).maxRto(maxRto).synAckRetries(synAckRetries)
                .dataRetries(dataRetries).timeWait(timeWait).initialWindow(initialWindow)
                .synRetries(synRetries).synBacklog(synBacklog).build();
    }

    /** The value of the first of {@code keys} the section has (to blame for a conflict), else the section's anchor. */
    private static Node at(Section section, String... keys) {
        for (String key : keys) {
            if (section.has(key)) {
                return section.get(key);
            }
        }
        return section.anchor();
    }
}
