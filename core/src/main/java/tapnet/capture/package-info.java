/**
 * Packet captures: pcapng written as frames pass (a device, a node's link), with one interface per place
 * watched ({@link tapnet.capture.Capture}, {@link tapnet.capture.PcapngWriter}), and where capture files go
 * ({@link tapnet.capture.CaptureFiles}). A basic the segment, the routers and the engine feed.
 *
 * <p>Depends on time. Written by the engine thread; files closed by whoever ends the run.
 */
package tapnet.capture;
