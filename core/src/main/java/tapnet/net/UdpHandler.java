package tapnet.net;

/**
 * What a service implements to serve datagrams on a UDP port (RFC 768). Called on the engine thread for
 * each datagram that reached its port whole and with a right checksum; it may answer through the exchange
 * during the call, once, and must not keep the exchange: it is the same object for every datagram.
 */
public interface UdpHandler {
    /** One datagram for the port: its ends and payload, and the way back to its sender. */
    void onDatagram(UdpExchange exchange);
}
