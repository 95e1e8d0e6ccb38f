package tapnet.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Writes one line per scenario run to {@code target/conformance-results.tsv}: class, test, target, and
 * pass / known gap / skipped / FAIL with the first line of why. TCP.md's table is read off it.
 */
final class ResultLog implements TestWatcher {
    private static final Path FILE = Path.of("target", "conformance-results.tsv");

    static {
        try {
            Files.deleteIfExists(FILE); // a new run, a new log
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        write(context, "pass", "");
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        write(context, message.startsWith("not yet in tapnet") ? "known gap" : "skipped", message);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        write(context, "FAIL", String.valueOf(cause.getMessage()));
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        write(context, "disabled", reason.orElse(""));
    }

    private static synchronized void write(ExtensionContext context, String result, String message) {
        String firstLine = message.strip().lines().findFirst().orElse("");
        String line = context.getRequiredTestClass().getSimpleName() + "\t" + context.getRequiredTestMethod().getName()
                + "\t" + context.getDisplayName() + "\t" + result + "\t" + firstLine + "\n";
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
