package tapnet.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The control socket of a running tapnet: a Unix domain socket at a path, one request per connection (a
 * line in, the reply's lines out, then close). One daemon thread accepts; each connection gets a daemon
 * thread of its own, so a client that never sends its line holds up no one else.
 */
final class ControlServer implements AutoCloseable {
    /** The longest request line taken: a link spec is a few hundred characters. */
    static final int MAX_REQUEST = 64 * 1024;

    /** Thrown when another tapnet already answers at the path. */
    static final class InUseException extends IOException {
        InUseException(String message) {
            super(message);
        }
    }

    private final Path path;
    private final ServerSocketChannel channel;
    private volatile boolean closed;

    private ControlServer(Path path, ServerSocketChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /**
     * Binds the socket at {@code path}, making its directory if missing. A socket file nothing answers at
     * (left by a tapnet that was killed) is replaced; a live one, or a file that is not a socket, is refused.
     */
    static ControlServer bind(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            if (!isSocket(path)) {
                throw new IOException("control socket " + path + " exists and is not a socket; remove it or give"
                        + " --control another path");
            }
            if (ControlClient.answers(path)) {
                throw new InUseException("another tapnet is listening at " + path + "; stop it, or give this run"
                        + " --control another path (or --no-control)");
            }
            Files.delete(path); // stale: its tapnet is gone
        }
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot listen at " + path + ": " + e.getMessage(), e);
        }
        return new ControlServer(path, channel);
    }

    Path path() {
        return path;
    }

    /** Starts answering requests with {@code handler} on a daemon thread. */
    void serve(Function<String, ControlReply> handler) {
        Thread acceptor = new Thread(() -> accept(handler), "tapnet-control");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(Function<String, ControlReply> handler) {
        while (!closed) {
            SocketChannel client;
            try {
                client = channel.accept();
            } catch (ClosedChannelException e) {
                return; // closed: the run is ending
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                System.err.println("tapnet: control socket: " + e.getMessage());
                continue;
            }
            Thread worker = new Thread(() -> answer(client, handler), "tapnet-control-request");
            worker.setDaemon(true);
            worker.start();
        }
    }

    private static void answer(SocketChannel client, Function<String, ControlReply> handler) {
        try (client;
             BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
             Writer out = new OutputStreamWriter(Channels.newOutputStream(client), StandardCharsets.UTF_8)) {
            String line = readLine(in);
            if (line == null) {
                return; // connected and left without a word: a liveness check (another tapnet starting, say)
            }
            ControlReply reply = line.length() > MAX_REQUEST
                    ? ControlReply.error("the request is longer than " + MAX_REQUEST + " characters; expected one line")
                    : handler.apply(line);
            out.write(reply.text());
            out.flush();
        } catch (IOException e) {
            // the client went away; nothing to answer
        }
    }

    /**
     * The first line (without its break, which the last line may lack), longer than {@link #MAX_REQUEST}
     * when it is too long, or null when the client sent nothing.
     */
    private static String readLine(BufferedReader in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                return line.toString();
            }
            if (line.length() > MAX_REQUEST) {
                return line.toString(); // too long; read no more of it
            }
            line.append((char) c);
        }
        return line.isEmpty() ? null : line.toString();
    }

    private static boolean isSocket(Path path) throws IOException {
        int mode = (Integer) Files.getAttribute(path, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        return (mode & 0170000) == 0140000; // S_IFMT, S_IFSOCK
    }

    /** Stops listening and removes the socket file; requests being answered finish on their own threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            System.err.println("tapnet: could not remove control socket " + path + ": " + e.getMessage());
        }
    }
}
