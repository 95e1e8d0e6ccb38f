/**
 * The TAP backend: Ethernet frames between a Linux TAP device and the engine's rings, the kernel-side
 * interface set-up, and the network-namespace helpers tests and the CLI run it in.
 *
 * <ul>
 *   <li>{@link tapnet.tap.TapDevice}: open or attach to a TAP, read and write one frame per call.</li>
 *   <li>{@link tapnet.tap.TapReader}: the thread that polls the TAP and publishes frames into the ingress ring.</li>
 *   <li>{@link tapnet.tap.TapSink}: the engine's {@link tapnet.frame.FrameSink}, one write(2) per frame.</li>
 *   <li>{@link tapnet.tap.InterfaceConfiguration}: address, prefix, MTU and up through SIOC*IF* ioctls,
 *       undone on close; no {@code ip} command.</li>
 *   <li>{@link tapnet.tap.Ipv6Configuration}: the IPv6 address and prefix (SIOCSIFADDR on AF_INET6), IPv6 on
 *       and DAD off for the device (its sysctls), undone on close; {@link tapnet.tap.Ipv6AddressWait} holds the
 *       start until the kernel has the address out of tentative; {@link tapnet.tap.Ipv6InterfaceAddress} and
 *       {@link tapnet.tap.Ipv6Subnet} hold addresses as two long halves.</li>
 *   <li>{@link tapnet.tap.Ipv4Routes}, {@link tapnet.tap.Ipv6Routes}: the namespace's routes, and whether a
 *       subnet collides with one; {@link tapnet.tap.Ipv4RouteControl}, {@link tapnet.tap.Ipv6RouteControl}:
 *       routes through a gateway by SIOCADDRT.</li>
 *   <li>{@link tapnet.tap.NetworkNamespace}: named namespaces compatible with {@code ip netns}, and running
 *       code inside one.</li>
 *   <li>{@link tapnet.tap.VxlanSocket}: a segment's underlay, Ethernet frames as VXLAN (RFC 7348) over one
 *       UDP socket bound in an underlay namespace, to and from a fixed list of IPv4 remotes; the
 *       {@link tapnet.tap.TapReader} polls it beside the TAP and publishes each datagram unjudged as its
 *       remote's device, and a {@link tapnet.tap.VxlanRemoteSink} per remote is the engine's way out.
 *       {@code Ipv4SocketAddress} is the struct sockaddr_in it binds and sends with; {@code DatagramBatch}
 *       sends the datagrams of an offloaded frame's wire frames together, under UDP_SEGMENT;
 *       {@code UnsentDatagrams} counts and logs those it could not send.</li>
 *   <li>{@link tapnet.tap.PrivateRunDirectory}: a /run of a run's own (empty netns and tapnet) in a private
 *       mount namespace; {@link tapnet.tap.Loopback}: lo up in a fresh namespace.</li>
 * </ul>
 *
 * <p>Namespaces follow threads: a TAP, an ioctl socket or a Java socket belongs to the network namespace of
 * the thread that created it, so create them inside {@link tapnet.tap.NetworkNamespace#call}; after that any
 * thread may use them. Native calls go through one jnr-ffi binding of libc ({@code LibC}); frame buffers
 * are direct, so reading and writing frames allocates nothing.
 */
package tapnet.tap;
