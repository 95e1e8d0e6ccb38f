package tapnet.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A little-endian pcapng file read back block by block for assertions; reading checks what every block
 * must hold: a length that is a multiple of 4, repeated at its end.
 */
final class PcapngFile {
    record Block(int type, ByteBuffer body) {
        /** The options from {@code at} in the body, as code and value (unpadded), up to opt_endofopt. */
        List<Option> options(int at) {
            List<Option> options = new ArrayList<>();
            while (at < body.limit()) {
                int code = body.getShort(at) & 0xffff;
                int length = body.getShort(at + 2) & 0xffff;
                if (code == 0) {
                    assertEquals(0, length, "opt_endofopt has no value");
                    assertEquals(body.limit(), at + 4, "opt_endofopt ends the options");
                    break;
                }
                byte[] value = new byte[length];
                body.get(at + 4, value);
                options.add(new Option(code, value));
                at += 4 + ((length + 3) & ~3);
            }
            return options;
        }
    }

    record Option(int code, byte[] value) {
        String text() {
            return new String(value, StandardCharsets.UTF_8);
        }
    }

    /** An Enhanced Packet Block's fields. */
    record Packet(int iface, long nanos, byte[] data, int originalLength, String comment, int flags) {
    }

    final byte[] bytes;
    final List<Block> blocks = new ArrayList<>();

    PcapngFile(byte[] bytes) {
        this.bytes = bytes;
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        while (at < bytes.length) {
            int type = b.getInt(at);
            int length = b.getInt(at + 4);
            assertEquals(0, length % 4, "block length is a multiple of 4");
            assertTrue(length >= 12 && at + length <= bytes.length, "block fits the file");
            assertEquals(length, b.getInt(at + length - 4), "block length repeated at its end");
            blocks.add(new Block(type, b.slice(at + 8, length - 12).order(ByteOrder.LITTLE_ENDIAN)));
            at += length;
        }
    }

    static PcapngFile read(Path file) throws IOException {
        return new PcapngFile(Files.readAllBytes(file));
    }

    List<Block> ofType(int type) {
        return blocks.stream().filter(b -> b.type() == type).toList();
    }

    /** The interface names, in order of their IDs. */
    List<String> interfaceNames() {
        return ofType(PcapngWriter.INTERFACE_DESCRIPTION).stream()
                .map(b -> b.options(8).stream().filter(o -> o.code() == PcapngWriter.IF_NAME).findFirst().orElseThrow().text())
                .toList();
    }

    List<Packet> packets() {
        List<Packet> packets = new ArrayList<>();
        for (Block block : ofType(PcapngWriter.ENHANCED_PACKET)) {
            ByteBuffer body = block.body();
            long nanos = (body.getInt(4) & 0xffffffffL) << 32 | (body.getInt(8) & 0xffffffffL);
            int captured = body.getInt(12);
            byte[] data = new byte[captured];
            body.get(20, data);
            String comment = null;
            int flags = 0;
            for (Option o : block.options(20 + ((captured + 3) & ~3))) {
                if (o.code() == PcapngWriter.OPT_COMMENT) {
                    comment = o.text();
                } else if (o.code() == PcapngWriter.EPB_FLAGS) {
                    flags = ByteBuffer.wrap(o.value()).order(ByteOrder.LITTLE_ENDIAN).getInt();
                }
            }
            packets.add(new Packet(body.getInt(0), nanos, data, body.getInt(16), comment, flags));
        }
        return packets;
    }

    /** Whether the file opens with a section header followed by exactly these interfaces. */
    boolean startsWith(List<String> interfaces) {
        return blocks.get(0).type() == PcapngWriter.SECTION_HEADER
                && blocks.subList(1, 1 + interfaces.size()).stream().allMatch(b -> b.type() == PcapngWriter.INTERFACE_DESCRIPTION)
                && interfaceNames().equals(interfaces);
    }

    @Override
    public String toString() {
        return Arrays.toString(blocks.stream().map(b -> Integer.toHexString(b.type())).toArray());
    }
}
