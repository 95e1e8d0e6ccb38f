package tapnet.service;

import tapnet.net.UdpExchange;
import tapnet.net.UdpHandler;

/**
 * Echo over UDP (RFC 862): each datagram goes back to its sender, ports swapped, payload unchanged. One
 * too large for the way back (a path of smaller MTU than the one it came by) is not answered, as a reply
 * cut short would be a different datagram.
 */
public final class UdpEchoService implements UdpHandler {
    @Override
    public void onDatagram(UdpExchange exchange) {
        if (exchange.payloadLength() <= exchange.maxReplyLength()) {
            exchange.reply(exchange.buffer(), exchange.payloadOffset(), exchange.payloadLength());
        }
    }
}
