package tapnet.tap;

import java.lang.System.Logger.Level;

/**
 * Undoing what was changed on an interface, step by step: every step is tried whatever failed before it (put
 * back as much as can be), each failure is logged, and at the end the first is thrown with the others
 * suppressed, or added to the failure that made the undo necessary.
 */
final class Restoration {
    private static final System.Logger LOG = System.getLogger(Restoration.class.getName());

    /** One step of the undo. */
    @FunctionalInterface
    interface Step {
        void run() throws SystemCallException;
    }

    private final String what;
    private SystemCallException first;

    /** @param what what is restored, for the log: "interface tapnet0" */
    Restoration(String what) {
        this.what = what;
    }

    void attempt(Step step) {
        try {
            step.run();
        } catch (SystemCallException e) {
            LOG.log(Level.WARNING, "could not restore " + what + ": " + e.getMessage());
            if (first == null) {
                first = e;
            } else {
                first.addSuppressed(e);
            }
        }
    }

    /**
     * Ends the undo: nothing when every step went; else the first failure is added to {@code primary} (the
     * failure being undone) or, without one, thrown.
     */
    void finish(Exception primary) throws SystemCallException {
        if (first == null) {
            return;
        }
        if (primary != null) {
            primary.addSuppressed(first);
            return;
        }
        throw first;
    }
}
