package tapnet.topology;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tapnet.wire.Ipv4Address;

/**
 * A segment extended over VXLAN (RFC 7348): its frames go out as UDP to every remote of the underlay and
 * come in from them, tagged with {@code vni}. The TAP's segment or a router's subnet may have one.
 *
 * @param vni     the segment's VXLAN network identifier, {@value #MIN_VNI} to {@value #MAX_VNI} (24 bits)
 * @param local   this run's IPv4 address on the underlay; {@value #FROM_PART}: the running part's underlay
 *                address (a file with {@code parts:} gives each part its own)
 * @param remotes the underlay addresses frames are sent to (head-end replication): no duplicates, not
 *                {@code local}; empty only in a file with parts, whose other parts are remotes already
 * @param port    the UDP port on both sides, {@value #DEFAULT_PORT} (IANA's) unless given
 * @param netns   the network namespace holding the underlay; null: the one tapnet runs in. {@value #PART} in it
 *                stands for the running part's name, so that parts on one machine each have an underlay namespace
 */
public record VxlanSpec(int vni, int local, List<Integer> remotes, int port, String netns) {
    public static final int MIN_VNI = 0;
    public static final int MAX_VNI = (1 << 24) - 1;
    public static final int DEFAULT_PORT = 4789;
    /** {@code local} of a segment whose local address is the running part's underlay address. */
    public static final int FROM_PART = 0;
    /** In {@code netns}: the running part's name. */
    public static final String PART = "{part}";

    public VxlanSpec {
        remotes = List.copyOf(remotes);
        String problem = vni < MIN_VNI || vni > MAX_VNI ? "VNI " + vni + " out of range " + MIN_VNI + "-" + MAX_VNI
                : port < 1 || port > 65535 ? "UDP port " + port + " out of range 1-65535"
                : local != FROM_PART && remotes.isEmpty() ? "no remotes" : null;
        Set<Integer> seen = new HashSet<>();
        for (int remote : remotes) {
            if (problem == null && remote == local) {
                problem = "remote " + Ipv4Address.format(remote) + " is the local address";
            } else if (problem == null && !seen.add(remote)) {
                problem = "remote " + Ipv4Address.format(remote) + " is listed twice";
            }
        }
        if (problem == null && netns != null) {
            problem = netns.contains(PortSpec.RUN) ? "the underlay's netns " + netns + " names the run"
                    : Topology.netnsProblem(netns.replace(PART, "p"));
        }
        if (problem != null) {
            throw new IllegalArgumentException("invalid vxlan: " + problem);
        }
    }

    /** A segment on the run's own underlay namespace. */
    public VxlanSpec(int vni, int local, List<Integer> remotes, int port) {
        this(vni, local, remotes, port, null);
    }

    /** Whether the local address comes from the running part (see {@link #FROM_PART}). */
    public boolean localFromPart() {
        return local == FROM_PART;
    }
}
