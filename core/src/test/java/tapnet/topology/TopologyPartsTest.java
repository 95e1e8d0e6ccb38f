package tapnet.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.tcp.TcpConfig;
import tapnet.wire.Ipv4Address;

/** The records' own checks of VXLAN segments and parts, as code that builds a {@link Topology} meets them. */
class TopologyPartsTest {
    private static final int A = Ipv4Address.parse("192.168.50.1");
    private static final int B = Ipv4Address.parse("192.168.50.2");
    private static final List<HostSpec> HOSTS = List.of(new HostSpec("web", Ipv4Address.parse("10.77.0.10"), List.of()),
            new HostSpec("db", Ipv4Address.parse("10.77.0.20"), List.of()));

    @Test
    void aVxlanChecksItsVniPortRemotesAndNetns() {
        assertProblem("invalid vxlan: VNI 16777216 out of range 0-16777215", () -> new VxlanSpec(1 << 24, A, List.of(B), 4789));
        assertProblem("invalid vxlan: UDP port 0 out of range 1-65535", () -> new VxlanSpec(42, A, List.of(B), 0));
        assertProblem("invalid vxlan: no remotes", () -> new VxlanSpec(42, A, List.of(), 4789));
        assertProblem("invalid vxlan: remote 192.168.50.1 is the local address", () -> new VxlanSpec(42, A, List.of(A), 4789));
        assertProblem("invalid vxlan: remote 192.168.50.2 is listed twice", () -> new VxlanSpec(42, A, List.of(B, B), 4789));
        assertProblem("invalid vxlan: the underlay's netns {run}-u names the run",
                () -> new VxlanSpec(42, A, List.of(B), 4789, "{run}-u"));
        assertEquals(List.of(), new VxlanSpec(42, VxlanSpec.FROM_PART, List.of(), 4789).remotes());
        assertProblem("invalid topology t: a vxlan's netns names {part}, and the file has no parts",
                () -> topology(tap(new VxlanSpec(42, A, List.of(B), 4789, "u-{part}")), List.of()));
    }

    @Test
    void partsSplitEveryNodeOnceOverAVxlanSegment() {
        TapSpec parted = tap(new VxlanSpec(42, VxlanSpec.FROM_PART, List.of(), 4789));
        PartSpec east = new PartSpec("east", List.of("web"), A);
        assertProblem("invalid topology t: db is in no part", () -> topology(parted, List.of(east)));
        assertProblem("invalid topology t: web is in parts east and west",
                () -> topology(parted, List.of(east, new PartSpec("west", List.of("web", "db"), B))));
        assertProblem("invalid topology t: parts east and west have the underlay 192.168.50.1",
                () -> topology(parted, List.of(east, new PartSpec("west", List.of("db"), A))));
        assertProblem("invalid topology t: part east names cache, which is not a host, router or port",
                () -> topology(parted, List.of(new PartSpec("east", List.of("web", "db", "cache"), A))));
        List<PartSpec> two = List.of(east, new PartSpec("west", List.of("db"), B, Ipv4Address.parse("10.77.0.2"), null));
        assertProblem("invalid topology t: parts join over VXLAN, and no segment has vxlan", () -> topology(tap(null), two));
        assertProblem("invalid topology t: with parts, a vxlan segment's local address is each part's underlay, not 192.168.50.1",
                () -> topology(tap(new VxlanSpec(42, A, List.of(B), 4789)), two));
        assertProblem("invalid topology t: a vxlan segment without a local address needs parts, whose underlay addresses stand in",
                () -> topology(parted, List.of()));
        assertProblem("invalid topology t: remote 192.168.50.2 is part west's underlay",
                () -> topology(tap(new VxlanSpec(42, VxlanSpec.FROM_PART, List.of(B), 4789)), two));
        assertProblem("'tap' is the name of the kernel's side of the TAP; expected another part name",
                () -> new PartSpec("tap", List.of("web"), A));
        assertEquals(java.util.Optional.of(List.of("db")), topology(parted, two).nodesOfPart("west"));
    }

    @Test
    void eachPartsKernelHasAddressesOfItsOwn() {
        TapSpec parted = tap(new VxlanSpec(42, VxlanSpec.FROM_PART, List.of(), 4789));
        PartSpec east = new PartSpec("east", List.of("web"), A);
        assertProblem("invalid topology t: parts east and west both give their kernel 10.77.0.1; give each part but one a tap"
                + " address of its own", () -> topology(parted, List.of(east, new PartSpec("west", List.of("db"), B))));
        assertProblem("invalid topology t: part west's tap 10.77.0.20 is not a free host address of 10.77.0.0/24",
                () -> topology(parted, List.of(east, new PartSpec("west", List.of("db"), B, Ipv4Address.parse("10.77.0.20"), null))));
        assertProblem("invalid topology t: part west's tap 10.78.0.2 is not a free host address of 10.77.0.0/24",
                () -> topology(parted, List.of(east, new PartSpec("west", List.of("db"), B, Ipv4Address.parse("10.78.0.2"), null))));
        assertProblem("invalid topology t: part west has tap6, but the TAP has no address6",
                () -> topology(parted, List.of(east, new PartSpec("west", List.of("db"), B, Ipv4Address.parse("10.77.0.2"),
                        Address6.parse("fd77::2")))));
    }

    private static TapSpec tap(VxlanSpec vxlan) {
        return new TapSpec("tapnet0", Ipv4Address.parse("10.77.0.1"), 24, 1500, null, vxlan);
    }

    private static Topology topology(TapSpec tap, List<PartSpec> parts) {
        return new Topology("t", 0, tap, TcpConfig.defaults(), HOSTS, List.of(), List.of(), List.of(), null, null, parts);
    }

    private static void assertProblem(String expected, org.junit.jupiter.api.function.Executable build) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, build).getMessage());
    }
}
