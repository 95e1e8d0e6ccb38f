package tapnet.cli;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A run's counters as {@code tapnet ctl counters} prints them, for tests that watch one move. */
final class CtlCounters {
    private CtlCounters() {
    }

    /** {@code tapnet ctl --socket SOCKET WORDS...}'s standard output. */
    static String ctl(Path socket, String... words) throws Exception {
        String[] args = new String[words.length + 3];
        args[0] = "ctl";
        args[1] = "--socket";
        args[2] = socket.toString();
        System.arraycopy(words, 0, args, 3, words.length);
        return TapnetProcess.run(args).stdout();
    }

    /** The value of counter {@code name} in {@code counters} (ctl's text), 0 when it is not listed. */
    static long count(String counters, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\d+)$").matcher(counters);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** The counters once {@code name} has moved (at most 2 s), as the engine handles what was just sent. */
    static String awaitMoved(Path socket, String name) throws Exception {
        String counters = ctl(socket, "counters");
        for (int i = 0; i < 20 && count(counters, name) == 0; i++) {
            Thread.sleep(100);
            counters = ctl(socket, "counters");
        }
        return counters;
    }
}
