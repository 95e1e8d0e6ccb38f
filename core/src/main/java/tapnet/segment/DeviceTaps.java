package tapnet.segment;

import java.nio.ByteBuffer;
import tapnet.capture.Capture;
import tapnet.capture.CaptureSet;
import tapnet.frame.Offload;
import tapnet.frame.WireFrames;

/**
 * Captures the segment's devices: one interface per device in each capture, named as the device ("tap", a
 * port's name), frames read from it inbound and frames written to it outbound. Several captures may watch
 * at once (a script's and the control API's), each added and removed on its own. A capture shows wire
 * frames: an offloaded frame (a GSO frame of 64 KB, a partial checksum) is captured as the wire frames it
 * stands for, as a capture on the far side of a real wire would see them. Engine thread only.
 */
public final class DeviceTaps {
    private final Segment segment;
    private final CaptureSet captures = new CaptureSet();
    private final WireFrames wireFrames;

    public DeviceTaps(Segment segment, int maxFrameLength) {
        this.segment = segment;
        this.wireFrames = new WireFrames(maxFrameLength);
    }

    /** Starts capturing every device into {@code capture}, one interface each; a capture already here is kept. */
    public void add(Capture capture) {
        String[] names = new String[segment.devices()];
        for (int device = 0; device < names.length; device++) {
            names[device] = segment.deviceName(device);
        }
        captures.add(capture, names);
    }

    /** Stops capturing into {@code capture}; nothing when it was not here. */
    public void remove(Capture capture) {
        captures.remove(capture);
    }

    /** Whether no capture watches. */
    public boolean isEmpty() {
        return captures.isEmpty();
    }

    public void frame(int device, boolean outbound, ByteBuffer frame, int offset, int length, long offload, long now) {
        if (captures.isEmpty()) {
            return;
        }
        if (offload == Offload.NONE || wireFrames.begin(frame, offset, length, offload) < 0) {
            emit(device, outbound, frame, offset, length, now); // a malformed one as it came
            return;
        }
        for (int n; (n = wireFrames.next()) > 0; ) {
            emit(device, outbound, wireFrames.buffer(), 0, n, now);
        }
    }

    private void emit(int device, boolean outbound, ByteBuffer frame, int offset, int length, long now) {
        captures.frame(device, outbound, frame, offset, length, now); // a port added after the capture started is not captured
    }
}
