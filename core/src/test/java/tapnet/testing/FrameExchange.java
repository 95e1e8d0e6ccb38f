package tapnet.testing;

import java.util.List;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

/**
 * What a {@link TcpPeer} needs of a harness: the kernel's address, frames in with the answers out, and
 * time moving on. {@link EngineHarness} answers it with a whole engine, {@link StackHarness} with TCP alone,
 * so that one peer serves tests of either.
 */
public interface FrameExchange {
    /** The "kernel" that talks to the virtual hosts. */
    int PEER_IP = Ipv4Address.parse("10.77.0.1");
    long PEER_MAC = MacAddress.parse("02:00:00:00:00:01");
    /** The kernel's IPv6 address on the TAP (fd77::1, as a topology's {@code tap.address6: fd77::1/64}). */
    long[] PEER6 = tapnet.wire.Ipv6Address.parse("fd77::1");
    /** The kernel's link-local address, made from its MAC. */
    long[] PEER_LINK_LOCAL = {tapnet.wire.Ipv6Address.LINK_LOCAL_HIGH, tapnet.wire.Ipv6Address.linkLocalLow(PEER_MAC)};

    /** Delivers one frame as one batch; returns the frames sent in answer. */
    List<Decoded> send(byte[] frame);

    /** Moves virtual time forward, firing what falls due on the way; returns what that sent. */
    List<Decoded> advanceMillis(long millis);
}
