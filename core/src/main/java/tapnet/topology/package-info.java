/**
 * The model of a network to emulate, as immutable records and nothing else: the TAP, hosts and their
 * services, routers, ports, links, VXLAN segments and parts ({@link tapnet.topology.Topology}), the
 * script with its events, probes, expectations and capture ({@link tapnet.topology.Script}), and the changes a run may make
 * ({@link tapnet.topology.Action}). Each record checks itself as it is made. Read from files by
 * {@code tapnet.topology.yaml}; made into an engine by {@code tapnet.build}.
 *
 * <p>Depends only on value types of the layers it describes (addresses, link and TCP settings). Any thread.
 */
package tapnet.topology;
