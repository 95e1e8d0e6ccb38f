package tapnet.topology;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

/**
 * A virtual host: a name, an IPv4 address and a MAC on the TAP's segment, and the TCP services on its
 * ports. Every host answers ARP and ping whatever its services.
 *
 * @param mac      the low 48 bits; a topology file that names none gets {@link MacAddress#derivedFrom(int)}
 * @param addresses6 its IPv6 addresses, in its segment's IPv6 prefix, the first the one it sends from;
 *                   none: it speaks IPv4 only
 */
public record HostSpec(String name, int address, long mac, List<ServiceSpec> services, List<Address6> addresses6) {
    /** Names appear in summaries and, later, in links and scripts: keep them plain. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    /** Links and scripts will name the kernel's side of the TAP {@code tap}, so no host may be called that. */
    public static final String RESERVED_NAME = "tap";

    public HostSpec {
        String problem = nameProblem(name);
        if (problem == null) {
            problem = macProblem(mac);
        }
        services = List.copyOf(services);
        addresses6 = List.copyOf(addresses6);
        Set<Integer> ports = new HashSet<>(); // TCP ports as they are, UDP ports above 65535: apart
        for (ServiceSpec service : services) {
            if (problem == null && !ports.add(service.port() + (service.udp() ? 0x1_0000 : 0))) {
                problem = (service.udp() ? "UDP " : "") + "port " + service.port() + " is served twice";
            }
        }
        if (problem != null) {
            throw new IllegalArgumentException("invalid host " + name + ": " + problem);
        }
    }

    /** A host without IPv6. */
    public HostSpec(String name, int address, long mac, List<ServiceSpec> services) {
        this(name, address, mac, services, List.of());
    }

    /** A host with one IPv6 address (null: none). */
    public HostSpec(String name, int address, long mac, List<ServiceSpec> services, Address6 address6) {
        this(name, address, mac, services, address6 == null ? List.of() : List.of(address6));
    }

    /** Its first IPv6 address, the one it sends from; null when it has none. */
    public Address6 address6() {
        return addresses6.isEmpty() ? null : addresses6.get(0);
    }

    /** A host whose MAC is derived from its address. */
    public HostSpec(String name, int address, List<ServiceSpec> services) {
        this(name, address, MacAddress.derivedFrom(address), services);
    }

    /** The TCP service on {@code port}, if any: what scripts and ctl give faults to. */
    public Optional<ServiceSpec> service(int port) {
        return services.stream().filter(s -> !s.udp() && s.port() == port).findFirst();
    }

    /**
     * Null when a service (TCP or UDP: stopping a port stops both) listens on {@code port}; else what is wrong,
     * naming the ports there are, as scripts and ctl answer a stopService or startService.
     */
    public String servicePortProblem(int port) {
        if (services.stream().anyMatch(s -> s.port() == port)) {
            return null;
        }
        return "host '" + name + "' has no service on port " + port + "; expected " + (services.isEmpty()
                ? "a host with services (" + name + " has none)"
                : "one of: " + String.join(", ", services.stream().map(s -> name + ":" + s.port()).distinct().toList()));
    }

    /** Null when {@code name} can name a host, else what is wrong with it. */
    public static String nameProblem(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return "'" + name + "' is not a host name; expected 1 to 63 letters, digits, '-', '_' or '.',"
                    + " starting with a letter or digit, like web or db-1";
        }
        if (name.equals(RESERVED_NAME)) {
            return "'" + RESERVED_NAME + "' is the name of the kernel's side of the TAP; expected another host name";
        }
        return null;
    }

    /** Null when {@code mac} can be a host's MAC: 48 bits, unicast, not all zeros. */
    public static String macProblem(long mac) {
        if ((mac & ~MacAddress.BROADCAST) != 0) {
            return "a MAC has 48 bits; expected six hex bytes like 02:00:00:00:00:10";
        }
        if (mac == MacAddress.ZERO) {
            return "00:00:00:00:00:00 is not a host's MAC; expected a unicast MAC like 02:00:00:00:00:10";
        }
        if (MacAddress.isGroup(mac)) {
            return MacAddress.format(mac) + " is a multicast MAC (the lowest bit of its first byte is set);"
                    + " expected a unicast MAC like 02:00:00:00:00:10";
        }
        return null;
    }

    @Override
    public String toString() {
        return "HostSpec[" + name + " " + Ipv4Address.format(address) + " " + MacAddress.format(mac)
                + (addresses6.isEmpty() ? "" : " " + addresses6) + " " + services + "]";
    }
}
