package tapnet.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One part of a split topology as its run sees it ({@code tapnet run FILE --part NAME}): the whole file's
 * names and routes (a host of another part is reached by its name, a router of another part routes its
 * subnet), the nodes this part plays, and the TAP segment's VXLAN joined to the other parts' underlays.
 * What names no node (the DNS server, a probe from the kernel) the first part plays: one server, one set of
 * samples, as in a whole run.
 *
 * @param topology the whole file, with this part's TAP addresses as {@code tap}
 * @param part     the part this run plays
 * @param first    whether it is the file's first part
 */
public record PartRun(Topology topology, PartSpec part, boolean first) {
    /**
     * Part {@code name} of {@code whole}.
     *
     * @throws IllegalArgumentException when the file has no such part, or a router and a node behind it are in
     *                                  two parts
     */
    public static PartRun of(Topology whole, String name) {
        PartSpec part = whole.parts().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(whole.parts().isEmpty()
                        ? "--part " + name + ": the topology has no parts:"
                        : "--part " + name + ": no such part; the topology's parts are "
                        + whole.parts().stream().map(PartSpec::name).collect(Collectors.joining(", "))));
        if (whole.tap().vxlan() == null) {
            throw new IllegalArgumentException("the parts join over the TAP segment's vxlan, and tap has none");
        }
        String behind = strayBehindRouter(whole);
        if (behind != null) {
            throw new IllegalArgumentException(behind);
        }
        // every part's kernel addresses written out, so that the file's tap may take this part's
        List<PartSpec> explicit = new ArrayList<>();
        for (PartSpec p : whole.parts()) {
            explicit.add(new PartSpec(p.name(), p.nodes(), p.underlay(), kernelAddress(whole, p),
                    whole.tap().hasIpv6() ? kernelAddress6(whole, p) : null));
        }
        TapSpec tap = new TapSpec(whole.tap().device(), kernelAddress(whole, part), whole.tap().prefixLength(), whole.tap().mtu(),
                whole.tap().hasIpv6() ? new Prefix6(kernelAddress6(whole, part), whole.tap().address6().length()) : null,
                whole.tap().vxlan());
        boolean first = whole.parts().get(0) == part;
        Topology seen = new Topology(whole.name(), whole.seed(), tap, whole.tcp(), whole.hosts(), whole.links(), whole.routers(),
                whole.ports(), whole.script() == null ? null : scriptOf(whole.script(), part, first), whole.dns(), explicit);
        return new PartRun(seen, explicit.get(whole.parts().indexOf(part)), first);
    }

    /**
     * The script as a part plays it: the probes from its nodes (from the kernel: the first part's), the
     * expectations of those probes and every counter expectation (judged on this part's counters), and every
     * event: each part applies what concerns its nodes when it fires, so the timeline stays whole; a command
     * runs in the part that plays its namespace (the kernel's: the first part), a mark in the others.
     */
    private static Script scriptOf(Script script, PartSpec part, boolean first) {
        List<ProbeSpec> probes = script.probes().stream()
                .filter(p -> p.from() == null || p.from().equals(HostSpec.RESERVED_NAME) ? first : part.plays(p.from()))
                .toList();
        java.util.Set<String> kept = probes.stream().map(ProbeSpec::name).collect(Collectors.toSet());
        List<ExpectationSpec> expectations = script.expectations().stream()
                .filter(e -> e.probe() == null || kept.contains(e.probe())).toList();
        List<EventSpec> events = script.events().stream().map(e -> e.action() instanceof Action.Run run
                && !(run.in().equals(HostSpec.RESERVED_NAME) ? first : part.plays(run.in()))
                ? new EventSpec(e.name(), e.trigger(), new Action.Mark("part " + part.name() + " leaves to the part that plays "
                        + run.in() + ": run " + String.join(" ", run.command())))
                : e).toList();
        return new Script(script.duration(), probes, events, expectations, script.capture());
    }

    /**
     * The nodes behind a router are in its part: a router's subnet crosses VXLAN to real machines, and the
     * nodes on it are played where the router is.
     */
    private static String strayBehindRouter(Topology whole) {
        for (PartSpec part : whole.parts()) {
            for (String node : part.nodes()) {
                String parent = whole.parentOf(node).orElse(HostSpec.RESERVED_NAME);
                if (!parent.equals(HostSpec.RESERVED_NAME) && !part.plays(parent)) {
                    return node + " is behind router " + parent + ", which another part plays; put both in one part"
                            + " (a router's subnet joins real machines over VXLAN, not other parts)";
                }
            }
        }
        return null;
    }

    private static int kernelAddress(Topology whole, PartSpec part) {
        return part.tap() == 0 ? whole.tap().address() : part.tap();
    }

    private static Address6 kernelAddress6(Topology whole, PartSpec part) {
        return part.tap6() == null ? whole.tap().address6().address() : part.tap6();
    }

    /** Whether this part plays the host, router or port called {@code node}; {@code tap} is every part's. */
    public boolean plays(String node) {
        return part.plays(node) || node.equals(HostSpec.RESERVED_NAME);
    }

    /**
     * The TAP segment's VXLAN as this part runs it: from its underlay address, to the other parts' and to the
     * remotes the file lists, in the underlay namespace named with this part's name for {@value VxlanSpec#PART}.
     */
    public VxlanSpec vxlan() {
        VxlanSpec given = topology.tap().vxlan();
        List<Integer> remotes = new ArrayList<>();
        topology.parts().stream().filter(p -> p != part).forEach(p -> remotes.add(p.underlay()));
        remotes.addAll(given.remotes());
        return new VxlanSpec(given.vni(), part.underlay(), remotes, given.port(),
                given.netns() == null ? null : given.netns().replace(VxlanSpec.PART, part.name()));
    }

    /**
     * Router {@code router}'s subnet VXLAN as this part runs it: from the part's underlay address to the remotes
     * the file lists; null when the part does not play the router, or the file gives its subnet no remotes.
     */
    public VxlanSpec vxlanOf(RouterSpec router) {
        VxlanSpec given = router.vxlan();
        if (given == null || given.remotes().isEmpty() || !plays(router.name())) {
            return null;
        }
        return new VxlanSpec(given.vni(), part.underlay(), given.remotes(), given.port(),
                given.netns() == null ? null : given.netns().replace(VxlanSpec.PART, part.name()));
    }
}
