package tapnet.service;

import tapnet.net.UdpExchange;
import tapnet.net.UdpHandler;

/**
 * Echo over UDP (RFC 862): each datagram goes back to its sender, ports swapped, payload unchanged; one
 * longer than the way back's MTU goes back in IPv4 fragments, as a kernel's echo server's would.
 */
public final class UdpEchoService implements UdpHandler {
    @Override
    public void onDatagram(UdpExchange exchange) {
        exchange.reply(exchange.buffer(), exchange.payloadOffset(), exchange.payloadLength());
    }
}
