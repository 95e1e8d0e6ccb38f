package tapnet.tap;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a tool the tests use to look at the kernel (ip, ping, curl), bounded in time. */
public record ExternalCommand(List<String> command, int exitCode, String output, String errors) {
    public static ExternalCommand run(String... command) {
        return run(10, command);
    }

    /** Runs {@code command}, killing it after {@code timeoutSeconds}; exit code -1 when it was killed. */
    public static ExternalCommand run(int timeoutSeconds, String... command) {
        try {
            Process process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
            CompletableFuture<String> output = readAll(process.getInputStream());
            CompletableFuture<String> errors = readAll(process.getErrorStream());
            boolean ended = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            return new ExternalCommand(List.of(command), ended ? process.exitValue() : -1, output.join(), errors.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }

    /** Runs {@code command} and returns its output; throws with everything it said unless it succeeded. */
    public static String check(String... command) {
        ExternalCommand result = run(command);
        if (result.exitCode != 0) {
            throw new AssertionError(result.describe());
        }
        return result.output;
    }

    private static CompletableFuture<String> readAll(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    public String describe() {
        return String.join(" ", command) + " exited " + exitCode + "\nstdout: " + output + "\nstderr: " + errors;
    }
}
