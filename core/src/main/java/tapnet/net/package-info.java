/**
 * Layer 6, a virtual host's network interface: ARP and its bounded neighbour table, IPv4 dispatch, ICMP
 * echo and errors (and pings a host sends), UDP's port unreachable ({@link tapnet.net.NetworkInput}), and
 * the writer that frames what the transports send ({@link tapnet.net.PacketWriter}). TCP segments go up
 * through {@link tapnet.net.TcpReceiver}. New transports (UDP services, IPv6) have their place here.
 *
 * <p>Depends on node, frame, wire and the basics. Engine thread only.
 */
package tapnet.net;
