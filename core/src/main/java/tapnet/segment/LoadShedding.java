package tapnet.segment;

import java.nio.ByteBuffer;
import tapnet.wire.EthernetFrame;
import tapnet.wire.Ipv4Packet;

/**
 * What the engine drops first when it falls behind its devices, as when a flood fills the TAP's queue
 * faster than one thread can answer it and the kernel starts dropping at the queue, blind to what it
 * drops: IPv4 from sources off the TAP's subnet. No topology's own traffic comes so (the kernel of the
 * TAP's namespace and the ports sit on the subnet; hosts behind routers never arrive from a device), a
 * flood with random sources does. Such a frame is dropped after a look at two headers, before any TCP
 * work or answer, so the engine drains the queue faster and the segment's traffic keeps its place.
 * Off while the engine keeps up: then every frame is answered as before. Engine thread only.
 */
public final class LoadShedding {
    private final EthernetFrame ethernet = new EthernetFrame();
    private final Ipv4Packet ip = new Ipv4Packet();
    private int network;
    /** 0: no subnet known, nothing is ever shed. */
    private int mask;
    private boolean behind;

    public void segmentSubnet(int address, int prefixLength) {
        mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        network = address & mask;
    }

    /** Whether the engine is behind its devices (their queues were not drained): shedding is on. */
    public void behind(boolean value) {
        behind = value;
    }

    public boolean behind() {
        return behind;
    }

    /** Whether to drop this frame unanswered: shedding is on and it is IPv4 from off the TAP's subnet. */
    public boolean sheds(ByteBuffer frame, int offset, int length) {
        if (!behind || mask == 0 || length < EthernetFrame.HEADER_LENGTH + Ipv4Packet.MIN_HEADER_LENGTH) {
            return false;
        }
        if (ethernet.wrap(frame, offset, length).etherType() != EthernetFrame.TYPE_IPV4) {
            return false;
        }
        int source = ip.wrap(frame, offset + EthernetFrame.HEADER_LENGTH, length - EthernetFrame.HEADER_LENGTH).source();
        return (source & mask) != network;
    }
}
