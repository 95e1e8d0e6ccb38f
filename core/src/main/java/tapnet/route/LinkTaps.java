package tapnet.route;

import java.nio.ByteBuffer;
import java.util.Arrays;
import tapnet.capture.Capture;

/**
 * Captures the links between nodes and their parents that were asked for: a frame is captured as it
 * leaves a link the link let it through, outbound going down toward the node, inbound going up toward
 * the parent. A link may be watched by several captures at once, each added and removed on its own.
 * Engine thread only.
 */
public final class LinkTaps {
    private static final Capture[] NONE = new Capture[0];
    /** By node: the captures watching its link (empty or null: none), and each one's interface. */
    private Capture[][] captures = new Capture[0][];
    private int[][] interfaces = new int[0][];

    public void add(int node, Capture capture, int iface) {
        if (node >= captures.length) {
            captures = Arrays.copyOf(captures, node + 1);
            interfaces = Arrays.copyOf(interfaces, node + 1);
        }
        Capture[] watching = captures[node] == null ? NONE : captures[node];
        int[] ids = interfaces[node] == null ? new int[0] : interfaces[node];
        captures[node] = Arrays.copyOf(watching, watching.length + 1);
        captures[node][watching.length] = capture;
        interfaces[node] = Arrays.copyOf(ids, ids.length + 1);
        interfaces[node][ids.length] = iface;
    }

    /** Stops {@code capture} watching any link. */
    public void remove(Capture capture) {
        for (int node = 0; node < captures.length; node++) {
            Capture[] watching = captures[node];
            int at = watching == null ? -1 : Arrays.asList(watching).indexOf(capture);
            if (at >= 0) {
                Capture[] keptCaptures = new Capture[watching.length - 1];
                int[] keptInterfaces = new int[watching.length - 1];
                for (int i = 0, j = 0; i < watching.length; i++) {
                    if (i != at) {
                        keptCaptures[j] = watching[i];
                        keptInterfaces[j++] = interfaces[node][i];
                    }
                }
                captures[node] = keptCaptures;
                interfaces[node] = keptInterfaces;
            }
        }
    }

    /** Whether the link between {@code node} and its parent is captured: it must see wire frames. */
    public boolean watches(int node) {
        return node < captures.length && captures[node] != null && captures[node].length > 0;
    }

    /** A frame crossed the link between {@code node} and its parent, toward the node or toward the parent. */
    public void crossed(int node, boolean towardNode, ByteBuffer frame, int offset, int length, long now) {
        if (node < captures.length && captures[node] != null) {
            Capture[] watching = captures[node];
            for (int i = 0; i < watching.length; i++) {
                watching[i].frame(interfaces[node][i], towardNode, frame, offset, length, now);
            }
        }
    }
}
