package tapnet.wire;

import java.nio.ByteBuffer;

/**
 * The VXLAN header (RFC 7348 §5) in front of an inner Ethernet frame, carried in a UDP datagram:
 * <pre>
 *  0               1               2               3
 * |R|R|R|R|I|R|R|R|            Reserved (24 bits)                 |
 * |        VXLAN Network Identifier (VNI, 24 bits)  | Reserved (8)|
 * </pre>
 */
public final class VxlanHeader extends BufferView {
    public static final int LENGTH = 8;
    /** The IANA-assigned UDP destination port (RFC 7348 §5). */
    public static final int DEFAULT_PORT = 4789;
    /** VNIs are 24 bits. */
    public static final int MAX_VNI = 0xff_ffff;
    /** The I flag: the VNI is valid; it must be set (RFC 7348 §5). */
    public static final int FLAG_I = 0x08;

    private static final int FLAGS = 0;
    private static final int VNI_AND_RESERVED = 4;

    public VxlanHeader wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /**
     * True for a whole header with the I flag set. The reserved bits and bytes are ignored: a receiver must
     * ignore them (RFC 7348 §5), so a sender that sets them is still understood.
     */
    public boolean isValid() {
        return length >= LENGTH && (u8(FLAGS) & FLAG_I) != 0;
    }

    public int flags() {
        return u8(FLAGS);
    }

    /** The 24-bit VNI (the first three bytes of the second word). */
    public int vni() {
        return i32(VNI_AND_RESERVED) >>> 8;
    }

    /** Where the inner Ethernet frame starts. */
    public int payloadOffset() {
        return offset + LENGTH;
    }

    /** Bytes after the header: the inner frame. */
    public int payloadLength() {
        return length - LENGTH;
    }

    /** Writes a header for {@code vni}: the I flag set, every reserved bit zero (RFC 7348 §5). */
    public VxlanHeader write(int vni) {
        if ((vni & ~MAX_VNI) != 0) {
            throw new IllegalArgumentException("a VNI is 24 bits (0 to " + MAX_VNI + "): " + vni);
        }
        putI32(FLAGS, FLAG_I << 24);
        putI32(VNI_AND_RESERVED, vni << 8);
        return this;
    }
}
