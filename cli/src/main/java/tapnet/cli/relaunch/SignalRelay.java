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

    /**
     * From now on INT and TERM call {@code handler} with "INT" or "TERM" (on a thread of the JVM's) and no
     * longer start the JVM's shutdown.
     */
    public static void install(Consumer<String> handler) {
        // sun.misc.Signal: the one supported way for a JVM to handle a signal and go on
        for (String name : new String[] {"INT", "TERM"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> handler.accept(name));
        }
    }

    /**
     * True when this process is in the foreground process group of its terminal (fields 5 and 8 of
     * /proc/self/stat, proc(5)): an INT it gets then came from Ctrl-C, to the whole group.
     */
    public static boolean fromTerminal() {
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
