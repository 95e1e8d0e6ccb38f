package tapnet.cli.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The bearer token the API's TCP listener asks of every request: 32 random bytes in base64url, written to
 * a file only the run's user can read (removed at exit), or read from a file the user gives.
 *
 * @param file    where the token is, as the start message and {@code TAPNET_CONTROL_TOKEN_FILE} name it
 * @param written whether this run wrote the file (and removes it at exit)
 */
public record ApiToken(String token, Path file, boolean written) {
    private static final int BYTES = 32;

    /** A new random token, written to {@code file} with mode 0600 (a file there is replaced). */
    public static ApiToken create(Path file) throws IOException {
        byte[] random = new byte[BYTES];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot write the control token to " + file + ": another process made it meanwhile");
        }
        Files.writeString(file, token + "\n");
        return new ApiToken(token, file, true);
    }

    /** The token in {@code file} (its first line), as {@code --control-token-file} gives it. */
    public static ApiToken read(Path file) throws IOException {
        String token = Files.readString(file).strip();
        if (token.isEmpty() || token.lines().count() != 1) {
            throw new IOException("the control token file " + file + " holds " + (token.isEmpty() ? "nothing" : "several lines")
                    + "; expected one line, the token");
        }
        return new ApiToken(token, file, false);
    }

    /** Whether an {@code Authorization} header carries this token; compared in constant time. */
    boolean accepts(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(authorization.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    /** Removes the file when this run wrote it. */
    public void remove() {
        if (written) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                System.err.println("tapnet: could not remove the control token file " + file + ": " + e.getMessage());
            }
        }
    }
}
