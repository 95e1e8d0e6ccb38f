package tapnet.segment;

import java.nio.ByteBuffer;
import tapnet.capture.Capture;
import tapnet.frame.Offload;
import tapnet.frame.WireFrames;

/**
 * Captures the segment's devices: one interface per device, named as the device ("tap", a port's name),
 * frames read from it inbound and frames written to it outbound. A capture shows wire frames: an
 * offloaded frame (a GSO frame of 64 KB, a partial checksum) is captured as the wire frames it stands
 * for, as a capture on the far side of a real wire would see them. Engine thread only.
 */
public final class DeviceTaps {
    private final Capture capture;
    /** Capture interface ID by device number. */
    private final int[] interfaces;
    private final WireFrames wireFrames;

    public DeviceTaps(Capture capture, Segment segment, int maxFrameLength) {
        this.capture = capture;
        this.interfaces = new int[segment.devices()];
        for (int device = 0; device < interfaces.length; device++) {
            interfaces[device] = capture.addInterface(segment.deviceName(device));
        }
        this.wireFrames = new WireFrames(maxFrameLength);
    }

    public void frame(int device, boolean outbound, ByteBuffer frame, int offset, int length, long offload, long now) {
        if (device >= interfaces.length) {
            return; // a port added after the capture started is not captured
        }
        if (offload == Offload.NONE || wireFrames.begin(frame, offset, length, offload) < 0) {
            capture.frame(interfaces[device], outbound, frame, offset, length, now); // a malformed one as it came
            return;
        }
        for (int n; (n = wireFrames.next()) > 0; ) {
            capture.frame(interfaces[device], outbound, wireFrames.buffer(), 0, n, now);
        }
    }
}
