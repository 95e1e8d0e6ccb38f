package tapnet.route;

import java.nio.ByteBuffer;
import java.util.Arrays;
import tapnet.capture.Capture;

/**
 * Captures the links between nodes and their parents that were asked for: a frame is captured as it
 * leaves a link the link let it through, outbound going down toward the node, inbound going up toward
 * the parent. Engine thread only.
 */
public final class LinkTaps {
    /** By node: where its link's frames are captured (null: nowhere), and on which interface. */
    private Capture[] captures = new Capture[0];
    private int[] interfaces = new int[0];

    public void add(int node, Capture capture, int iface) {
        if (node >= captures.length) {
            captures = Arrays.copyOf(captures, node + 1);
            interfaces = Arrays.copyOf(interfaces, node + 1);
        }
        captures[node] = capture;
        interfaces[node] = iface;
    }

    /** Whether the link between {@code node} and its parent is captured: it must see wire frames. */
    public boolean watches(int node) {
        return node < captures.length && captures[node] != null;
    }

    /** A frame crossed the link between {@code node} and its parent, toward the node or toward the parent. */
    public void crossed(int node, boolean towardNode, ByteBuffer frame, int offset, int length, long now) {
        if (node < captures.length && captures[node] != null) {
            captures[node].frame(interfaces[node], towardNode, frame, offset, length, now);
        }
    }
}
