package tapnet.segment;

import tapnet.wire.FrameAddresses;
import tapnet.wire.Ipv6Address;


/**
 * What the engine drops first when it falls behind its devices, as when a flood fills the TAP's queue
 * faster than one thread can answer it and the kernel starts dropping at the queue, blind to what it
 * drops: IPv4 from sources off the TAP's subnet, IPv6 from sources neither link-local nor in the TAP's
 * IPv6 prefix. No topology's own traffic comes so (the kernel of the
 * TAP's namespace and the ports sit on the subnet; hosts behind routers never arrive from a device), a
 * flood with random sources does. Such a frame is dropped after a look at two headers, before any TCP
 * work or answer, so the engine drains the queue faster and the segment's traffic keeps its place.
 * Off while the engine keeps up: then every frame is answered as before. Engine thread only.
 */
public final class LoadShedding {
    private int network;
    /** 0: no subnet known, nothing is ever shed. */
    private int mask;
    private boolean behind;
    private long high6;
    private long low6;
    /** -1: no IPv6 prefix known, no IPv6 is shed. */
    private int prefix6 = -1;

    public void segmentSubnet(int address, int prefixLength) {
        mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        network = address & mask;
    }

    /** The TAP's IPv6 prefix: IPv6 from elsewhere (but link-local sources) is shed when behind. */
    public void segmentPrefix6(long high, long low, int length) {
        high6 = high;
        low6 = low;
        prefix6 = length;
    }

    /** Whether the engine is behind its devices (their queues were not drained): shedding is on. */
    public void behind(boolean value) {
        behind = value;
    }

    public boolean behind() {
        return behind;
    }

    /**
     * Whether to drop a frame unanswered: shedding is on and it is IPv4 from off the TAP's subnet, as its
     * {@code addresses} (read) say.
     */
    public boolean sheds(FrameAddresses addresses) {
        if (!behind) {
            return false;
        }
        if (addresses.isIpv6()) {
            return prefix6 >= 0 && !Ipv6Address.isLinkLocal(addresses.sourceHigh())
                    && !Ipv6Address.samePrefix(addresses.sourceHigh(), addresses.sourceLow(), high6, low6, prefix6);
        }
        return mask != 0 && addresses.isIpv4() && (addresses.source() & mask) != network;
    }
}
