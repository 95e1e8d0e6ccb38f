package tapnet.engine;

import java.nio.ByteBuffer;
import tapnet.capture.Capture;

/**
 * Captures the segment's devices: one interface per device, named as the device ("tap", a port's name),
 * frames read from it inbound and frames written to it outbound. Engine thread only.
 */
final class DeviceTaps {
    private final Capture capture;
    /** Capture interface ID by device number. */
    private final int[] interfaces;

    DeviceTaps(Capture capture, Segment segment) {
        this.capture = capture;
        this.interfaces = new int[segment.devices()];
        for (int device = 0; device < interfaces.length; device++) {
            interfaces[device] = capture.addInterface(segment.deviceName(device));
        }
    }

    void frame(int device, boolean outbound, ByteBuffer frame, int offset, int length, long now) {
        if (device < interfaces.length) { // a port added after the capture started is not captured
            capture.frame(interfaces[device], outbound, frame, offset, length, now);
        }
    }
}
