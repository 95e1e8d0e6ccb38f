package tapnet.engine;

import java.nio.ByteBuffer;
import java.util.Arrays;
import tapnet.capture.Capture;
import tapnet.link.Impairments;
import tapnet.node.HostTable;
import tapnet.node.VirtualHost;
import tapnet.route.NodeTree;
import tapnet.route.Paths;
import tapnet.segment.DeviceTaps;
import tapnet.segment.Segment;

/**
 * The engine's captures: sets up the taps on the segment's devices and on node links, and flushes every
 * capture in use at the end of each batch. Engine thread only.
 */
final class EngineCaptures {
    private final Segment wire;
    private final NodeTree tree;
    private final Paths paths;
    private final HostTable hosts;
    /** Where frames read from and written to the devices are captured. */
    private final DeviceTaps devices;
    private Capture[] inUse = new Capture[0];

    EngineCaptures(Segment wire, NodeTree tree, Paths paths, HostTable hosts, int maxFrameLength) {
        this.wire = wire;
        this.tree = tree;
        this.paths = paths;
        this.hosts = hosts;
        this.devices = new DeviceTaps(wire, maxFrameLength);
    }

    /** The TAP, every port and every remote, one interface each, named as the device; a router subnet's remotes too. */
    void captureDevices(Capture capture) {
        devices.add(capture);
        paths.vxlan().capture(capture);
        wire.capture(devices); // the segment looks at its taps only while a capture watches
        use(capture);
    }

    /**
     * Stops {@code capture} watching the devices and every link; the caller closes it. Its links keep the
     * perfect link a capture may have given them.
     */
    void stop(Capture capture) {
        devices.remove(capture);
        if (devices.isEmpty()) {
            wire.capture(null);
        }
        paths.taps.remove(capture);
        paths.vxlan().stopCapture(capture);
        int at = Arrays.asList(inUse).indexOf(capture);
        if (at >= 0) {
            Capture[] kept = new Capture[inUse.length - 1];
            System.arraycopy(inUse, 0, kept, 0, at);
            System.arraycopy(inUse, at + 1, kept, at, inUse.length - at - 1);
            inUse = kept;
        }
    }

    /**
     * The link above {@code node}, on an interface {@code link PARENT<->NODE}. A port's link ends at the
     * port's device, whose own interface shows what crossed it toward the port and what the port sent
     * before crossing: capturing the devices covers it.
     */
    void captureLink(String node, Capture capture) {
        if (wire.device(node) > Segment.TAP) {
            captureDevices(capture);
            return;
        }
        VirtualHost host = hosts.byName(node);
        if (host == null) {
            throw new IllegalArgumentException("no node " + node + " whose link to capture (a host, a router or a port)");
        }
        int parent = tree.parentOf(host.index());
        if (parent < 0 && tree.towardNode(host) == null) {
            tree.setLink(host, Impairments.NONE, Impairments.NONE); // else its frames take the direct path, unwatched
        }
        String parentName = parent < 0 ? wire.deviceName(Segment.TAP) : hosts.get(parent).name();
        paths.taps.add(tree.nodeOf(host), capture, capture.addInterface("link " + parentName + "<->" + node));
        use(capture);
    }

    /** A frame read from {@code device}. */
    void fromDevice(int device, ByteBuffer frame, int offset, int length, long offload, long now) {
        if (!devices.isEmpty()) {
            devices.frame(device, false, frame, offset, length, offload, now);
        }
    }

    /** The batch is done: what the captures buffered goes to their files. */
    void flush() {
        for (int i = 0; i < inUse.length; i++) {
            inUse[i].flush();
        }
    }

    private void use(Capture capture) {
        if (!Arrays.asList(inUse).contains(capture)) {
            inUse = Arrays.copyOf(inUse, inUse.length + 1);
            inUse[inUse.length - 1] = capture;
        }
    }
}
