package tapnet.script;

import java.net.URI;
import java.net.URISyntaxException;
import tapnet.topology.ProbeSpec;
import tapnet.wire.Ipv4Address;
import tapnet.wire.Ipv6Address;
import tapnet.wire.Ipv6Addresses;

/**
 * Where a probe aims, parsed from its target text: {@code 10.77.0.10} (ping), {@code ip:port} (connect,
 * bulk) or {@code http://host[:port]/path} (http); a dns probe's host is the name it asks for (its server
 * is in {@link ProbeSpec#dns()}).
 *
 * @param port 0 for a ping
 * @param path the HTTP path with its query, "/" by default; empty for the other kinds
 */
public record ProbeTarget(String host, int port, String path) {
    /** The target of a probe of {@code kind}. @throws IllegalArgumentException when it does not fit the kind */
    public static ProbeTarget of(ProbeSpec.Kind kind, String target) {
        return switch (kind) {
            case PING, COUNTER -> new ProbeTarget(target, 0, "");
            case DNS -> new ProbeTarget(target, DnsProbeExchange.PORT, "");
            case HTTP -> http(target);
            case CONNECT, BULK -> hostPort(target);
        };
    }

    /** {@code 10.77.0.10:80}, {@code [fd77::10]:80} (connect, bulk). */
    public static ProbeTarget hostPort(String target) {
        int colon = target.lastIndexOf(':');
        if (colon <= 0 || colon == target.length() - 1) {
            throw new IllegalArgumentException("not host:port: \"" + target + "\"");
        }
        return new ProbeTarget(unbracketed(target.substring(0, colon)), port(target.substring(colon + 1), target), "");
    }

    /** An IPv6 address as URLs and host:port write it, {@code [fd77::10]}, as the address alone. */
    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** {@code http://10.77.0.10/}, {@code http://web:8080/status?x=1}: port 80 and path "/" by default. */
    public static ProbeTarget http(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: \"" + url + "\" (" + e.getReason() + ")");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("not an http://host[:port]/path URL: \"" + url + "\"");
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        return new ProbeTarget(unbracketed(uri.getHost()), uri.getPort() < 0 ? 80 : uri.getPort(), path);
    }

    /** The host as an IPv4 address: what a virtual host's probe needs (it resolves no names). */
    public int address() {
        return Ipv4Address.parse(host);
    }

    /** Whether the host is an IPv6 address. */
    public boolean isIpv6() {
        return host.indexOf(':') >= 0;
    }

    /**
     * The host as a virtual host's probe addresses it: an IPv4 address, or an IPv6 address's handle in
     * {@code addresses6}, added when new (engine thread only). Throws when the table is full.
     */
    public int address(Ipv6Addresses addresses6) {
        if (!isIpv6()) {
            return address();
        }
        long[] halves = Ipv6Address.parse(host);
        int handle = addresses6.intern(halves[0], halves[1]);
        if (handle == Ipv6Addresses.NONE) {
            throw new IllegalArgumentException("the engine's table of IPv6 addresses is full");
        }
        return handle;
    }

    /** The GET an http probe sends, whoever sends it (the kernel's socket or a virtual host): the whole answer, then close. */
    public String httpRequest() {
        return "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + hostHeader() + "\r\n"
                + "User-Agent: tapnet-probe\r\n"
                + "Accept: */*\r\n"
                + "Connection: close\r\n"
                + "\r\n";
    }

    /** The Host header: the port only when it is not HTTP's own (RFC 9110 §7.2). */
    public String hostHeader() {
        String name = isIpv6() ? "[" + host + "]" : host;
        return port == 80 ? name : name + ":" + port;
    }

    private static int port(String text, String target) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("not a port (1 to 65535) in \"" + target + "\"");
    }
}
