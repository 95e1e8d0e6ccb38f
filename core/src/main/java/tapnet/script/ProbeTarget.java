package tapnet.script;

import java.net.URI;
import tapnet.wire.Ipv4Address;

/**
 * Where a probe goes, parsed from its target: {@code 10.77.0.10}, {@code 10.77.0.10:80} or
 * {@code http://10.77.0.10:8080/path}.
 *
 * @param port 0 for a ping
 * @param path the HTTP path (with query), "/" when none; null for the other kinds
 */
public record ProbeTarget(int address, int port, String host, String path) {
    /** @throws IllegalArgumentException when the target does not fit the kind */
    public static ProbeTarget of(ProbeSpec.Kind kind, String target) {
        switch (kind) {
            case PING:
                return new ProbeTarget(Ipv4Address.parse(target), 0, target, null);
            case HTTP: {
                URI uri = URI.create(target);
                if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new IllegalArgumentException(target + " is not an http:// URL with an IPv4 address");
                }
                String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
                return new ProbeTarget(Ipv4Address.parse(uri.getHost()), uri.getPort() < 0 ? 80 : uri.getPort(), uri.getHost(), path);
            }
            default: {
                int colon = target.lastIndexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException(target + " has no port; expected ADDRESS:PORT");
                }
                int port = Integer.parseInt(target.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("port " + port + " out of range 1-65535");
                }
                return new ProbeTarget(Ipv4Address.parse(target.substring(0, colon)), port, target.substring(0, colon), null);
            }
        }
    }
}
