package tapnet.service;

import java.nio.charset.StandardCharsets;
import tapnet.tcp.ConnectionHandler;
import tapnet.tcp.TcpConnection;

/**
 * Sends a fixed text as soon as a connection opens (as SMTP, FTP or SSH servers greet), then discards
 * input; with {@code closeAfter} it closes right after the text, which makes tapnet the side that closes
 * first (TIME-WAIT is then ours).
 */
public final class BannerService implements ConnectionHandler {
    private final byte[] text;
    private final boolean closeAfter;

    /** Bytes of the banner a connection still has to send, while they do not fit the send buffer at once. */
    private static final class Progress {
        int sent;
    }

    public BannerService(String text, boolean closeAfter) {
        this.text = text.getBytes(StandardCharsets.UTF_8);
        this.closeAfter = closeAfter;
    }

    @Override
    public void onOpen(TcpConnection c) {
        Progress p = c.attachment() instanceof Progress existing ? existing : new Progress();
        p.sent = 0;
        c.attach(p);
        sendRest(c, p);
    }

    @Override
    public void onSendSpace(TcpConnection c) {
        if (c.attachment() instanceof Progress p) {
            sendRest(c, p);
        }
    }

    @Override
    public void onReceive(TcpConnection c) {
        c.consume(c.received().size());
    }

    @Override
    public void onPeerClose(TcpConnection c) {
        if (c.attachment() instanceof Progress p) {
            sendRest(c, p);
        }
    }

    private void sendRest(TcpConnection c, Progress p) {
        if (p.sent < text.length) {
            p.sent += c.send(text, p.sent, text.length - p.sent);
        }
        if (p.sent == text.length && (closeAfter || c.peerClosed())) {
            c.close();
        }
    }
}
