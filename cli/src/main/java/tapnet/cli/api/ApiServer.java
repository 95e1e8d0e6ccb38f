package tapnet.cli.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import tapnet.cli.control.ControlSocket;

/**
 * The control API's HTTP/1.1 server (Jetty): on the run's Unix socket (mode 0600: its file mode is the
 * guard), and on a TCP address when asked (every request there needs the token). Its limits: headers
 * {@link #MAX_HEADER_BYTES}, bodies {@link ApiHandler#MAX_BODY_BYTES}, {@link #MAX_CONNECTIONS} connections
 * at once (more wait to be accepted), {@link #IDLE_TIMEOUT_MS} idle. It listens from the start of the run
 * (so that a second run at the same socket is refused early) and answers 503 until {@link #serve}.
 */
public final class ApiServer implements AutoCloseable {
    static final int MAX_HEADER_BYTES = 8 * 1024;
    static final int MAX_CONNECTIONS = 16;
    static final long IDLE_TIMEOUT_MS = 30_000;

    private final Server server;
    private final ApiHandler handler;
    private final Path socket;
    private final ServerConnector tcp;
    private final ApiToken token;

    private ApiServer(Server server, ApiHandler handler, Path socket, ServerConnector tcp, ApiToken token) {
        this.server = server;
        this.handler = handler;
        this.socket = socket;
        this.tcp = tcp;
        this.token = token;
    }

    /**
     * Listens at {@code socket} (null: no socket) and at {@code listen} (null: no TCP) with {@code token}.
     * A socket file nothing answers at (left by a tapnet that was killed) is replaced; a live one is refused
     * ({@link ControlSocket.InUseException}).
     */
    public static ApiServer bind(Path socket, ListenAddress listen, ApiToken token) throws IOException {
        if (socket != null) {
            ControlSocket.prepare(socket);
        }
        QueuedThreadPool threads = new QueuedThreadPool(32, 4);
        threads.setName("tapnet-control");
        threads.setDaemon(true);
        Server server = new Server(threads);
        server.setStopAtShutdown(false); // the run stops it, in order, at its end
        HttpConfiguration config = new HttpConfiguration();
        config.setRequestHeaderSize(MAX_HEADER_BYTES);
        config.setSendServerVersion(false);
        UnixDomainServerConnector unix = null;
        if (socket != null) {
            unix = new UnixDomainServerConnector(server, 1, 1, new HttpConnectionFactory(config));
            unix.setUnixDomainPath(socket);
            unix.setIdleTimeout(IDLE_TIMEOUT_MS);
            server.addConnector(unix);
        }
        ServerConnector tcp = null;
        if (listen != null) {
            tcp = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
            tcp.setHost(listen.address().getHostAddress());
            tcp.setPort(listen.port());
            tcp.setIdleTimeout(IDLE_TIMEOUT_MS);
            server.addConnector(tcp);
        }
        server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, server));
        ApiHandler handler = new ApiHandler(token);
        server.setHandler(handler);
        server.setErrorHandler(ApiServer::jettyError);
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            if (socket != null) {
                Files.deleteIfExists(socket);
            }
            throw new IOException("cannot listen" + (socket != null ? " at " + socket : "")
                    + (listen != null ? " on " + listen.host() + ":" + listen.port() : "") + ": " + e.getMessage(), e);
        }
        if (socket != null) {
            // Connecting takes write permission on the file: the owner's alone, whatever the umask.
            Files.setPosixFilePermissions(socket, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        }
        return new ApiServer(server, handler, socket, tcp, token);
    }

    /** Answers requests with {@code routes}, the run's engine being up. */
    public void serve(ApiRoutes routes) {
        handler.serve(routes);
    }

    /** The Unix socket, null when there is none. */
    public Path socket() {
        return socket;
    }

    /** {@code http://127.0.0.1:8474} for the TCP listener (its port as bound), null when there is none. */
    public String url() {
        if (tcp == null) {
            return null;
        }
        String host = tcp.getHost().contains(":") ? "[" + tcp.getHost() + "]" : tcp.getHost();
        return "http://" + host + ":" + tcp.getLocalPort();
    }

    public ApiToken token() {
        return token;
    }

    /** The API's own counters: requests answered, errors among them, requests without the right token. */
    public Map<String, Long> counters() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("control.requests", handler.requests.get());
        out.put("control.errors", handler.errors.get());
        out.put("control.unauthorized", handler.unauthorized.get());
        return out;
    }

    /** Stops captures still running, then the server; removes the socket and a token file it wrote. Idempotent. */
    @Override
    public void close() {
        if (handler.routes() != null) {
            handler.routes().stopCaptures();
        }
        stopQuietly(server);
        if (socket != null) {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                System.err.println("tapnet: could not remove the control socket " + socket + ": " + e.getMessage());
            }
        }
        if (token != null) {
            token.remove();
        }
    }

    /** Jetty's own refusals (headers too large, a request it cannot parse) as the API's JSON errors. */
    private static boolean jettyError(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                      org.eclipse.jetty.util.Callback callback) {
        Object message = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
        ApiRoutes.Answer answer = ApiRoutes.failure(new ApiException(response.getStatus(), "HTTP " + response.getStatus()
                + (message == null ? "" : ": " + message)), false);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
        Content.Sink.write(response, true, answer.body(), callback);
        return true;
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            System.err.println("tapnet: the control API did not stop cleanly: " + e);
        }
    }
}
