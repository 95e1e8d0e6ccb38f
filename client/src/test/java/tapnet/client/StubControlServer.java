package tapnet.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in for a run's control API in tests: an HTTP/1.1 server on a Unix socket (or loopback TCP) that
 * answers each {@code METHOD /path} with what the test set (200 {} otherwise) and records every request.
 * One request per connection, closed after the answer, as the client asks.
 */
public final class StubControlServer implements AutoCloseable {
    /** A request as the server read it; {@code path} without the query, {@code query} "" when none. */
    public record Request(String method, String path, String query, Map<String, String> headers, String body) {
        public String call() {
            return method + " " + path;
        }
    }

    /** An answer to send. */
    public record Answer(int status, String body) {
    }

    private final ServerSocketChannel server;
    private final Path socket;
    private final Map<String, Function<Request, Answer>> answers = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private StubControlServer(ServerSocketChannel server, Path socket) {
        this.server = server;
        this.socket = socket;
        this.acceptor = new Thread(this::accept, "stub-control-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A server on a new Unix socket in {@code directory}. */
    public static StubControlServer onUnixSocket(Path directory) throws IOException {
        Path socket = directory.resolve("control.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return new StubControlServer(server, socket);
    }

    /** A server on a free loopback TCP port. */
    public static StubControlServer onLoopback() throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return new StubControlServer(server, null);
    }

    public Path socket() {
        return socket;
    }

    public int port() throws IOException {
        return ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    /** {@code call} ("PUT /v1/links/web") is answered with that status and body from now on. */
    public StubControlServer answer(String call, int status, String body) {
        return answer(call, request -> new Answer(status, body));
    }

    public StubControlServer answer(String call, Function<Request, Answer> answer) {
        answers.put(call, answer);
        return this;
    }

    /** Every request so far, in order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests of that call ("POST /v1/reset"). */
    public List<Request> requests(String call) {
        return requests.stream().filter(r -> r.call().equals(call)).toList();
    }

    public Request last() {
        return requests.get(requests.size() - 1);
    }

    private void accept() {
        while (server.isOpen()) {
            try (SocketChannel channel = server.accept()) {
                serve(channel);
            } catch (IOException e) {
                if (server.isOpen()) {
                    System.err.println("stub control server: " + e);
                }
            }
        }
    }

    private void serve(SocketChannel channel) throws IOException {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        int headEnd;
        while ((headEnd = in.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n")) < 0) {
            if (channel.read(buffer) < 0) {
                return;
            }
            in.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
        String[] lines = in.toString(StandardCharsets.ISO_8859_1).substring(0, headEnd).split("\r\n");
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        while (in.size() < headEnd + 4 + length && channel.read(buffer) >= 0) {
            in.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
        byte[] all = in.toByteArray();
        String body = new String(all, headEnd + 4, Math.min(length, all.length - headEnd - 4), StandardCharsets.UTF_8);
        String[] requestLine = lines[0].split(" ");
        String target = requestLine[1];
        int question = target.indexOf('?');
        Request request = new Request(requestLine[0], question < 0 ? target : target.substring(0, question),
                question < 0 ? "" : target.substring(question + 1), headers, body);
        requests.add(request);
        Answer answer = answers.getOrDefault(request.call(), r -> new Answer(200, "{}")).apply(request);
        byte[] content = answer.body().getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + answer.status() + " Whatever\r\nContent-Type: application/json\r\nContent-Length: "
                + content.length + "\r\nConnection: close\r\n\r\n";
        ByteBuffer out = ByteBuffer.wrap((head + answer.body()).getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        if (socket != null) {
            Files.deleteIfExists(socket);
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The calls made, "METHOD /path", in order. */
    public List<String> calls() {
        List<String> calls = new ArrayList<>();
        requests.forEach(r -> calls.add(r.call()));
        return calls;
    }
}
