package tapnet.cli.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Sends one {@code tapnet ctl} request to a running tapnet's control API, over its Unix socket: one
 * HTTP/1.1 exchange ({@code Connection: close}), asking for the answer in ctl's words ({@code text/plain}).
 */
public final class ControlClient {
    /** The longest answer read: a link per node of a large topology fits. */
    private static final int MAX_ANSWER_BYTES = 64 << 20;

    /** Thrown when nothing listens at the path: no file, or a file left by a tapnet that is gone. */
    static final class NotListeningException extends IOException {
        NotListeningException(Path path, String why) {
            super("no tapnet is listening at " + path + " (" + why + "); is it running? Its start message"
                    + " names its socket: control: tapnet ctl --socket PATH ...");
        }
    }

    private ControlClient() {
    }

    /**
     * Sends the request and reads the answer. tapnet may answer before it has read the whole request (a body
     * too large) and close: the write then fails after the answer came; the answer is what counts.
     *
     * @throws IllegalArgumentException a request that cannot be sent as it is (a service not HOST:PORT)
     */
    public static ControlReply send(Path path, ControlRequest request) throws IOException {
        ControlRequest.Http call = request.http();
        byte[] body = call.body() == null ? new byte[0] : call.body().getBytes(StandardCharsets.UTF_8);
        String head = call.method() + " " + call.path() + " HTTP/1.1\r\nHost: tapnet\r\nAccept: text/plain\r\n"
                + "Tapnet-Client: ctl\r\nConnection: close\r\n"
                + (call.body() == null ? "" : "Content-Type: application/json\r\n")
                + (call.method().equals("GET") ? "" : "Content-Length: " + body.length + "\r\n") + "\r\n";
        try (SocketChannel channel = connect(path)) {
            IOException unsent = null;
            try {
                ByteBuffer out = ByteBuffer.allocate(head.length() + body.length);
                out.put(head.getBytes(StandardCharsets.ISO_8859_1)).put(body).flip();
                while (out.hasRemaining()) {
                    channel.write(out);
                }
            } catch (IOException e) {
                unsent = e;
            }
            byte[] answer;
            try {
                answer = Channels.newInputStream(channel).readNBytes(MAX_ANSWER_BYTES);
            } catch (IOException e) {
                throw unsent != null ? new IOException("cannot send to " + path + ": " + unsent.getMessage(), unsent) : e;
            }
            if (answer.length == 0 && unsent != null) {
                throw new IOException("cannot send to " + path + ": " + unsent.getMessage(), unsent);
            }
            return reply(path, new String(answer, StandardCharsets.ISO_8859_1));
        }
    }

    /** The reply an HTTP answer holds (its bytes one char each): ok for a 2xx status; its UTF-8 body's lines. */
    static ControlReply reply(Path path, String answer) throws IOException {
        int headEnd = answer.indexOf("\r\n\r\n");
        if (!answer.startsWith("HTTP/1.") || headEnd < 0 || answer.length() < 12) {
            throw new IOException(path + " answered, but not as a tapnet control API: '"
                    + tapnet.topology.yaml.TopologyError.oneLine(answer.lines().findFirst().orElse("")) + "'");
        }
        int status;
        try {
            status = Integer.parseInt(answer.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException(path + " answered with a malformed status line: " + answer.lines().findFirst().orElse(""));
        }
        String head = answer.substring(0, headEnd).toLowerCase(Locale.ROOT);
        String body = answer.substring(headEnd + 4);
        if (head.contains("\r\ntransfer-encoding: chunked")) {
            try {
                body = unchunk(body);
            } catch (NumberFormatException e) {
                throw new IOException(path + " answered with a malformed chunked body: " + e.getMessage());
            }
        }
        String text = new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        return new ControlReply(status >= 200 && status < 300, text.lines().toList());
    }

    /** A chunked body (RFC 9112 §7.1) put back together. */
    private static String unchunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", at);
            if (lineEnd < 0) {
                break;
            }
            String size = chunked.substring(at, lineEnd);
            int semicolon = size.indexOf(';');
            int length = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
            if (length == 0) {
                break;
            }
            int from = lineEnd + 2; // one char per byte: sizes count chars
            out.append(chunked, from, Math.min(chunked.length(), from + length));
            at = from + length + 2;
        }
        return out.toString();
    }

    /** Whether something accepts connections at {@code path}. */
    static boolean answers(Path path) {
        try (SocketChannel ignored = connect(path)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static SocketChannel connect(Path path) throws IOException {
        if (!java.nio.file.Files.exists(path)) {
            throw new NotListeningException(path, "no such file");
        }
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(path));
            return channel;
        } catch (java.net.ConnectException e) {
            channel.close();
            throw new NotListeningException(path, "connection refused");
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot connect to " + path + ": " + e.getMessage(), e);
        }
    }
}
