package tapnet.cli.relaunch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jnr.ffi.LibraryLoader;

/** Signals by name, and the processes a COMMAND left running: adopted, found and stopped. */
public final class Processes {
    /** kill(2) and prctl(2), bound on first use: jnr-ffi, as tapnet.tap binds its system calls. */
    public interface Calls {
        int kill(int pid, int signal);

        int prctl(int option, long argument2, long argument3, long argument4, long argument5);
    }

    // sys/prctl.h
    private static final int PR_SET_CHILD_SUBREAPER = 36;
    /** How long leftovers have after a TERM before they are killed. */
    static final long LEFTOVER_GRACE_MILLIS = 2000;

    private static Calls calls;

    private Processes() {
    }

    /** Sends signal {@code name} (INT, USR1, TERM, KILL) to {@code pid}; false when it is gone. */
    public static boolean send(long pid, String name) {
        int number = switch (name) {
            case "INT" -> 2;
            case "KILL" -> 9;
            case "USR1" -> 10;
            case "TERM" -> 15;
            default -> throw new IllegalArgumentException("no signal " + name);
        };
        return calls().kill((int) pid, number) == 0;
    }

    /**
     * Makes this process the one that adopts its descendants' orphans (prctl(2), PR_SET_CHILD_SUBREAPER), so
     * that what COMMAND leaves running when it exits (a server it started in the background, say) is still
     * a descendant, found and stopped by {@link #stopDescendants}.
     */
    public static void adoptOrphans() {
        if (calls().prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
            System.err.println("tapnet: cannot adopt COMMAND's orphans (prctl): what it leaves running may outlive the run");
        }
    }

    /**
     * Stops every process this one started, and theirs: TERM, then KILL for those still there after
     * {@link #LEFTOVER_GRACE_MILLIS}. Returns how many there were.
     */
    public static int stopDescendants() throws InterruptedException {
        List<Long> left = ProcessHandle.current().descendants().map(ProcessHandle::pid).filter(Processes::running).toList();
        left.forEach(pid -> send(pid, "TERM"));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LEFTOVER_GRACE_MILLIS);
        for (long pid : left) {
            while (running(pid) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            if (running(pid)) {
                send(pid, "KILL");
            }
        }
        return left.size();
    }

    /**
     * The process is there and not a zombie (proc(5), the state in /proc/PID/stat). An adopted orphan that
     * ended stays a zombie, as nothing here reaps it, until this process exits; it holds no namespace.
     */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static synchronized Calls calls() {
        if (calls == null) {
            calls = LibraryLoader.create(Calls.class).load("c");
        }
        return calls;
    }
}
