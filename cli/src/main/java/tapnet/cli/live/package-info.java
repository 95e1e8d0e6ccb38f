/**
 * A live run ({@link tapnet.cli.live.LiveRun}): the namespace claimed, the TAP and the real ports made, the
 * engine behind them ({@link tapnet.cli.live.LiveEmulator}), the script played on the wall clock with the
 * kernel's own clients ({@link tapnet.cli.live.LiveScript}), commands run in namespaces, progress printed,
 * and everything the run made removed however it ends.
 *
 * <p>Depends on control, probe, tap and core. The main thread runs it; the engine runs on the device
 * reader's thread (or the ring's); a shutdown hook waits for the cleanup.
 */
package tapnet.cli.live;
