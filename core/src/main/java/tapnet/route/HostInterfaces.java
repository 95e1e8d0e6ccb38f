package tapnet.route;

import java.nio.ByteBuffer;
import tapnet.node.VirtualHost;

/**
 * The virtual hosts' network interfaces as the routers see them: where a frame that reached its node is
 * handed up, who answers the ICMP errors a router or a link's near end sends, and where a host learns the
 * MTU of its way to the TAP. The layer above (the hosts' network layer) implements it.
 */
public interface HostInterfaces {
    /** A frame for a host or router, at the engine's time; {@code checksumsTrusted}: the kernel vouched for them. */
    void receive(ByteBuffer frame, int offset, int length, boolean checksumsTrusted);

    /** {@code router} answers ICMP time exceeded about the frame (its TTL ran out there). */
    void timeExceeded(VirtualHost router, ByteBuffer frame, int offset, int length);

    /** {@code near} answers ICMP fragmentation needed about the frame, with the next hop's MTU (RFC 1191). */
    void fragmentationNeeded(VirtualHost near, ByteBuffer frame, int offset, int length, int mtu);

    /** {@code router} answers ICMP host unreachable about the frame: no host has its address. */
    void hostUnreachable(VirtualHost router, ByteBuffer frame, int offset, int length);

    /** The smallest MTU on {@code host}'s way to the TAP ({@code Impairments.NO_MTU}: none): its MSS follows it. */
    void setInterfaceMtu(VirtualHost host, int mtu);
}
