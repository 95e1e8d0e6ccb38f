package tapnet.cli.relaunch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A user and group id, as numbers: who started tapnet, whom COMMAND runs as. */
public record UserIds(long uid, long gid) {
    /** The effective ids of this process, from /proc/self/status (the second of the Uid: and Gid: numbers). */
    public static UserIds current() {
        long uid = -1;
        long gid = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    uid = Long.parseLong(line.substring(4).strip().split("\\s+")[1]);
                } else if (line.startsWith("Gid:")) {
                    gid = Long.parseLong(line.substring(4).strip().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read this process's user from /proc/self/status: " + e.getMessage(), e);
        }
        return new UserIds(uid, gid);
    }

    /** "UID:GID", as {@link #parse} reads it. */
    public String text() {
        return uid + ":" + gid;
    }

    public static UserIds parse(String text) {
        String[] parts = text.split(":");
        if (parts.length != 2) {
            throw new IllegalArgumentException("not UID:GID: " + text);
        }
        return new UserIds(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    }

    public boolean root() {
        return uid == 0;
    }
}
