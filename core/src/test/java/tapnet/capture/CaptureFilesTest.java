package tapnet.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ring: rotation by size, the oldest files deleted, every file whole on its own; and comments. */
class CaptureFilesTest {
    @TempDir
    Path directory;

    private static ByteBuffer frame(int length, int mark) {
        ByteBuffer b = ByteBuffer.allocate(length);
        b.put(0, (byte) mark);
        return b;
    }

    private List<Path> onDisk() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }

    @Test
    void rotatesBySizeAndKeepsTheNewestFiles() throws IOException {
        Capture capture = Capture.open(directory, "run", 1000, 3);
        int tap = capture.addInterface("tap");
        int link = capture.addInterface("link tap<->web");
        for (int i = 0; i < 50; i++) {
            capture.frame(i % 2 == 0 ? tap : link, i % 3 == 0, frame(100, i), 0, 100, 1_000_000_000L * i);
        }
        capture.close();

        List<Path> files = onDisk();
        assertEquals(3, files.size(), files.toString());
        assertEquals(files, capture.files());
        assertFalse(Files.exists(directory.resolve("run-00001.pcapng")), "the oldest went");
        int last = Integer.parseInt(files.get(2).getFileName().toString().substring(4, 9));
        assertTrue(last > 3);
        List<Integer> marks = new ArrayList<>();
        for (int n = last - 2; n <= last; n++) {
            Path path = directory.resolve(String.format("run-%05d.pcapng", n));
            PcapngFile file = PcapngFile.read(path);
            assertTrue(Files.size(path) <= 1000, path + ": " + Files.size(path));
            assertTrue(file.startsWith(List.of("tap", "link tap<->web")), path + " " + file);
            assertEquals(1, file.ofType(PcapngWriter.SECTION_HEADER).size());
            for (PcapngFile.Packet p : file.packets()) {
                marks.add((int) p.data()[0]);
                assertEquals(marks.get(marks.size() - 1) % 2 == 0 ? tap : link, p.iface(), "interface IDs stay the same");
            }
        }
        assertEquals(49, marks.get(marks.size() - 1), "the last frame is in the newest file");
        for (int i = 1; i < marks.size(); i++) {
            assertEquals(marks.get(i - 1) + 1, marks.get(i), "no frame missing between the files kept");
        }
    }

    @Test
    void aFrameBiggerThanTheLimitStillGoesInItsOwnFile() throws IOException {
        Capture capture = Capture.open(directory, "big", 200, 10);
        int tap = capture.addInterface("tap");
        capture.frame(tap, false, frame(500, 1), 0, 500, 1);
        capture.frame(tap, false, frame(500, 2), 0, 500, 2);
        capture.close();

        assertEquals(2, onDisk().size());
        for (Path path : onDisk()) {
            assertEquals(1, PcapngFile.read(path).packets().size());
        }
    }

    @Test
    void sameFramesSameBytes() throws IOException {
        assertArrayEquals(run("a"), run("b"));
    }

    private byte[] run(String name) throws IOException {
        Capture capture = Capture.open(directory.resolve(name), "run", 1 << 20, 1);
        int tap = capture.addInterface("tap");
        for (int i = 0; i < 100; i++) {
            if (i % 10 == 0) {
                capture.comment("event " + i, 1_000_000_000_000L + 1000L * i);
            }
            capture.frame(tap, i % 2 == 0, frame(60 + i, i), 0, 60 + i, 1_000_000_000_000L + 1000L * i + 1);
        }
        capture.close();
        return Files.readAllBytes(directory.resolve(name).resolve("run-00001.pcapng"));
    }

    @Test
    void commentsGoOnTheirOwnRecordAndOnTheNextFrame() throws IOException {
        Capture capture = Capture.open(directory, "c", 1 << 20, 1);
        int tap = capture.addInterface("tap");
        capture.frame(tap, false, frame(60, 1), 0, 60, 10);
        capture.comment("link web: loss 10%", 20);
        capture.comment("partition: {tap} {web}", 30);
        capture.frame(tap, true, frame(60, 2), 0, 60, 40);
        capture.frame(tap, false, frame(60, 3), 0, 60, 50);
        capture.comment("heal", 60); // no frame follows: only its own record holds it
        capture.close();

        PcapngFile file = PcapngFile.read(directory.resolve("c-00001.pcapng"));
        assertEquals(List.of("tap", Capture.EVENTS_INTERFACE), file.interfaceNames());
        List<PcapngFile.Packet> packets = file.packets();
        assertEquals(6, packets.size());
        assertNull(packets.get(0).comment());
        assertEquals(1, packets.get(1).iface(), "on the events interface");
        assertEquals(20, packets.get(1).nanos(), "at the event's time");
        assertEquals("link web: loss 10%", packets.get(1).comment());
        assertEquals(0, packets.get(1).flags(), "no direction");
        assertArrayEquals(textPdu("link web: loss 10%"), packets.get(1).data());
        assertEquals("partition: {tap} {web}", packets.get(2).comment());
        assertEquals(30, packets.get(2).nanos());
        assertEquals("link web: loss 10%; partition: {tap} {web}", packets.get(3).comment());
        assertEquals(PcapngWriter.DIRECTION_OUTBOUND, packets.get(3).flags());
        assertNull(packets.get(4).comment(), "a comment goes on one frame only");
        assertEquals(PcapngWriter.DIRECTION_INBOUND, packets.get(4).flags());
        assertEquals("heal", packets.get(5).comment());
        assertEquals(60, packets.get(5).nanos());
    }

    /** Wireshark's exported PDU: dissector name tag, end tag, then the text. */
    private static byte[] textPdu(String text) {
        byte[] name = PcapngWriter.utf8("data-text-lines");
        byte[] body = PcapngWriter.utf8(text);
        ByteBuffer b = ByteBuffer.allocate(4 + name.length + 4 + body.length);
        b.putShort((short) 12).putShort((short) name.length).put(name).putInt(0).put(body);
        return b.array();
    }

    @Test
    void framesLongerThanTheSnapLengthAreCut() throws IOException {
        Capture capture = new Capture(new CaptureFiles(directory, "snap", 1 << 20, 1), 5_000, 64);
        int tap = capture.addInterface("tap");
        capture.frame(tap, false, frame(1514, 1), 0, 1514, 10);
        capture.close();

        PcapngFile.Packet p = PcapngFile.read(directory.resolve("snap-00001.pcapng")).packets().get(0);
        assertEquals(64, p.data().length);
        assertEquals(1514, p.originalLength());
        assertEquals(5_010, p.nanos(), "the epoch offset is added");
    }

    @Test
    void anIoErrorStopsTheCaptureAndCloseThrowsIt() throws IOException {
        Capture capture = Capture.open(directory, "fail", 1 << 20, 1);
        int tap = capture.addInterface("tap");
        capture.files(); // still open
        Files.delete(directory.resolve("fail-00001.pcapng"));
        capture.close(); // closes the channel: the next flush fails
        capture.frame(tap, false, frame(60, 1), 0, 60, 10);
        capture.flush();
        assertTrue(capture.failure() != null);
        assertThrows(IOException.class, capture::close);
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new CaptureFiles(directory, "x", 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new CaptureFiles(directory, "x", 100, 0));
    }
}
