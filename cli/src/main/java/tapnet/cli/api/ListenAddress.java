package tapnet.cli.api;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * {@code --control-listen HOST:PORT}: where the API also listens on TCP. HOST is an address or a name
 * ({@code [::1]} for IPv6); it must be loopback unless the user forces it, since anyone who can reach it
 * and holds the token changes the run.
 */
public record ListenAddress(String host, int port, InetAddress address) {
    /**
     * Reads {@code text}; {@code force} allows a host that is not loopback.
     *
     * @throws IllegalArgumentException a mistake, worded for a usage error
     */
    public static ListenAddress parse(String text, boolean force) {
        int colon = text.lastIndexOf(':');
        String host = colon <= 0 ? "" : text.substring(0, colon);
        String portText = colon < 0 ? "" : text.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || !portText.matches("[0-9]{1,5}") || Integer.parseInt(portText) > 65535) {
            throw new IllegalArgumentException("'" + text + "' is not an address to listen at; expected HOST:PORT, like"
                    + " 127.0.0.1:8474 or [::1]:8474 (port 0: any free one)");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + host + "' in --control-listen " + text + " is not a known host; expected"
                    + " a loopback address like 127.0.0.1");
        }
        if (!address.isLoopbackAddress() && !force) {
            throw new IllegalArgumentException("--control-listen " + text + " is not a loopback address: anyone who reaches"
                    + " it with the token changes this run; expected 127.0.0.1 or ::1 (or add --force to listen there anyway)");
        }
        return new ListenAddress(host, Integer.parseInt(portText), address);
    }
}
