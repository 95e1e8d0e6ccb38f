package tapnet.wire;

import java.nio.ByteBuffer;

/** ARP for Ethernet and IPv4 (RFC 826): the only kind a virtual host speaks. */
public final class ArpPacket extends BufferView {
    public static final int LENGTH = 28;
    public static final int OPERATION_REQUEST = 1;
    public static final int OPERATION_REPLY = 2;
    private static final int HARDWARE_ETHERNET = 1;

    private static final int HARDWARE_TYPE = 0;
    private static final int PROTOCOL_TYPE = 2;
    private static final int HARDWARE_LENGTH = 4;
    private static final int PROTOCOL_LENGTH = 5;
    private static final int OPERATION = 6;
    private static final int SENDER_MAC = 8;
    private static final int SENDER_IP = 14;
    private static final int TARGET_MAC = 18;
    private static final int TARGET_IP = 24;

    public ArpPacket wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /** True for a whole packet of Ethernet (6-byte) and IPv4 (4-byte) addresses. */
    public boolean isValidEthernetIpv4() {
        return length >= LENGTH
                && u16(HARDWARE_TYPE) == HARDWARE_ETHERNET
                && u16(PROTOCOL_TYPE) == EthernetFrame.TYPE_IPV4
                && u8(HARDWARE_LENGTH) == 6
                && u8(PROTOCOL_LENGTH) == 4;
    }

    public int operation() {
        return u16(OPERATION);
    }

    public long senderMac() {
        return u48(SENDER_MAC);
    }

    public int senderIp() {
        return i32(SENDER_IP);
    }

    public long targetMac() {
        return u48(TARGET_MAC);
    }

    public int targetIp() {
        return i32(TARGET_IP);
    }

    /** Writes a whole Ethernet/IPv4 ARP packet. */
    public ArpPacket write(int operation, long senderMac, int senderIp, long targetMac, int targetIp) {
        putU16(HARDWARE_TYPE, HARDWARE_ETHERNET);
        putU16(PROTOCOL_TYPE, EthernetFrame.TYPE_IPV4);
        putU8(HARDWARE_LENGTH, 6);
        putU8(PROTOCOL_LENGTH, 4);
        putU16(OPERATION, operation);
        putU48(SENDER_MAC, senderMac);
        putI32(SENDER_IP, senderIp);
        putU48(TARGET_MAC, targetMac);
        putI32(TARGET_IP, targetIp);
        return this;
    }
}
