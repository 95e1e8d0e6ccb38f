package tapnet.topology;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tapnet.tcp.TcpConfig;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

/**
 * One network to emulate: virtual hosts behind a TAP, and how TCP behaves on them. Immutable; made by
 * {@link TopologyLoader} from a file, or directly in code. The constructor checks what the loader checks
 * (without file positions): unique names, addresses and MACs, every address a host address of the TAP's
 * subnet other than the kernel's.
 *
 * @param seed seeds every random choice the engine makes, so the same seed replays the same run
 */
public record Topology(String name, long seed, TapSpec tap, TcpConfig tcp, List<HostSpec> hosts, List<LinkSpec> links) {

    /** A topology whose hosts all have perfect links to the TAP. */
    public Topology(String name, long seed, TapSpec tap, TcpConfig tcp, List<HostSpec> hosts) {
        this(name, seed, tap, tcp, hosts, List.of());
    }

    public Topology {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tap, "tap");
        Objects.requireNonNull(tcp, "tcp");
        hosts = List.copyOf(hosts);
        links = List.copyOf(links);
        Map<String, HostSpec> names = new HashMap<>();
        Map<Integer, HostSpec> addresses = new HashMap<>();
        Map<Long, HostSpec> macs = new HashMap<>();
        for (HostSpec host : hosts) {
            String problem = addressProblem(tap, host.address());
            if (problem == null && names.putIfAbsent(host.name(), host) != null) {
                problem = "two hosts are named " + host.name();
            }
            if (problem == null && addresses.putIfAbsent(host.address(), host) != null) {
                problem = "two hosts have the address " + Ipv4Address.format(host.address());
            }
            if (problem == null && macs.putIfAbsent(host.mac(), host) != null) {
                problem = "two hosts have the MAC " + MacAddress.format(host.mac());
            }
            if (problem != null) {
                throw new IllegalArgumentException("invalid topology " + name + ": " + problem);
            }
        }
        String problem = linkProblem(hosts, links);
        if (problem != null) {
            throw new IllegalArgumentException("invalid topology " + name + ": " + problem);
        }
    }

    /** Links name hosts that exist, each host at most once. */
    private static String linkProblem(List<HostSpec> hosts, List<LinkSpec> links) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (LinkSpec link : links) {
            if (hosts.stream().noneMatch(h -> h.name().equals(link.host()))) {
                return "a link names host " + link.host() + ", which does not exist";
            }
            if (!seen.add(link.host())) {
                return "host " + link.host() + " has two links";
            }
        }
        return null;
    }

    /** The host called {@code hostName}, if any. */
    public Optional<HostSpec> host(String hostName) {
        return hosts.stream().filter(h -> h.name().equals(hostName)).findFirst();
    }

    /** Null when a virtual host may have {@code address} behind {@code tap}, else what is wrong with it. */
    static String addressProblem(TapSpec tap, int address) {
        String text = Ipv4Address.format(address);
        String range = "expected " + hostRange(tap);
        if (!tap.contains(address)) {
            return text + " is outside the TAP's subnet " + tap.subnet() + "; " + range;
        }
        if (address == tap.address()) {
            return text + " is the kernel's side of the TAP (tap.address); " + range;
        }
        if (address == tap.network()) {
            return text + " is the network address of " + tap.subnet() + "; " + range;
        }
        if (address == tap.broadcast()) {
            return text + " is the broadcast address of " + tap.subnet() + "; " + range;
        }
        return null;
    }

    /** The addresses hosts may have, in words: "an address from 10.77.0.2 to 10.77.0.254". */
    static String hostRange(TapSpec tap) {
        int first = tap.firstHost();
        int last = tap.lastHost();
        if (tap.address() == first) {
            return "an address from " + Ipv4Address.format(first + 1) + " to " + Ipv4Address.format(last);
        }
        if (tap.address() == last) {
            return "an address from " + Ipv4Address.format(first) + " to " + Ipv4Address.format(last - 1);
        }
        return "an address from " + Ipv4Address.format(first) + " to " + Ipv4Address.format(last)
                + " other than " + Ipv4Address.format(tap.address());
    }
}
