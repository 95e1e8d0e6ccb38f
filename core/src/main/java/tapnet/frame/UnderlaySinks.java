package tapnet.frame;

import java.util.List;

/**
 * Where a run's VXLAN segments send: one sink per underlay peer and VNI, each putting what it is given in
 * datagrams of that VNI to that peer. The peers are numbered as {@code tapnet.topology.Underlay} lists them.
 */
@FunctionalInterface
public interface UnderlaySinks {
    /** The sink that sends a segment's frames, tagged {@code vni}, to peer {@code peer}. */
    FrameSink sink(int peer, int vni);

    /** One sink per peer whatever the VNI (a test's, for a run of one segment). */
    static UnderlaySinks of(List<? extends FrameSink> perPeer) {
        return (peer, vni) -> perPeer.get(peer);
    }
}
