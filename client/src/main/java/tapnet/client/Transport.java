package tapnet.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One HTTP/1.1 exchange per call with the control API, over a Unix socket or TCP: a {@link SocketChannel},
 * since the JDK's HttpClient cannot open a Unix socket. Each call opens its own connection and asks the
 * server to close it ({@code Connection: close}), so calls from several threads never share one; the
 * control API is not a hot path. The answer is read up to its {@code Content-Length} (or its last chunk,
 * or the close), each read waiting at most the timeout.
 */
final class Transport {
    /** The most of an answer read; the largest, 10,000 events, is a few MB. */
    static final int MAX_ANSWER_BYTES = 64 << 20;

    private final SocketAddress address;
    private final String token;
    private final Duration timeout;

    Transport(SocketAddress address, String token, Duration timeout) {
        this.address = address;
        this.token = token;
        this.timeout = timeout;
    }

    /** Where it connects: the socket's path or host:port. */
    String describe() {
        return address instanceof UnixDomainSocketAddress unix ? unix.getPath().toString()
                : "http://" + ((InetSocketAddress) address).getHostString() + ":" + ((InetSocketAddress) address).getPort();
    }

    /** {@code method path} with {@code body} (JSON, or null for none); the answer whatever its status. */
    HttpAnswer exchange(String method, String path, String body) throws IOException {
        try (SocketChannel channel = SocketChannel.open(address)) { // a Unix socket's or TCP's, as the address is
            writeAll(channel, request(method, path, body));
            return read(channel);
        }
    }

    private byte[] request(String method, String path, String body) {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: tapnet\r\n")
                .append("Accept: application/json\r\n")
                .append("User-Agent: tapnet-client\r\n")
                .append("Connection: close\r\n");
        if (token != null) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Type: application/json\r\n");
        }
        if (body != null || !method.equals("GET")) {
            head.append("Content-Length: ").append(content.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[headBytes.length + content.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(content, 0, all, headBytes.length, content.length);
        return all;
    }

    private static void writeAll(SocketChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private HttpAnswer read(SocketChannel channel) throws IOException {
        channel.configureBlocking(false);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024); // large reads: the answer is parsed again after each
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_READ);
            while (true) {
                HttpAnswer answer = HttpAnswer.parse(received.toByteArray(), false);
                if (answer != null) {
                    return answer;
                }
                if (selector.select(Math.max(1, timeout.toMillis())) == 0) {
                    throw new IOException("no answer from " + describe() + " within " + timeout.toMillis() + " ms");
                }
                selector.selectedKeys().clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    answer = HttpAnswer.parse(received.toByteArray(), true);
                    if (answer == null) {
                        String start = received.toString(StandardCharsets.UTF_8).lines().findFirst().orElse("");
                        throw new IOException(start.startsWith("HTTP/") || start.isEmpty()
                                ? describe() + " closed the connection before a whole answer (" + received.size() + " bytes)"
                                : describe() + " does not answer in HTTP (a tapnet from before the control API?): " + start);
                    }
                    return answer;
                }
                received.write(buffer.array(), 0, buffer.position());
                buffer.clear();
                if (received.size() > MAX_ANSWER_BYTES) {
                    throw new IOException("an answer over " + MAX_ANSWER_BYTES + " bytes from " + describe());
                }
            }
        }
    }
}
