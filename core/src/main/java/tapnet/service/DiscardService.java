package tapnet.service;

import java.util.concurrent.atomic.AtomicLong;
import tapnet.tcp.ConnectionHandler;
import tapnet.tcp.TcpConnection;

/**
 * Discard (RFC 863), also the "sink": every byte received is thrown away and counted. The count has one
 * writer, the engine; any thread may read it.
 */
public final class DiscardService implements ConnectionHandler {
    private final AtomicLong bytes = new AtomicLong();

    @Override
    public void onReceive(TcpConnection c) {
        int n = c.consume(c.received().size());
        bytes.lazySet(bytes.get() + n);
    }

    /** Bytes discarded so far, all connections together. */
    public long bytes() {
        return bytes.get();
    }
}
