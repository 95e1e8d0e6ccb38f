package tapnet.tap;

/**
 * Changes made to a kernel interface that are undone when closed: {@link #close()} undoes them (every step
 * tried, see {@link Restoration}), {@link #keep()} leaves them for an interface about to vanish; either
 * releases the control socket, and only the first of them counts. A change that fails halfway is undone
 * with {@link #closeAfter}.
 */
abstract class InterfaceChange implements AutoCloseable {
    /** What is changed, for the log: "interface tapnet0". */
    private final String what;
    private boolean restored;

    InterfaceChange(String what) {
        this.what = what;
    }

    /** Adds the steps that undo what was changed, in the order to run them. */
    abstract void undo(Restoration undo);

    /** Releases what the change held open (its control socket). */
    abstract void release();

    /** Undoes what was changed; the first failure is thrown, after every step was tried. */
    @Override
    public final void close() throws SystemCallException {
        if (restored) {
            return;
        }
        try {
            restore(null);
        } finally {
            release();
        }
    }

    /** Leaves the changes in place and releases the control socket: for an interface about to vanish. */
    public final void keep() {
        restored = true;
        release();
    }

    /** Undoes what a change that failed with {@code primary} did so far; undo failures are added to it. */
    final void closeAfter(Exception primary) {
        try {
            restore(primary);
        } catch (SystemCallException impossible) {
            primary.addSuppressed(impossible); // restore adds to primary instead of throwing
        } finally {
            release();
        }
    }

    private void restore(Exception primary) throws SystemCallException {
        restored = true;
        Restoration undo = new Restoration(what);
        undo(undo);
        undo.finish(primary);
    }
}
