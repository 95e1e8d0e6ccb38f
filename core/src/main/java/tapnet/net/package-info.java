/**
 * Layer 6, a virtual host's network interface: ARP and its bounded neighbour table, IPv4 dispatch, ICMP
 * echo and errors (and pings a host sends), UDP ({@link tapnet.net.NetworkInput}), and the writer that
 * frames what the transports send ({@link tapnet.net.PacketWriter}). TCP segments go up through
 * {@link tapnet.net.TcpReceiver}. UDP is small enough to live here whole: {@link tapnet.net.UdpInput} checks
 * a datagram and hands it to the {@link tapnet.net.UdpHandler} of its port, or port unreachable goes back;
 * the handler reads it and replies through one reused {@link tapnet.net.UdpExchange}; datagrams a host
 * sends itself, as a client, go out through {@code UdpOutput}, held for ARP when needed. Fragments are put
 * together in a bounded {@link tapnet.net.FragmentReassembly} (any IP version; {@code Ipv4Reassembly} reads
 * IPv4's), and what is longer than a host's MTU leaves in fragments through the writer. New transports
 * (IPv6) have their place here too.
 *
 * <p>Depends on route (its fragmenter), node, frame, wire and the basics. Engine thread only.
 */
package tapnet.net;
