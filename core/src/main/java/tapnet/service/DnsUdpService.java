package tapnet.service;

import java.nio.ByteBuffer;
import tapnet.dns.DnsFaultDecision;
import tapnet.dns.DnsFaults;
import tapnet.dns.DnsZone;
import tapnet.net.UdpExchange;
import tapnet.net.UdpHandler;
import tapnet.observe.Counter;
import tapnet.observe.Counters;

/**
 * The topology's DNS server on UDP port 53 (RFC 1035 §4.2.1): each query is answered by the zone straight
 * into the reply's frame, at most what the query allows (512 bytes, or its EDNS0 size) and what one frame
 * back carries; a longer answer goes with TC set, for the resolver to ask again over TCP
 * ({@link DnsTcpService}). The server's {@link DnsFaults} decide first: an answer replaced, none sent, or one
 * held back ({@link UdpExchange#sendReplyAfter}). Nothing is allocated per query. Engine thread only: it
 * owns its zone.
 */
public final class DnsUdpService implements UdpHandler {
    public static final int PORT = 53;

    private final DnsZone zone;
    private final DnsFaults faults;
    private final Counters counters;
    private final DnsFaultDecision decision = new DnsFaultDecision();

    public DnsUdpService(DnsZone zone, Counters counters) {
        this(zone, null, counters);
    }

    /** With {@code faults} (null: none), which the server's TCP side shares. */
    public DnsUdpService(DnsZone zone, DnsFaults faults, Counters counters) {
        this.zone = zone;
        this.faults = faults;
        this.counters = counters;
    }

    @Override
    public void onDatagram(UdpExchange exchange) {
        counters.increment(Counter.DNS_QUERIES_UDP);
        if (faults == null) {
            decision.clear();
        } else {
            faults.decide(exchange.buffer(), exchange.payloadOffset(), exchange.payloadLength(), false, decision);
            DnsAnswers.countFaults(counters, decision);
        }
        if (decision.silent()) {
            return; // a timeout: the resolver hears nothing
        }
        ByteBuffer reply = exchange.beginReply();
        int length = zone.answer(exchange.buffer(), exchange.payloadOffset(), exchange.payloadLength(), reply,
                exchange.replyOffset(), exchange.maxReplyLength(), false, decision);
        DnsAnswers.count(counters, reply, exchange.replyOffset(), length, true);
        if (length > 0 && decision.delayNanos() > 0) {
            exchange.sendReplyAfter(length, decision.delayNanos());
        } else if (length > 0) {
            exchange.sendReply(length);
        } // else the exchange gives the frame back after the call
    }
}
