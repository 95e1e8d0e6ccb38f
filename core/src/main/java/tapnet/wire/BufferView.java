package tapnet.wire;

import java.nio.ByteBuffer;

/**
 * A flyweight over a region of a buffer: one instance is wrapped around frame after frame and never
 * copies or allocates. Field offsets are relative to {@link #offset()}; all fields are big-endian
 * (network order), which is a {@link ByteBuffer}'s default order.
 */
public abstract class BufferView {
    protected ByteBuffer buffer;
    protected int offset;
    protected int length;

    protected final void wrapRegion(ByteBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
    }

    public final ByteBuffer buffer() {
        return buffer;
    }

    /** Absolute index of this view's first byte in {@link #buffer()}. */
    public final int offset() {
        return offset;
    }

    /** Bytes available to this view, from {@link #offset()}. */
    public final int length() {
        return length;
    }

    protected final int u8(int at) {
        return buffer.get(offset + at) & 0xff;
    }

    protected final int u16(int at) {
        return buffer.getShort(offset + at) & 0xffff;
    }

    protected final int i32(int at) {
        return buffer.getInt(offset + at);
    }

    protected final long u48(int at) {
        return ((long) u16(at) << 32) | (buffer.getInt(offset + at + 2) & 0xffff_ffffL);
    }

    protected final void putU8(int at, int value) {
        buffer.put(offset + at, (byte) value);
    }

    protected final void putU16(int at, int value) {
        buffer.putShort(offset + at, (short) value);
    }

    protected final void putI32(int at, int value) {
        buffer.putInt(offset + at, value);
    }

    protected final void putU48(int at, long value) {
        buffer.putShort(offset + at, (short) (value >>> 32));
        buffer.putInt(offset + at + 2, (int) value);
    }
}
