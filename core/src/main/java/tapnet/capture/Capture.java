package tapnet.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What the engine captures into: Ethernet frames on named interfaces (the TAP, a port, an emulated link),
 * each with its direction, and the timeline's events as comments, written to a ring of pcapng files
 * ({@link CaptureFiles}) that Wireshark and {@code tshark -r} read one by one.
 *
 * <pre>{@code
 * Capture capture = Capture.open(Path.of("out"), "run", 64 << 20, 8); // out/run-00001.pcapng, ...
 * engine.capture(capture);               // the TAP ("tap") and every port, both directions
 * engine.captureLink("web", capture);    // and the link above node web: "link tap<->web"
 * ...
 * capture.comment("link web: loss 10%", engine.clock().nanos()); // why the traffic changes from here
 * ...
 * capture.close();                       // after the engine stopped; throws what writing failed with
 * }</pre>
 *
 * <p>An event comment is written twice, so that it is both never lost and next to its traffic: at once,
 * as a record of its own on the interface {@code events} (link type Wireshark upper PDU, its data the
 * text shown as "Line-based text data", its packet comment the text, its time the event's), and again as
 * the packet comment of the next frame captured, joined by "; " when several events came first. A
 * zero-length Ethernet packet would carry a comment too, but Wireshark marks it malformed.
 *
 * <p>Timestamps are the engine clock's nanoseconds plus an offset: 0 for a simulated run, so the same run
 * gives the same bytes; the clock's distance from the epoch for a live one ({@link #epochOffset}).
 * Writing fails quietly for the engine: the first I/O error stops the capture, {@link #failure()} tells
 * it, and {@link #close()} throws it. Engine thread only; a frame allocates nothing.
 */
public final class Capture {
    /** Wireshark's largest snap length: whole frames, offloaded ones included. */
    public static final int DEFAULT_SNAP_LENGTH = 262_144;
    public static final String EVENTS_INTERFACE = "events";
    private static final byte[] TEXT_DISSECTOR = PcapngWriter.utf8("data-text-lines");
    private static final int EXP_PDU_TAG_END_OF_OPT = 0;
    private static final int EXP_PDU_TAG_DISSECTOR_NAME = 12;
    private static final byte[] SEPARATOR = PcapngWriter.utf8("; ");
    /** An option's length is 16 bits; longer comments are cut. */
    private static final int MAX_COMMENT = 0xFFFC;

    private final CaptureFiles files;
    private final long epochOffsetNanos;
    private final int snapLength;
    private int eventsInterface = -1;
    /** Comments waiting for the next frame, UTF-8, joined. */
    private byte[] pending = new byte[256];
    private int pendingLength;
    private IOException failure;
    /** Frames written, and their bytes as on the wire (before the snap length cuts them). */
    private long frames;
    private long bytes;

    /**
     * @param epochOffsetNanos added to the engine clock's nanoseconds to give the time since the epoch
     * @param snapLength       the most bytes of a frame kept
     */
    public Capture(CaptureFiles files, long epochOffsetNanos, int snapLength) {
        this.files = files;
        this.epochOffsetNanos = epochOffsetNanos;
        this.snapLength = snapLength;
    }

    /** Frames whole, timestamps as the clock gives them (a simulated run). */
    public Capture(CaptureFiles files) {
        this(files, 0, DEFAULT_SNAP_LENGTH);
    }

    /** A ring of files in {@code directory}: {@code name-00001.pcapng} on; see {@link CaptureFiles}. */
    public static Capture open(Path directory, String name, long maxBytes, int maxFiles) throws IOException {
        return new Capture(new CaptureFiles(directory, name, maxBytes, maxFiles));
    }

    /** What to add to a live clock's nanoseconds to get the time since the epoch, as of now. */
    public static long epochOffset(tapnet.time.Clock clock) {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano() - clock.nanos();
    }

    /** Describes one more Ethernet interface, e.g. "tap" or "link tap<->web"; returns its ID for {@link #frame}. */
    public int addInterface(String name) {
        if (failure != null) {
            return -1;
        }
        try {
            return files.addInterface(PcapngWriter.LINKTYPE_ETHERNET, snapLength, name);
        } catch (IOException e) {
            failure = e;
            return -1;
        }
    }

    /**
     * One frame seen on interface {@code iface}: {@code outbound} as the interface sees it (for the TAP,
     * toward the kernel), at the engine clock's {@code nanos}. It carries the comments pending, if any.
     */
    public void frame(int iface, boolean outbound, ByteBuffer frame, int offset, int length, long nanos) {
        if (failure != null) {
            return;
        }
        try {
            files.packet(iface, nanos + epochOffsetNanos, frame, offset, Math.min(length, snapLength), length,
                    pending, Math.min(pendingLength, MAX_COMMENT),
                    outbound ? PcapngWriter.DIRECTION_OUTBOUND : PcapngWriter.DIRECTION_INBOUND);
            pendingLength = 0;
            frames++;
            bytes += length;
        } catch (IOException e) {
            failure = e;
        }
    }

    /** An event of the timeline at the engine clock's {@code nanos}: recorded now, and on the next frame. */
    public void comment(String text, long nanos) {
        if (failure != null) {
            return;
        }
        byte[] utf8 = PcapngWriter.utf8(text);
        if (pendingLength > 0) {
            append(SEPARATOR);
        }
        append(utf8);
        try {
            if (eventsInterface < 0) {
                eventsInterface = files.addInterface(PcapngWriter.LINKTYPE_WIRESHARK_UPPER_PDU, snapLength, EVENTS_INTERFACE);
            }
            ByteBuffer record = textPdu(utf8);
            files.packet(eventsInterface, nanos + epochOffsetNanos, record, 0, record.limit(), record.limit(),
                    utf8, Math.min(utf8.length, MAX_COMMENT), PcapngWriter.DIRECTION_UNKNOWN);
        } catch (IOException e) {
            failure = e;
        }
    }

    /** Sends what is buffered to the file: at the end of each engine batch. */
    public void flush() {
        if (failure != null) {
            return;
        }
        try {
            files.flush();
        } catch (IOException e) {
            failure = e;
        }
    }

    /** Flushes and closes the current file; throws the error that stopped the capture, if one did. */
    public void close() throws IOException {
        if (failure == null) {
            files.close();
            return;
        }
        try {
            files.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
        throw failure;
    }

    /** Frames captured so far. */
    public long frames() {
        return frames;
    }

    /** Their bytes, whole frames' lengths. */
    public long bytes() {
        return bytes;
    }

    /** The I/O error that stopped the capture, or null while it works. */
    public IOException failure() {
        return failure;
    }

    /** The files written so far that the ring still holds, oldest first. */
    public java.util.List<Path> files() {
        return files.files();
    }

    private void append(byte[] bytes) {
        if (pendingLength + bytes.length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(2 * pending.length, pendingLength + bytes.length));
        }
        System.arraycopy(bytes, 0, pending, Math.min(pendingLength, MAX_COMMENT), bytes.length);
        pendingLength += bytes.length;
    }

    /** An exported PDU for Wireshark's line-based text dissector; its tags are big-endian and unpadded. */
    private static ByteBuffer textPdu(byte[] text) {
        ByteBuffer pdu = ByteBuffer.allocate(4 + TEXT_DISSECTOR.length + 4 + text.length).order(ByteOrder.BIG_ENDIAN);
        pdu.putShort((short) EXP_PDU_TAG_DISSECTOR_NAME).putShort((short) TEXT_DISSECTOR.length).put(TEXT_DISSECTOR);
        pdu.putShort((short) EXP_PDU_TAG_END_OF_OPT).putShort((short) 0).put(text);
        return pdu.flip();
    }
}
