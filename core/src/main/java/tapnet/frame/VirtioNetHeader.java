package tapnet.frame;

import java.nio.ByteBuffer;

/**
 * struct virtio_net_hdr (linux/virtio_net.h), the 10 bytes a TAP opened with {@code IFF_VNET_HDR} puts
 * before every frame it reads and expects before every frame written: flags, gso_type, hdr_len, gso_size,
 * csum_start, csum_offset. Multi-byte fields are in the machine's byte order (a TAP is little-endian
 * unless told otherwise, and tapnet runs on little-endian x86_64 and AArch64). Read into and written from
 * an {@link Offload} descriptor; no allocation.
 */
public final class VirtioNetHeader {
    public static final int LENGTH = 10;

    private static final int FLAGS = 0;
    private static final int GSO_TYPE = 1;
    private static final int HDR_LEN = 2;
    private static final int GSO_SIZE = 4;
    private static final int CSUM_START = 6;
    private static final int CSUM_OFFSET = 8;
    private static final boolean LITTLE_ENDIAN = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;

    private VirtioNetHeader() {
    }

    /** The descriptor of the header at {@code at}. */
    public static long read(ByteBuffer buffer, int at) {
        return Offload.of(buffer.get(at + FLAGS) & 0xff, buffer.get(at + GSO_TYPE) & 0xff, u16(buffer, at + GSO_SIZE),
                u16(buffer, at + CSUM_START), u16(buffer, at + CSUM_OFFSET));
    }

    /**
     * Writes the header for {@code offload} at {@code at}; {@code headerLength} is hdr_len, the bytes of
     * headers before a GSO frame's payload (a hint to the kernel; 0 is allowed).
     */
    public static void write(ByteBuffer buffer, int at, long offload, int headerLength) {
        buffer.put(at + FLAGS, (byte) Offload.flags(offload));
        buffer.put(at + GSO_TYPE, (byte) Offload.gsoType(offload));
        putU16(buffer, at + HDR_LEN, headerLength);
        putU16(buffer, at + GSO_SIZE, Offload.gsoSize(offload));
        putU16(buffer, at + CSUM_START, Offload.checksumStart(offload));
        putU16(buffer, at + CSUM_OFFSET, Offload.checksumOffset(offload));
    }

    private static int u16(ByteBuffer buffer, int at) {
        short value = buffer.getShort(at);
        return (LITTLE_ENDIAN == (buffer.order() == java.nio.ByteOrder.BIG_ENDIAN) ? Short.reverseBytes(value) : value) & 0xffff;
    }

    private static void putU16(ByteBuffer buffer, int at, int value) {
        short v = (short) value;
        buffer.putShort(at, LITTLE_ENDIAN == (buffer.order() == java.nio.ByteOrder.BIG_ENDIAN) ? Short.reverseBytes(v) : v);
    }
}
