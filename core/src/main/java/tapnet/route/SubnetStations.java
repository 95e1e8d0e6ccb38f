package tapnet.route;

import java.nio.ByteBuffer;
import tapnet.capture.Capture;
import tapnet.capture.CaptureSet;
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
    private final CaptureSet captures = new CaptureSet();

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
        captures.add(capture, names);
    }

    /** Stops capturing into {@code capture}; nothing when it was not here. */
    void stopCapture(Capture capture) {
        captures.remove(capture);
    }

    private void captured(int remote, boolean outbound, ByteBuffer frame, int offset, int length, long now) {
        captures.frame(remote, outbound, frame, offset, length, now);
    }
}
