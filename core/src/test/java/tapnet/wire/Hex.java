package tapnet.wire;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Hex text to buffers and back, for tests that compare frames byte for byte. Spaces in hex are ignored. */
final class Hex {
    private Hex() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** A buffer holding exactly these bytes, so that reading one byte past them throws. */
    static ByteBuffer buffer(String hex) {
        return ByteBuffer.wrap(bytes(hex));
    }

    /** A buffer holding the first {@code length} bytes of {@code hex} and nothing more. */
    static ByteBuffer truncated(String hex, int length) {
        byte[] all = bytes(hex);
        byte[] head = new byte[length];
        System.arraycopy(all, 0, head, 0, length);
        return ByteBuffer.wrap(head);
    }

    /** Absolute index {@code byteIndex}'s value in {@code hex}. */
    static int byteAt(String hex, int byteIndex) {
        return bytes(hex)[byteIndex] & 0xff;
    }

    /** Lower-case hex of {@code length} bytes from absolute index {@code offset}. */
    static String of(ByteBuffer buffer, int offset, int length) {
        StringBuilder sb = new StringBuilder(2 * length);
        for (int i = offset; i < offset + length; i++) {
            int b = buffer.get(i) & 0xff;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    /** Lower-case hex of the whole buffer, from 0 to its limit. */
    static String of(ByteBuffer buffer) {
        return of(buffer, 0, buffer.limit());
    }

    /** {@code hex} without its spaces: the form {@link #of} produces, for assertEquals. */
    static String plain(String hex) {
        return hex.replace(" ", "");
    }
}
