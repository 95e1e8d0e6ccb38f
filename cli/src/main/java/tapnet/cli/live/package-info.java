/**
 * A live run ({@link tapnet.cli.live.LiveRun}): the namespace claimed, the TAP and the real ports made, the
 * engine behind them ({@link tapnet.cli.live.LiveEmulator}), the script played on the wall clock with the
 * kernel's own clients ({@link tapnet.cli.live.LiveScript}), commands run in namespaces, the COMMAND of
 * {@code run -- COMMAND} ({@link tapnet.cli.live.UserCommandProcess}, with its {@link tapnet.cli.live.HostsFile}),
 * the topology's names for the namespaces' commands ({@link tapnet.cli.live.NetnsNames} in /etc/netns,
 * {@link tapnet.cli.live.BoundNames} bound for one process), progress printed, and everything the run made
 * removed however it ends.
 *
 * <p>Depends on control, probe, relaunch, tap and core. The main thread runs it and starts and waits for
 * COMMAND; the engine runs on the device reader's thread (or the ring's); a shutdown hook waits for the
 * cleanup, or, with COMMAND, Ctrl-C and SIGTERM go to COMMAND instead.
 */
package tapnet.cli.live;
