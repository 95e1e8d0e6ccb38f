package tapnet.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import tapnet.tap.NetworkNamespace;
import tapnet.wire.Ipv6Address;

/**
 * The kernel's side of the scenarios: Java server sockets in the kernel host's namespace, serving the
 * {@link Ports} as tapnet's services do (echo, discard, a banner that closes, a port that never reads), on
 * the host's IPv4 address and on its IPv6 one.
 * Every socket is created on a thread inside the namespace, so it lives there.
 */
final class KernelServices implements AutoCloseable {
    /** The smallest receive buffer Linux allows (SOCK_MIN_RCVBUF is about 2.3 KiB; the kernel doubles what is asked). */
    private static final int HOLD_RECEIVE_BUFFER = 2048;
    private static final int BACKLOG = 128;

    private final List<ServerSocket> listeners = new CopyOnWriteArrayList<>();
    private final Set<Socket> accepted = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private KernelServices() {
    }

    /** Serves the ports on {@code address}, and on {@code address6} when it is not null. */
    static KernelServices start(NetworkNamespace namespace, int address, long[] address6) throws Exception {
        KernelServices services = new KernelServices();
        try {
            List<InetAddress> locals = new java.util.ArrayList<>();
            locals.add(InetAddress.getByAddress(new byte[] {
                (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address}));
            if (address6 != null) {
                locals.add(Ipv6Address.toInet(address6[0], address6[1]));
            }
            namespace.call(() -> {
                for (InetAddress local : locals) {
                    services.listen(local, Ports.ECHO, 0, socket -> echo(socket, true));
                    services.listen(local, Ports.ECHO_NAGLE, 0, socket -> echo(socket, false));
                    services.listen(local, Ports.DISCARD, 0, KernelServices::discard);
                    services.listen(local, Ports.BANNER, 0, KernelServices::banner);
                    services.listen(local, Ports.HOLD, HOLD_RECEIVE_BUFFER, socket -> { });
                }
                return null;
            });
            return services;
        } catch (Exception | Error e) {
            services.close();
            throw e;
        }
    }

    private void listen(InetAddress address, int port, int receiveBuffer, Consumer<Socket> handler) throws IOException {
        ServerSocket server = new ServerSocket();
        listeners.add(server);
        if (receiveBuffer > 0) {
            server.setReceiveBufferSize(receiveBuffer); // inherited by the accepted sockets, set before the SYN-ACK
        }
        server.bind(new InetSocketAddress(address, port), BACKLOG);
        Thread acceptor = new Thread(() -> {
            while (!closed) {
                try {
                    Socket socket = server.accept();
                    accepted.add(socket);
                    Thread serve = new Thread(() -> handler.accept(socket), "kernel-" + port + "-" + socket.getPort());
                    serve.setDaemon(true);
                    serve.start();
                } catch (IOException e) {
                    if (closed) {
                        return;
                    }
                }
            }
        }, "kernel-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static void echo(Socket socket, boolean noDelay) {
        try (socket) {
            socket.setTcpNoDelay(noDelay);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // reset by the peer: the test meant it
        }
    }

    private static void discard(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[65536];
            while (in.read(buffer) >= 0) {
                // drop
            }
        } catch (IOException e) {
            // reset by the peer
        }
    }

    private static void banner(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.getOutputStream().write(Ports.BANNER_TEXT.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // reset by the peer
        }
    }

    /**
     * Opens a connection to {@code address:port} from a thread in {@code namespace} (active open), and
     * echoes on it what arrives, Nagle off, until it ends. Returns at once; the attempt goes on for up to
     * 30 s, or until {@link #close()}.
     */
    void connect(NetworkNamespace namespace, InetAddress address, int port) throws Exception {
        namespace.call(() -> {
            Socket socket = new Socket();
            accepted.add(socket);
            Thread client = new Thread(() -> { // started here, the thread and its socket live in the namespace
                try {
                    socket.connect(new InetSocketAddress(address, port), 30_000);
                } catch (IOException e) {
                    return; // refused, reset or timed out: the test looks at the segments
                }
                echo(socket, true);
            }, "kernel-connect-" + port);
            client.setDaemon(true);
            client.start();
            return null;
        });
    }

    @Override
    public void close() {
        closed = true;
        for (ServerSocket server : listeners) {
            try {
                server.close();
            } catch (IOException e) {
                // going away with the namespace
            }
        }
        for (Socket socket : accepted) {
            try {
                socket.close();
            } catch (IOException e) {
                // going away with the namespace
            }
        }
    }
}
