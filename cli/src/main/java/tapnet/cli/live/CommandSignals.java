package tapnet.cli.live;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import tapnet.cli.relaunch.SignalRelay;

/**
 * Ctrl-C and SIGTERM in a run with COMMAND, from the run's first moment: passed to COMMAND once it runs;
 * before that, they end the run, and COMMAND never starts (as a shell's Ctrl-C during a slow start would).
 * Taken over from the JVM early so that none of them starts the JVM's shutdown while COMMAND is coming up.
 */
final class CommandSignals {
    private final CountDownLatch stop;
    private UserCommandProcess command;
    private String early;

    private CommandSignals(CountDownLatch stop) {
        this.stop = stop;
    }

    /** From now on INT and TERM come here; {@code stop} is counted down when one comes before COMMAND runs. */
    static CommandSignals install(CountDownLatch stop) {
        CommandSignals signals = new CommandSignals(stop);
        SignalRelay.install(signals::on);
        return signals;
    }

    private synchronized void on(String signal) {
        if (command != null) {
            command.pass(signal);
        } else if (early == null) {
            early = signal.equals(SignalRelay.TERMINAL_INT) ? "INT" : signal;
            stop.countDown();
        }
    }

    /** COMMAND, started by {@code starter} unless a signal came first (then null, and see {@link #earlyExit}). */
    synchronized UserCommandProcess start(Callable<UserCommandProcess> starter) throws Exception {
        if (early == null) {
            command = starter.call();
        }
        return command;
    }

    /** The exit code of a run a signal ended before COMMAND started: 130 for INT, 143 for TERM. */
    synchronized int earlyExit() {
        return early.equals("INT") ? 130 : 143;
    }

    synchronized String early() {
        return early;
    }
}
