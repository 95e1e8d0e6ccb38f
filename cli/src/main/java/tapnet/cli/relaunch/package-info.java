/**
 * tapnet in namespaces of its own: {@link tapnet.cli.relaunch.Relaunch} starts tapnet again through
 * {@code unshare(1)} (a JVM, multi-threaded, cannot make a user namespace for itself) and waits for it;
 * {@link tapnet.cli.relaunch.InnerRun} is that second tapnet's side (its own /run, loopback up);
 * {@link tapnet.cli.relaunch.UserNamespaceSupport} says why an ordinary user cannot have one and how to fix
 * it. {@link tapnet.cli.relaunch.SignalRelay} and {@link tapnet.cli.relaunch.Processes} pass Ctrl-C and
 * SIGTERM on to a child and stop what a child left running, for the relaunch and for {@code run -- COMMAND}.
 *
 * <p>Depends on tap and nothing else of the command line. Runs on the main thread, which starts the child
 * and waits for it (the kernel's parent-death signal is tied to that thread), and on the JVM's signal thread.
 */
package tapnet.cli.relaunch;
