package tapnet.capture;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The captures watching a set of interfaces named once (a segment's devices, a subnet's remotes): each
 * capture gets an interface per name when it starts watching, and a frame seen on interface {@code i} goes
 * to that interface in every capture. Several captures may watch at once (a script's and the control API's),
 * each added and removed on its own. Engine thread only; nothing allocated per frame.
 */
public final class CaptureSet {
    private Capture[] captures = new Capture[0];
    /** By capture, its interface ID by index. */
    private int[][] interfaces = new int[0][];

    /** Starts {@code capture} watching, an interface per name, in order; a capture already here is kept as it is. */
    public void add(Capture capture, String[] names) {
        if (Arrays.asList(captures).contains(capture)) {
            return;
        }
        int[] ids = new int[names.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = capture.addInterface(names[i]);
        }
        captures = Arrays.copyOf(captures, captures.length + 1);
        captures[captures.length - 1] = capture;
        interfaces = Arrays.copyOf(interfaces, interfaces.length + 1);
        interfaces[interfaces.length - 1] = ids;
    }

    /** Stops {@code capture} watching; nothing when it was not here. */
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

    /** A frame on interface {@code index}; a capture that started before the interface was named does not see it. */
    public void frame(int index, boolean outbound, ByteBuffer frame, int offset, int length, long nanos) {
        for (int c = 0; c < captures.length; c++) {
            if (index < interfaces[c].length) {
                captures[c].frame(interfaces[c][index], outbound, frame, offset, length, nanos);
            }
        }
    }
}
