/**
 * The kernel's side of a live script's probes: ping, TCP connect, HTTP and bulk transfer made by the
 * kernel's own stack from inside the run's namespace ({@link tapnet.cli.probe.KernelProbes}). The socket
 * probes share one skeleton ({@link tapnet.cli.probe.SocketProbe}): each says only its own part.
 *
 * <p>Depends on tap and core. Probes run on namespace worker threads
 * ({@link tapnet.cli.probe.NamespaceWorkers}), bounded by a watchdog.
 */
package tapnet.cli.probe;
