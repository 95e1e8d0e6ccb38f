package tapnet.service;

import java.util.concurrent.atomic.AtomicLong;
import tapnet.net.UdpExchange;
import tapnet.net.UdpHandler;

/**
 * Discard over UDP (RFC 863): every datagram is thrown away and counted, with its payload bytes. The
 * counts have one writer, the engine; any thread may read them.
 */
public final class UdpDiscardService implements UdpHandler {
    private final AtomicLong datagrams = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    @Override
    public void onDatagram(UdpExchange exchange) {
        datagrams.lazySet(datagrams.get() + 1);
        bytes.lazySet(bytes.get() + exchange.payloadLength());
    }

    /** Datagrams discarded so far, all senders together. */
    public long datagrams() {
        return datagrams.get();
    }

    /** Payload bytes discarded so far. */
    public long bytes() {
        return bytes.get();
    }
}
