package tapnet.tap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The IPv6 routes of a network namespace, read from {@code /proc/thread-self/net/ipv6_route}, and whether a
 * subnet tapnet would route to its TAP collides with one of them: the IPv6 counterpart of {@link Ipv4Routes}
 * (thread-self for the same reason).
 *
 * <p>The file lists every table. Left out, since they are no other network's: the local table's routes to
 * the machine's own addresses (RTF_LOCAL, RTF_ANYCAST), cached clones (RTF_CACHE), and the routes every
 * IPv6 interface has: link-local fe80::/64 and multicast ff00::/8. Default routes (::/0, with the
 * unreachable one on lo) overlap everything and are left out of overlaps, as for IPv4.
 */
public final class Ipv6Routes {
    static final Path THREAD_ROUTES = Path.of("/proc/thread-self/net/ipv6_route");
    // linux/ipv6_route.h and route.h
    private static final long RTF_GATEWAY = 0x0002;
    private static final long RTF_ANYCAST = 0x0010_0000;
    private static final long RTF_CACHE = 0x0100_0000;
    private static final long RTF_LOCAL = 0x8000_0000L;
    private static final Ipv6Subnet LINK_LOCAL = Ipv6Subnet.parse("fe80::/64");
    private static final Ipv6Subnet MULTICAST = Ipv6Subnet.parse("ff00::/8");

    private final List<Ipv6Route> routes;

    private Ipv6Routes(List<Ipv6Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /**
     * The routes of the calling thread's network namespace; none when the kernel has no IPv6 (booted with
     * ipv6.disable=1: no file).
     */
    public static Ipv6Routes current() throws IOException {
        if (!Files.exists(THREAD_ROUTES)) {
            return new Ipv6Routes(List.of());
        }
        return parse(Files.readAllLines(THREAD_ROUTES));
    }

    /**
     * Parses the route file: no header, one line per route, space-separated: destination (32 hex digits),
     * its prefix length (hex), source and its prefix length, next hop, metric, reference count, use count,
     * flags (all hex) and the device.
     */
    static Ipv6Routes parse(List<String> lines) {
        List<Ipv6Route> routes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] field = line.split("\\s+");
            if (field.length != 10) {
                throw new IllegalArgumentException(THREAD_ROUTES + " line " + (i + 1) + " has " + field.length + " fields, expected 10: " + line);
            }
            long flags = Long.parseLong(field[8], 16);
            if ((flags & (RTF_LOCAL | RTF_ANYCAST | RTF_CACHE)) != 0) {
                continue;
            }
            Ipv6Subnet destination = Ipv6Subnet.containing(Ipv6Text.procHigh(field[0]), Ipv6Text.procLow(field[0]),
                    Integer.parseInt(field[1], 16));
            boolean gateway = (flags & RTF_GATEWAY) != 0;
            routes.add(new Ipv6Route(destination, field[9], gateway ? Ipv6Text.procHigh(field[4]) : 0,
                    gateway ? Ipv6Text.procLow(field[4]) : 0, Long.parseLong(field[5], 16)));
        }
        return new Ipv6Routes(routes);
    }

    public List<Ipv6Route> routes() {
        return routes;
    }

    /**
     * The routes whose destination shares addresses with {@code subnet}, except default routes and the
     * link-local and multicast routes of every interface (they overlap only a subnet inside fe80::/64 or
     * ff00::/8, which no topology routes to its TAP).
     */
    public List<Ipv6Route> overlapping(Ipv6Subnet subnet) {
        return routes.stream().filter(r -> !isEveryInterfaces(r) && r.destination().overlaps(subnet)).toList();
    }

    /**
     * As {@link #overlapping(Ipv6Subnet)}, leaving out the connected route of {@code device} to exactly
     * {@code subnet}: the route of a persistent TAP that already has the address tapnet would give it.
     */
    public List<Ipv6Route> overlapping(Ipv6Subnet subnet, String device) {
        return overlapping(subnet).stream().filter(r -> !r.isConnectedRouteOf(device, subnet)).toList();
    }

    public boolean overlaps(Ipv6Subnet subnet) {
        return !overlapping(subnet).isEmpty();
    }

    private static boolean isEveryInterfaces(Ipv6Route route) {
        Ipv6Subnet destination = route.destination();
        return route.isDefault() || (!route.hasGateway() && (destination.equals(LINK_LOCAL) || destination.equals(MULTICAST)));
    }

    @Override
    public String toString() {
        return routes.toString();
    }
}
