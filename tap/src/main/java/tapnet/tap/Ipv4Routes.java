package tapnet.tap;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The IPv4 routes of a network namespace's main table, read from {@code /proc/thread-self/net/route}
 * (proc(5)), and whether a subnet tapnet would route to its TAP collides with one of them.
 *
 * <p>thread-self, not self: {@code /proc/self/net} shows the namespace of the process's main thread, while a
 * thread that entered another namespace ({@link NetworkNamespace#call}) must see its own.
 */
public final class Ipv4Routes {
    static final Path THREAD_ROUTES = Path.of("/proc/thread-self/net/route");
    // linux/route.h
    private static final int RTF_GATEWAY = 0x2;

    private final List<Ipv4Route> routes;

    private Ipv4Routes(List<Ipv4Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** The routes of the calling thread's network namespace. */
    public static Ipv4Routes current() throws IOException {
        return parse(Files.readAllLines(THREAD_ROUTES));
    }

    /**
     * Parses the route file: a header line, then one line per route, tab-separated: Iface, Destination,
     * Gateway, Flags, RefCnt, Use, Metric, Mask, ... Addresses are the in-memory (network order) bytes
     * printed as a host-order hex number, so on a little-endian machine 10.0.2.0 reads "0002000A".
     */
    static Ipv4Routes parse(List<String> lines) {
        List<Ipv4Route> routes = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] field = line.split("\\s+");
            if (field.length < 8) {
                throw new IllegalArgumentException(THREAD_ROUTES + " line " + (i + 1) + " has " + field.length + " fields, expected 11: " + line);
            }
            int destination = hexAddress(field[1]);
            int gateway = hexAddress(field[2]);
            int flags = Integer.parseInt(field[3], 16);
            int metric = Integer.parseInt(field[6]);
            int mask = hexAddress(field[7]);
            int prefixLength = Integer.bitCount(mask);
            routes.add(new Ipv4Route(Ipv4Subnet.containing(destination, prefixLength), field[0],
                    (flags & RTF_GATEWAY) != 0 ? gateway : 0, metric));
        }
        return new Ipv4Routes(routes);
    }

    private static int hexAddress(String hex) {
        int raw = Integer.parseUnsignedInt(hex, 16);
        return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Integer.reverseBytes(raw) : raw;
    }

    public List<Ipv4Route> routes() {
        return routes;
    }

    /**
     * The routes whose destination shares addresses with {@code subnet}, default routes aside (they
     * overlap everything, and a more specific route to the TAP rightly wins over them).
     */
    public List<Ipv4Route> overlapping(Ipv4Subnet subnet) {
        return routes.stream().filter(r -> !r.isDefault() && r.destination().overlaps(subnet)).toList();
    }

    /**
     * As {@link #overlapping(Ipv4Subnet)}, leaving out the connected route of {@code device} to exactly
     * {@code subnet} ({@link Ipv4Route#isConnectedRouteOf}): the route of a persistent TAP that already has
     * the address tapnet would give it.
     */
    public List<Ipv4Route> overlapping(Ipv4Subnet subnet, String device) {
        return overlapping(subnet).stream().filter(r -> !r.isConnectedRouteOf(device, subnet)).toList();
    }

    public boolean overlaps(Ipv4Subnet subnet) {
        return !overlapping(subnet).isEmpty();
    }

    @Override
    public String toString() {
        return routes.toString();
    }
}
