package tapnet.service;

import java.nio.charset.StandardCharsets;
import tapnet.buffer.ByteRing;
import tapnet.tcp.ConnectionHandler;
import tapnet.tcp.TcpConnection;

/**
 * A static HTTP/1.1 server (RFC 9112): every request, whatever its method and target, gets the same status
 * and body. Persistent connections are honoured: HTTP/1.1 keeps the connection unless the request says
 * {@code Connection: close}; HTTP/1.0 closes unless it says {@code Connection: keep-alive}. Request bodies
 * sized by Content-Length are read and ignored; pipelined requests are answered in order. Responses are
 * rendered once, at construction.
 */
public final class HttpService implements ConnectionHandler {
    /** Request heads longer than this are refused with 431 and the connection is closed. */
    static final int MAX_HEAD_BYTES = 64 * 1024;

    private final byte[] keepAlive;
    private final byte[] close;
    private final byte[] keepAliveHead;
    private final byte[] closeHead;
    private final byte[] tooLarge;
    private final byte[] badRequest;

    public HttpService(int status, String body, String contentType) {
        byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
        this.keepAlive = render(status, contentType, bodyBytes, "keep-alive", true);
        this.close = render(status, contentType, bodyBytes, "close", true);
        this.keepAliveHead = render(status, contentType, bodyBytes, "keep-alive", false);
        this.closeHead = render(status, contentType, bodyBytes, "close", false);
        byte[] empty = new byte[0];
        this.tooLarge = render(431, "text/plain", empty, "close", true);
        this.badRequest = render(400, "text/plain", empty, "close", true);
    }

    private static byte[] render(int status, String contentType, byte[] body, String connection, boolean withBody) {
        String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\n"
                + "Server: tapnet\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: " + connection + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[headBytes.length + (withBody ? body.length : 0)];
        System.arraycopy(headBytes, 0, out, 0, headBytes.length);
        if (withBody) {
            System.arraycopy(body, 0, out, headBytes.length, body.length);
        }
        return out;
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status";
        };
    }

    @Override
    public void onOpen(TcpConnection c) {
        HttpRequestParser parser = c.attachment() instanceof HttpRequestParser existing ? existing : new HttpRequestParser();
        parser.reset();
        c.attach(parser);
    }

    @Override
    public void onReceive(TcpConnection c) {
        serve(c);
    }

    @Override
    public void onSendSpace(TcpConnection c) {
        serve(c);
    }

    @Override
    public void onPeerClose(TcpConnection c) {
        serve(c);
    }

    /** Parses what arrived and answers each complete request, as far as the send buffer allows. */
    private void serve(TcpConnection c) {
        if (!(c.attachment() instanceof HttpRequestParser parser)) {
            return;
        }
        ByteRing in = c.received();
        while (true) {
            if (parser.response != null) {
                parser.responseSent += c.send(parser.response, parser.responseSent, parser.response.length - parser.responseSent);
                if (parser.responseSent < parser.response.length) {
                    return; // the rest goes out on onSendSpace
                }
                parser.response = null;
                if (parser.closeAfterResponse) {
                    c.consume(in.size());
                    c.close();
                    return;
                }
            }
            if (in.isEmpty()) {
                break;
            }
            int used = parser.parse(in);
            c.consume(used);
            if (parser.outcome != HttpRequestParser.Outcome.NEED_MORE) {
                respond(parser);
            } else if (used == 0) {
                break;
            }
        }
        if (c.peerClosed() && parser.response == null) {
            c.close();
        }
    }

    private void respond(HttpRequestParser parser) {
        switch (parser.outcome) {
            case REQUEST -> {
                boolean keep = parser.completedKeepAlive;
                parser.closeAfterResponse = !keep;
                parser.response = parser.completedHead ? (keep ? keepAliveHead : closeHead) : (keep ? keepAlive : close);
            }
            case HEAD_TOO_LARGE -> {
                parser.closeAfterResponse = true;
                parser.response = tooLarge;
            }
            default -> {
                parser.closeAfterResponse = true;
                parser.response = badRequest;
            }
        }
        parser.responseSent = 0;
        parser.outcome = HttpRequestParser.Outcome.NEED_MORE;
    }
}
