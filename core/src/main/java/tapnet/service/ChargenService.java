package tapnet.service;

import java.nio.charset.StandardCharsets;
import tapnet.tcp.ConnectionHandler;
import tapnet.tcp.TcpConnection;

/**
 * Character generator (RFC 864): lines of 72 printable characters, each starting one character later
 * than the one before, sent as fast as the peer takes them. Input is discarded.
 */
public final class ChargenService implements ConnectionHandler {
    private static final int LINE = 72;
    private static final int PRINTABLE = 95;
    /** The whole period of the stream: 95 lines of 72 characters and CR LF. */
    private static final byte[] PATTERN = pattern();

    /** Where in {@link #PATTERN} the next byte of a connection comes from. */
    private static final class Position {
        int next;
    }

    @Override
    public void onOpen(TcpConnection c) {
        Position p = c.attachment() instanceof Position existing ? existing : new Position();
        p.next = 0;
        c.attach(p);
        fill(c, p);
    }

    @Override
    public void onReceive(TcpConnection c) {
        c.consume(c.received().size());
    }

    @Override
    public void onSendSpace(TcpConnection c) {
        if (c.attachment() instanceof Position p) {
            fill(c, p);
        }
    }

    private static void fill(TcpConnection c, Position p) {
        int space;
        while ((space = c.sendSpace()) > 0) {
            int run = Math.min(space, PATTERN.length - p.next);
            int sent = c.send(PATTERN, p.next, run);
            p.next = (p.next + sent) % PATTERN.length;
            if (sent < run) {
                return;
            }
        }
    }

    private static byte[] pattern() {
        StringBuilder sb = new StringBuilder(PRINTABLE * (LINE + 2));
        for (int line = 0; line < PRINTABLE; line++) {
            for (int i = 0; i < LINE; i++) {
                sb.append((char) (' ' + (line + i) % PRINTABLE));
            }
            sb.append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The first {@code n} bytes a connection receives, for tests. */
    public static byte[] expectedStream(int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = PATTERN[i % PATTERN.length];
        }
        return out;
    }
}
