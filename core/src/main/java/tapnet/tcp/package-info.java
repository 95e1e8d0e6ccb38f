/**
 * Layer 7, TCP (RFC 9293 with RFC 5961, 7323, 2018, 6582, 6298): the connection table, listeners and SYN
 * cookies, active open, segment arrival, congestion control, output and timers
 * ({@link tapnet.tcp.TcpStack} is the door), and the faults a service's connections suffer on purpose
 * ({@link tapnet.tcp.ConnectionFaults}). What listens on a port is a {@link tapnet.tcp.ConnectionHandler}.
 *
 * <p>Depends on net, wire and the basics. Engine thread only: no locks, preallocated connection slots.
 */
package tapnet.tcp;
