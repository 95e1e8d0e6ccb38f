package tapnet.wire;

import java.nio.ByteBuffer;

/** Ethernet II frame header (IEEE 802.3 with an EtherType; no VLAN tags). */
public final class EthernetFrame extends BufferView {
    public static final int HEADER_LENGTH = 14;
    /** Frames shorter than this on the wire are padded (64 bytes minus the 4-byte FCS a TAP never shows). */
    public static final int MIN_FRAME_LENGTH = 60;

    public static final int TYPE_IPV4 = 0x0800;
    public static final int TYPE_ARP = 0x0806;
    public static final int TYPE_IPV6 = 0x86dd;

    private static final int DESTINATION = 0;
    private static final int SOURCE = 6;
    private static final int ETHER_TYPE = 12;

    public EthernetFrame wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /** True when the region holds at least a whole header. */
    public boolean isComplete() {
        return length >= HEADER_LENGTH;
    }

    public long destination() {
        return u48(DESTINATION);
    }

    public long source() {
        return u48(SOURCE);
    }

    public int etherType() {
        return u16(ETHER_TYPE);
    }

    public EthernetFrame setDestination(long mac) {
        putU48(DESTINATION, mac);
        return this;
    }

    public EthernetFrame setSource(long mac) {
        putU48(SOURCE, mac);
        return this;
    }

    public EthernetFrame setEtherType(int type) {
        putU16(ETHER_TYPE, type);
        return this;
    }

    /** Absolute index of the payload (the ARP or IP packet). */
    public int payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    public int payloadLength() {
        return length - HEADER_LENGTH;
    }
}
