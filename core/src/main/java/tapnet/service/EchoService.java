package tapnet.service;

import tapnet.tcp.ConnectionHandler;
import tapnet.tcp.TcpConnection;

/** Echo (RFC 862): every byte received is sent back. When the peer closes, the rest is echoed, then FIN. */
public final class EchoService implements ConnectionHandler {
    @Override
    public void onReceive(TcpConnection c) {
        pump(c);
    }

    @Override
    public void onSendSpace(TcpConnection c) {
        pump(c);
    }

    @Override
    public void onPeerClose(TcpConnection c) {
        pump(c);
    }

    private static void pump(TcpConnection c) {
        c.echo(c.received().size());
        if (c.peerClosed() && c.received().isEmpty()) {
            c.close();
        }
    }
}
