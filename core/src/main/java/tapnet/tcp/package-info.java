/**
 * Layer 7, TCP (RFC 9293 with RFC 5961, 7323, 2018, 6582, 6298). {@link tapnet.tcp.TcpStack} is the door:
 * services listen and hosts connect through it, segments and timer ticks come in through it, and it hands
 * each to the part whose job it is: {@link tapnet.tcp.PassiveOpen} (closed ports, listeners, backlogs,
 * {@link tapnet.tcp.SynCookies}), {@link tapnet.tcp.ActiveOpen} (connect, SYN-SENT),
 * {@link tapnet.tcp.SegmentArrival} (a segment for a connection), {@link tapnet.tcp.CongestionControl}
 * (NewReno, undo), {@link tapnet.tcp.TcpOutput} (Nagle, windows, retransmission), {@link tapnet.tcp.TcpTimers}
 * (what a timer does when it fires), {@link tapnet.tcp.ConnectionLifecycle} (open, close, TIME-WAIT, slots).
 * The state of a connection is its control block ({@link tapnet.tcp.TcpConnection}) in the bounded
 * {@link tapnet.tcp.ConnectionTable}; the faults a service's connections suffer on purpose
 * ({@link tapnet.tcp.ConnectionFaults}) are applied around the control block by
 * {@link tapnet.tcp.FaultInjection}, not kept inside it. What listens on a port is a
 * {@link tapnet.tcp.ConnectionHandler}; each listener counts its service's connections and faults
 * ({@link tapnet.tcp.ServiceCounters}), for metrics.
 *
 * <p>Depends on net, wire and the basics. Engine thread only: no locks, preallocated connection slots.
 */
package tapnet.tcp;
