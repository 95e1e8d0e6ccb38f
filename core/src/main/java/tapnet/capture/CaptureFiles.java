package tapnet.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A ring of pcapng files, {@code NAME-00001.pcapng}, {@code NAME-00002.pcapng}, ...: a packet that would
 * take the current file past {@code maxBytes} starts the next one, and the oldest files beyond
 * {@code maxFiles} are deleted. Each file begins with the section header and every interface described
 * so far, in the same order, so interface IDs stay the same and any file reads on its own. A file holds
 * at least one packet, so only a single packet bigger than {@code maxBytes} makes a file bigger.
 * One thread.
 */
public final class CaptureFiles {
    private static final byte[] USER_APPLICATION = PcapngWriter.utf8("tapnet");
    private static final int BUFFER_BYTES = 256 * 1024;

    private record Interface(int linkType, int snapLength, byte[] name) {
    }

    private final Path directory;
    private final String name;
    private final long maxBytes;
    private final int maxFiles;
    /** The one file written, for a capture asked for by path; null for a ring named from {@code name}. */
    private final Path exact;
    private final List<Interface> interfaces = new ArrayList<>();
    private final ArrayDeque<Path> files = new ArrayDeque<>();
    private PcapngWriter writer;
    private int sequence;
    private boolean packetsInFile;

    /**
     * @param maxBytes a file's size limit; {@link Long#MAX_VALUE} for one file that grows
     * @param maxFiles how many files the ring keeps, at least 1
     */
    public CaptureFiles(Path directory, String name, long maxBytes, int maxFiles) throws IOException {
        this(directory, name, maxBytes, maxFiles, null);
    }

    /** One file at exactly {@code file}, growing, replaced if there (a capture the control API asks for). */
    public static CaptureFiles single(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        return new CaptureFiles(absolute.getParent(), absolute.getFileName().toString(), Long.MAX_VALUE, 1, absolute);
    }

    private CaptureFiles(Path directory, String name, long maxBytes, int maxFiles, Path exact) throws IOException {
        if (maxBytes <= 0 || maxFiles <= 0) {
            throw new IllegalArgumentException("maxBytes and maxFiles must be positive: " + maxBytes + ", " + maxFiles);
        }
        this.directory = directory;
        this.name = name;
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        this.exact = exact;
        Files.createDirectories(directory);
        startFile();
    }

    /** Describes one more interface, in this file and every later one; returns its ID. */
    public int addInterface(int linkType, int snapLength, String interfaceName) throws IOException {
        Interface described = new Interface(linkType, snapLength, PcapngWriter.utf8(interfaceName));
        interfaces.add(described);
        writer.interfaceDescription(described.linkType, described.snapLength, described.name);
        return interfaces.size() - 1;
    }

    /** The snap length interface {@code id} was described with. */
    public int snapLength(int id) {
        return interfaces.get(id).snapLength;
    }

    /** One packet, as {@link PcapngWriter#packet}; into the next file when it would not fit this one. */
    public void packet(int interfaceId, long nanos, ByteBuffer frame, int offset, int capturedLength, int originalLength,
                       byte[] comment, int commentLength, int direction) throws IOException {
        long blockLength = PcapngWriter.packetBlockLength(capturedLength, commentLength, direction);
        if (packetsInFile && writer.size() + blockLength > maxBytes) {
            writer.close();
            startFile();
        }
        writer.packet(interfaceId, nanos, frame, offset, capturedLength, originalLength, comment, commentLength, direction);
        packetsInFile = true;
    }

    /** The files the ring holds now, oldest first. */
    public List<Path> files() {
        return List.copyOf(files);
    }

    public void flush() throws IOException {
        writer.flush();
    }

    public void close() throws IOException {
        writer.close();
    }

    private void startFile() throws IOException {
        Path file = exact != null ? exact : directory.resolve(String.format("%s-%05d.pcapng", name, ++sequence));
        writer = new PcapngWriter(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), BUFFER_BYTES);
        files.addLast(file);
        while (files.size() > maxFiles) {
            Files.deleteIfExists(files.removeFirst());
        }
        packetsInFile = false;
        writer.sectionHeader(USER_APPLICATION);
        for (Interface described : interfaces) {
            writer.interfaceDescription(described.linkType, described.snapLength, described.name);
        }
    }
}
