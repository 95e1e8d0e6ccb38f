package tapnet.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Where a {@link Network} comes from. Inside {@code tapnet run FILE -- COMMAND}, COMMAND (a test JVM, say)
 * finds its run in the environment: {@code TAPNET_CONTROL}, the run's control socket, or with
 * {@code --control-listen}, {@code TAPNET_CONTROL_URL} and {@code TAPNET_CONTROL_TOKEN_FILE}.
 *
 * <pre>Network net = Tapnet.connect();
 * net.link("db").delay(Duration.ofMillis(200)).apply();</pre>
 */
public final class Tapnet {
    /** The run's control socket, set by tapnet run for its command. */
    public static final String CONTROL = "TAPNET_CONTROL";
    /** The control API's TCP address ({@code http://127.0.0.1:8474}), with {@code --control-listen}. */
    public static final String CONTROL_URL = "TAPNET_CONTROL_URL";
    /** The file holding the bearer token the TCP address asks for. */
    public static final String CONTROL_TOKEN_FILE = "TAPNET_CONTROL_TOKEN_FILE";
    /** What one call waits for an answer; the run answers within 5 s or says 503. */
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private Tapnet() {
    }

    /** True inside a tapnet run: the environment names a control socket or URL. */
    public static boolean insideRun() {
        return insideRun(System.getenv());
    }

    static boolean insideRun(Map<String, String> environment) {
        return !environment.getOrDefault(CONTROL, "").isEmpty() || !environment.getOrDefault(CONTROL_URL, "").isEmpty();
    }

    /** The run this process runs inside, from its environment; a TapnetException naming the command to use otherwise. */
    public static Network connect() {
        return connect(System.getenv());
    }

    static Network connect(Map<String, String> environment) {
        String socket = environment.getOrDefault(CONTROL, "");
        if (!socket.isEmpty()) {
            return connect(Path.of(socket));
        }
        String url = environment.getOrDefault(CONTROL_URL, "");
        if (!url.isEmpty()) {
            String tokenFile = environment.getOrDefault(CONTROL_TOKEN_FILE, "");
            if (tokenFile.isEmpty()) {
                throw new TapnetException(CONTROL_URL + " is set but not " + CONTROL_TOKEN_FILE + ": the TCP address needs its token", null);
            }
            try {
                return connect(URI.create(url), Files.readString(Path.of(tokenFile), StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                throw new TapnetException("cannot read the control token from " + tokenFile + " (" + CONTROL_TOKEN_FILE + "): " + e, e);
            }
        }
        throw new TapnetException("not inside a tapnet run: neither " + CONTROL + " nor " + CONTROL_URL
                + " is set. Run the program inside one: tapnet run FILE -- COMMAND (for tests, tapnet run FILE -- mvn test)", null);
    }

    /** The run whose control socket is {@code socket} ({@code /run/tapnet/NAME.sock}). */
    public static Network connect(Path socket) {
        return new Network(new Transport(UnixDomainSocketAddress.of(socket), null, TIMEOUT));
    }

    /** The run's control API on TCP ({@code http://127.0.0.1:8474}), with the token it printed at start. */
    public static Network connect(URI url, String token) {
        if (!"http".equals(url.getScheme()) || url.getHost() == null || url.getPort() < 0) {
            throw new IllegalArgumentException("expected http://HOST:PORT, as --control-listen gives it, not " + url);
        }
        return new Network(new Transport(new InetSocketAddress(url.getHost(), url.getPort()), token, TIMEOUT));
    }
}
