package tapnet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No source file of the project's main code grows past {@value #MAX_LINES} lines unless it says why it is
 * one idea anyway, in a comment starting {@value #WHY}: a long file is where several ideas hide.
 */
class SourceSizeTest {
    static final int MAX_LINES = 500;
    static final String WHY = "One idea, long because";

    @Test
    void noMainSourceFileIsLongWithoutSayingWhy() throws IOException {
        List<String> tooLong;
        try (Stream<Path> files = Files.walk(Path.of(".."), 12)) {
            tooLong = files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("src/main/java"))
                    .filter(SourceSizeTest::longWithoutReason)
                    .map(Path::toString).sorted().toList();
        }
        assertEquals(List.of(), tooLong, "files over " + MAX_LINES + " lines: split them by idea, or say '" + WHY + " ...'");
    }

    private static boolean longWithoutReason(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.size() > MAX_LINES && lines.stream().noneMatch(l -> l.contains(WHY));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
