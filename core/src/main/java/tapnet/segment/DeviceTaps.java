package tapnet.segment;

import java.nio.ByteBuffer;
import java.util.Arrays;
import tapnet.capture.Capture;
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
    private Capture[] captures = new Capture[0];
    /** By capture, its interface ID by device number. */
    private int[][] interfaces = new int[0][];
    private final WireFrames wireFrames;

    public DeviceTaps(Segment segment, int maxFrameLength) {
        this.segment = segment;
        this.wireFrames = new WireFrames(maxFrameLength);
    }

    /** Starts capturing every device into {@code capture}, one interface each; a capture already here is kept. */
    public void add(Capture capture) {
        if (Arrays.asList(captures).contains(capture)) {
            return;
        }
        int[] ids = new int[segment.devices()];
        for (int device = 0; device < ids.length; device++) {
            ids[device] = capture.addInterface(segment.deviceName(device));
        }
        captures = Arrays.copyOf(captures, captures.length + 1);
        captures[captures.length - 1] = capture;
        interfaces = Arrays.copyOf(interfaces, interfaces.length + 1);
        interfaces[interfaces.length - 1] = ids;
    }

    /** Stops capturing into {@code capture}; nothing when it was not here. */
    public void remove(Capture capture) {
        int at = Arrays.asList(captures).indexOf(capture);
        if (at < 0) {
            return;
        }
        Capture[] keptCaptures = new Capture[captures.length - 1];
        int[][] keptInterfaces = new int[captures.length - 1][];
        for (int i = 0, j = 0; i < captures.length; i++) {
            if (i != at) {
                keptCaptures[j] = captures[i];
                keptInterfaces[j++] = interfaces[i];
            }
        }
        captures = keptCaptures;
        interfaces = keptInterfaces;
    }

    /** Whether no capture watches. */
    public boolean isEmpty() {
        return captures.length == 0;
    }

    public void frame(int device, boolean outbound, ByteBuffer frame, int offset, int length, long offload, long now) {
        if (captures.length == 0) {
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
        for (int c = 0; c < captures.length; c++) {
            if (device < interfaces[c].length) { // a port added after the capture started is not captured
                captures[c].frame(interfaces[c][device], outbound, frame, offset, length, now);
            }
        }
    }
}
