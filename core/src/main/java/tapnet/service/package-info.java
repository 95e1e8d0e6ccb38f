/**
 * Layer 8, services: what listens on a virtual host's port. Over TCP ({@link tapnet.tcp.ConnectionHandler}s):
 * echo, discard, chargen, banner, HTTP; over UDP ({@link tapnet.net.UdpHandler}s): echo and discard; and the
 * topology's DNS server over both ({@link tapnet.service.DnsUdpService}, {@link tapnet.service.DnsTcpService}),
 * the zone's answers counted by rcode. A new protocol's server goes here.
 *
 * <p>Depends on tcp, net, dns (a zone answers the DNS servers' queries) and buffer. Engine thread only; a TCP handler keeps per-connection state in the
 * connection, a UDP handler answers within the call.
 */
package tapnet.service;
