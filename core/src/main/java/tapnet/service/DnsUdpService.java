package tapnet.service;

import java.nio.ByteBuffer;
import tapnet.dns.DnsZone;
import tapnet.net.UdpExchange;
import tapnet.net.UdpHandler;
import tapnet.observe.Counter;
import tapnet.observe.Counters;

/**
 * The topology's DNS server on UDP port 53 (RFC 1035 §4.2.1): each query is answered by the zone straight
 * into the reply's frame, at most what the query allows (512 bytes, or its EDNS0 size) and what one frame
 * back carries; a longer answer goes with TC set, for the resolver to ask again over TCP
 * ({@link DnsTcpService}). Nothing is allocated per query. Engine thread only: it owns its zone.
 */
public final class DnsUdpService implements UdpHandler {
    public static final int PORT = 53;

    private final DnsZone zone;
    private final Counters counters;

    public DnsUdpService(DnsZone zone, Counters counters) {
        this.zone = zone;
        this.counters = counters;
    }

    @Override
    public void onDatagram(UdpExchange exchange) {
        counters.increment(Counter.DNS_QUERIES_UDP);
        ByteBuffer reply = exchange.beginReply();
        int length = zone.answer(exchange.buffer(), exchange.payloadOffset(), exchange.payloadLength(), reply,
                UdpExchange.REPLY_OFFSET, exchange.maxReplyLength());
        DnsAnswers.count(counters, reply, UdpExchange.REPLY_OFFSET, length, true);
        if (length > 0) {
            exchange.sendReply(length);
        } // else the exchange gives the frame back after the call
    }
}
