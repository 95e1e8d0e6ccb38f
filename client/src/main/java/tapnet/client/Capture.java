package tapnet.client;

import java.nio.file.Path;

/**
 * A pcapng capture the run is writing, from {@link Network#capture(Path)} on: {@link #close()} (or
 * {@link #stop()}) stops it and closes the file, which Wireshark and tcpdump then read.
 *
 * <pre>try (Capture capture = net.capture(Path.of("/tmp/checkout.pcapng"))) { ... }</pre>
 */
public final class Capture implements AutoCloseable {
    /** What a stopped capture holds. */
    public record Summary(long id, Path path, long frames, long bytes) {
    }

    private final Network network;
    private final long id;
    private final Path path;
    private Summary summary;

    Capture(Network network, long id, Path path) {
        this.network = network;
        this.id = id;
        this.path = path;
    }

    public long id() {
        return id;
    }

    /** The file, as the run writes it. */
    public Path path() {
        return path;
    }

    /** Stops the capture and closes its file; again, the same summary. */
    public synchronized Summary stop() {
        if (summary == null) {
            summary = network.stopCapture(id);
        }
        return summary;
    }

    @Override
    public void close() {
        stop();
    }
}
