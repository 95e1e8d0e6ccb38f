/**
 * Layer 4, the TAP's segment: a learning switch between the TAP, the real ports (TAPs in other namespaces),
 * the VXLAN remotes ({@link tapnet.segment.VxlanRemotes}) and the virtual hosts as one more station
 * ({@link tapnet.segment.Segment}); each port's link; partitions that keep groups of nodes apart, here and in
 * the other parts of a split topology ({@link tapnet.segment.Partition}, {@link tapnet.segment.RemoteNodes}); frames from one host to another,
 * queued until the batch ends ({@link tapnet.segment.LocalFrames}); captures of what devices get; and what
 * is dropped first when the engine falls behind ({@link tapnet.segment.LoadShedding}).
 *
 * <p>Depends on link, node, frame, wire and the basics. Hands frames for the hosts up through
 * {@link tapnet.segment.Segment.Station}. Engine thread only.
 */
package tapnet.segment;
