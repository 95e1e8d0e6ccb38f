/**
 * The kernel's side of a live script's probes: ping, TCP connect, HTTP, bulk transfer and DNS queries made
 * by the kernel's own stack from inside the run's namespace ({@link tapnet.cli.probe.KernelProbes}). The TCP
 * socket probes share one skeleton ({@link tapnet.cli.probe.SocketProbe}): each says only its own part; the
 * DNS probe ({@link tapnet.cli.probe.DnsProbe}) has a UDP socket of its own.
 *
 * <p>Depends on tap and core. Probes run on namespace worker threads
 * ({@link tapnet.cli.probe.NamespaceWorkers}), bounded by a watchdog.
 */
package tapnet.cli.probe;
