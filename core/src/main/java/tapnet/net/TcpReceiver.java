package tapnet.net;

import java.nio.ByteBuffer;

/** The transport above IPv4 that takes TCP segments: the TCP stack, seen from the network layer. */
public interface TcpReceiver {
    /**
     * A TCP segment for a virtual host; {@code offset} and {@code length} delimit the IP payload. With
     * {@code checksumVerified} the device vouched for the checksum, which is then not checked again.
     */
    void receive(long localMac, long remoteMac, int remoteAddress, int localAddress,
                 ByteBuffer buffer, int offset, int length, boolean checksumVerified, long nowNanos);

    /** ARP taught us a neighbour's MAC: connections waiting to send to it may go on. */
    default void neighborLearned(int address, long mac, long nowNanos) {
    }

    /**
     * The MTU of the way out of the virtual host at {@code localAddress} (0: no limit), as an interface's
     * MTU: its MSS follows it from the next connection on.
     */
    default void interfaceMtu(int localAddress, int mtu) {
    }
}
