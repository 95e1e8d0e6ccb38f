package tapnet.topology;

import java.util.List;
import java.util.Objects;

/**
 * What a run captures: the TAP (and ports) always, and the links of {@code links} (node names), into
 * pcapng files in the report directory, a ring of at most {@code files} files of {@code maxBytes} each.
 */
public record CaptureSpec(List<String> links, long maxBytes, int files) {
    public static final long DEFAULT_MAX_BYTES = 64L << 20;
    public static final int DEFAULT_FILES = 4;

    public CaptureSpec {
        links = List.copyOf(Objects.requireNonNull(links, "links"));
        if (maxBytes < 4096 || files < 1) {
            throw new IllegalArgumentException("a capture needs files of at least 4 KiB, and at least one");
        }
    }
}
