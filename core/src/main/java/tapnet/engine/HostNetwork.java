package tapnet.engine;

import java.nio.ByteBuffer;
import tapnet.net.NetworkInput;
import tapnet.node.VirtualHost;
import tapnet.route.HostInterfaces;
import tapnet.tcp.TcpStack;

/**
 * The hosts' network layer as the layers around it see it: the routers hand it frames and ask it for ICMP
 * errors ({@link HostInterfaces}), the TCP stack asks it for ARP and port unreachables
 * ({@link TcpStack.NetworkLayer}). Frames reach the hosts at the engine's time for them, which the frame
 * path sets ({@link #at}) as each frame, batch or poll begins. Engine thread only.
 */
final class HostNetwork implements HostInterfaces, TcpStack.NetworkLayer {
    private final NetworkInput input;
    private long nanos;

    HostNetwork(NetworkInput input) {
        this.input = input;
    }

    /** From now on frames reach the hosts at {@code now}. */
    void at(long now) {
        nanos = now;
    }

    /** The hosts' time now. */
    long nanos() {
        return nanos;
    }

    /** Sends the replies services held until now (UDP answers sent late), drops datagrams whose reassembly timed out. */
    void releaseHeld(long now) {
        input.releaseHeldReplies(now);
        input.expireFragments(now);
    }

    /** When the next held reply is due or reassembly times out, or {@link tapnet.time.Deadline#NONE}. */
    long nextHeldRelease() {
        return Math.min(input.nextHeldReply(), input.nextFragmentTimeout());
    }

    @Override
    public void receive(ByteBuffer frame, int offset, int length, boolean checksumsTrusted) {
        input.receive(frame, offset, length, checksumsTrusted, nanos);
    }

    @Override
    public void timeExceeded(VirtualHost router, ByteBuffer frame, int offset, int length) {
        input.timeExceeded(router, frame, offset, length);
    }

    @Override
    public void fragmentationNeeded(VirtualHost near, ByteBuffer frame, int offset, int length, int mtu) {
        input.fragmentationNeeded(near, frame, offset, length, mtu);
    }

    @Override
    public void hostUnreachable(VirtualHost router, ByteBuffer frame, int offset, int length) {
        input.hostUnreachable(router, frame, offset, length);
    }

    @Override
    public void setInterfaceMtu(VirtualHost host, int mtu) {
        input.setInterfaceMtu(host, mtu);
    }

    @Override
    public void resolve(int localAddress, long localMac, int remoteAddress) {
        input.requestArp(localAddress, localMac, remoteAddress);
    }

    @Override
    public void portUnreachable() {
        input.portUnreachable();
    }
}
