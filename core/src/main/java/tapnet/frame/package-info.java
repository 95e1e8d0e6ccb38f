/**
 * Layer 2, frames: the ring slot a device's reader fills ({@link tapnet.frame.FrameSlot}), where it puts
 * them ({@link tapnet.frame.FrameIntake}: the ring or the engine itself), where the engine writes
 * ({@link tapnet.frame.FrameSink}), and the virtio-net header that travels with a frame as one {@code long}
 * ({@link tapnet.frame.Offload}), with the software GSO that cuts an offloaded frame into the wire frames
 * it stands for ({@link tapnet.frame.WireFrames}), and the GRO that joins TCP segments read together into one
 * such frame ({@link tapnet.frame.TcpCoalescer}).
 *
 * <p>Depends on wire. A slot is the reader's until published, then the engine thread's.
 */
package tapnet.frame;
