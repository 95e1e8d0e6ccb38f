package tapnet.cli.relaunch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Ctrl-C and SIGTERM passed on to a child process instead of ending tapnet: the child decides when the run
 * ends, and tapnet cleans up after it.
 *
 * <p>A Ctrl-C at a terminal reaches every process of the terminal's foreground process group at once: the
 * child has it already, and a second one could make it quit harder than the user meant (many programs take
 * a second Ctrl-C as "stop now"). So an INT is passed on only when tapnet is not in the terminal's
 * foreground group, i.e. when someone sent it to tapnet alone ({@code kill -INT}); see
 * {@link #fromTerminal()}.
 */
public final class SignalRelay {
    private SignalRelay() {
    }

    /** An INT that came from Ctrl-C at the terminal: every process of the foreground group had it too. */
    public static final String TERMINAL_INT = "TERMINAL_INT";
    /**
     * The signal the outer tapnet of a relaunch sends the inner one for an INT that was sent to it alone: the
     * inner one, first process of a PID namespace, cannot tell a terminal's INT from a passed one by itself
     * (the terminal's process group lies outside its namespace and reads as 0), so a passed INT comes as this.
     */
    static final String PASSED_INT = "USR1";

    /**
     * From now on INT and TERM call {@code handler} (on a thread of the JVM's) with {@link #TERMINAL_INT},
     * "INT" (sent to tapnet alone) or "TERM", and no longer start the JVM's shutdown.
     */
    public static void install(Consumer<String> handler) {
        // sun.misc.Signal: the one supported way for a JVM to handle a signal and go on
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> handler.accept(terminalInt() ? TERMINAL_INT : "INT"));
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> handler.accept("TERM"));
        if (InnerRun.active()) {
            sun.misc.Signal.handle(new sun.misc.Signal(PASSED_INT), signal -> handler.accept("INT"));
        }
    }

    /** Whether an INT now came from the terminal; in a relaunch's inner tapnet always (others come as USR1). */
    private static boolean terminalInt() {
        return InnerRun.active() || fromTerminal();
    }

    /**
     * True when this process is in the foreground process group of its terminal (fields 5 and 8 of
     * /proc/self/stat, proc(5)): an INT it gets then came from Ctrl-C, to the whole group.
     */
    static boolean fromTerminal() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long processGroup = Long.parseLong(fields[5 - 3]);
            long terminalGroup = Long.parseLong(fields[8 - 3]);
            return terminalGroup > 0 && terminalGroup == processGroup;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
