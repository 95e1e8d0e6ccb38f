package tapnet.route;

import java.nio.ByteBuffer;
import java.util.Arrays;
import tapnet.capture.Capture;
import tapnet.collections.LongLongHashMap;
import tapnet.frame.FrameSink;
import tapnet.frame.Offload;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.wire.MacAddress;

/**
 * The remotes of a router's subnet over VXLAN as a switch sees them: which remote each MAC was last seen
 * behind (bounded: {@value #MAX_STATIONS}), frames to a MAC sent to its remote or, while unknown, to every
 * remote (head-end replication); and the captures that watch them, one interface per remote, frames in
 * inbound and out outbound. Engine thread only; nothing allocated per frame.
 */
final class SubnetStations {
    /** MACs learned at most, as the TAP's segment (a flood of made-up sources must not grow it forever). */
    static final int MAX_STATIONS = 16_384;

    private final FrameSink[] remotes;
    /** Each remote's interface name in captures. */
    private final String[] names;
    private final Counters counters;
    private final LongLongHashMap stations = new LongLongHashMap(64, -1);
    private Capture[] captures = new Capture[0];
    /** By capture, its interface ID by remote. */
    private int[][] interfaces = new int[0][];

    SubnetStations(FrameSink[] remotes, String[] names, Counters counters) {
        this.remotes = remotes.clone();
        this.names = names.clone();
        this.counters = counters;
    }

    /** Learns that {@code mac} sent from {@code remote}; group MACs are never learned. */
    void learn(long mac, int remote) {
        if (MacAddress.isGroup(mac)) {
            return;
        }
        if (stations.size() >= MAX_STATIONS && !stations.containsKey(mac)) {
            counters.increment(Counter.STATIONS_NOT_LEARNED);
            return;
        }
        stations.put(mac, remote);
    }

    /** To the remote {@code mac} was seen behind; to every remote while that is not known. */
    void toStation(long mac, ByteBuffer frame, int offset, int length, long now) {
        int remote = (int) stations.get(mac);
        if (remote >= 0) {
            send(remote, frame, offset, length, now);
        } else {
            flood(frame, offset, length, now);
        }
    }

    void flood(ByteBuffer frame, int offset, int length, long now) {
        for (int remote = 0; remote < remotes.length; remote++) {
            send(remote, frame, offset, length, now);
        }
    }

    void send(int remote, ByteBuffer frame, int offset, int length, long now) {
        captured(remote, true, frame, offset, length, now);
        remotes[remote].send(frame, offset, length, Offload.NONE);
    }

    /** A frame from {@code remote}, for the captures. */
    void arrived(int remote, ByteBuffer frame, int offset, int length, long now) {
        captured(remote, false, frame, offset, length, now);
    }

    /** Starts capturing every remote into {@code capture}, an interface each; one already here is kept. */
    void capture(Capture capture) {
        if (Arrays.asList(captures).contains(capture)) {
            return;
        }
        int[] ids = new int[names.length];
        for (int remote = 0; remote < ids.length; remote++) {
            ids[remote] = capture.addInterface(names[remote]);
        }
        captures = Arrays.copyOf(captures, captures.length + 1);
        captures[captures.length - 1] = capture;
        interfaces = Arrays.copyOf(interfaces, interfaces.length + 1);
        interfaces[interfaces.length - 1] = ids;
    }

    /** Stops capturing into {@code capture}; nothing when it was not here. */
    void stopCapture(Capture capture) {
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

    private void captured(int remote, boolean outbound, ByteBuffer frame, int offset, int length, long now) {
        for (int c = 0; c < captures.length; c++) {
            captures[c].frame(interfaces[c][remote], outbound, frame, offset, length, now);
        }
    }
}
