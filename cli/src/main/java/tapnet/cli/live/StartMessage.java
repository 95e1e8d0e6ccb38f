package tapnet.cli.live;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tapnet.cli.api.ApiServer;
import tapnet.topology.PortSpec;
import tapnet.topology.Topology;
import tapnet.topology.Underlay;
import tapnet.topology.VxlanSpec;
import tapnet.topology.yaml.TopologySummary;
import tapnet.topology.yaml.Units;
import tapnet.wire.Ipv4Address;

/**
 * What a live run prints once its TAP is up: the topology in short, client commands to try (in the run's
 * namespace), the ports' namespaces, the control socket, and how the run ends.
 */
final class StartMessage {
    private StartMessage() {
    }

    /**
     * @param netns       the run's namespace, null for the current one
     * @param where       what the example commands start with to run in the TAP's namespace, maybe nothing
     * @param control     the control API, null when the run listens for none
     * @param report      where a script's report goes, as {@code --report} gave it
     * @param command     {@code run -- COMMAND}, null for none
     * @param relaunched  the run is in namespaces of its own (a relaunch made them), which only COMMAND shares
     * @param part        the part of a split topology the run plays, null for the whole
     */
    static void print(Topology topology, String version, String tapName, String netns, String where, ApiServer control,
                      Path report, UserCommand command, boolean relaunched, tapnet.topology.PartRun part) {
        System.out.println("tapnet " + version + ": " + TopologySummary.of(topology).stripTrailing());
        if (part != null) {
            System.out.println(partLine(part));
        }
        System.out.println("TAP " + tapName + " is up" + (netns == null ? "" : " in network namespace " + netns) + ". Try:");
        for (String example : examples(topology)) {
            System.out.println("  " + where + example);
        }
        for (PortSpec port : topology.ports()) {
            if (part != null && !part.plays(port.name())) {
                continue;
            }
            System.out.println("Port " + port.name() + ": " + Ipv4Address.format(port.address()) + " on " + port.device()
                    + " in network namespace " + port.netns() + "; run programs there with: ip netns exec " + port.netns() + " ...");
        }
        if (relaunched && command == null) {
            System.out.println("This run has network and mount namespaces of its own (tapnet runs without root so):"
                    + " run programs in them as COMMAND of tapnet run [FILE] -- COMMAND; its /run is its own, so a"
                    + " control socket outside /run (--control PATH) is the one tapnet ctl reaches from here.");
        }
        if (control != null && control.socket() != null) {
            Path socket = control.socket();
            System.out.println("control: tapnet ctl --socket " + socket + " links|counters|link SPEC|down NODE|up NODE|partition GROUPS|heal");
            System.out.println("control API: curl --unix-socket " + socket + " http://tapnet/v1/links");
        }
        if (control != null && control.url() != null) {
            System.out.println("control API on TCP: " + control.url() + "/v1/ with Authorization: Bearer TOKEN, the token in "
                    + control.token().file());
        }
        if (command != null) {
            System.out.println("Running " + String.join(" ", command.argv()) + (topology.script() == null ? "" : "; the script"
                    + " runs for " + Units.format(topology.script().duration()) + ", then the report goes to " + report)
                    + ". The run ends when COMMAND exits; Ctrl-C and SIGTERM go to COMMAND.");
        } else if (topology.script() != null) {
            System.out.println("The script runs for " + Units.format(topology.script().duration()) + ", then the report goes to "
                    + report + ". Stop with Ctrl-C to end it early.");
        } else {
            System.out.println("Stop with Ctrl-C.");
        }
        System.out.flush();
    }

    /**
     * Which part the run plays and how it reaches the rest: the TAP segment's VXLAN, from the part's underlay
     * address to the other parts and the listed remotes, and the subnets of the routers it plays that have one.
     */
    static String partLine(tapnet.topology.PartRun part) {
        Underlay underlay = Underlay.of(part);
        VxlanSpec vxlan = underlay.tap();
        StringBuilder line = new StringBuilder("This run plays part ").append(part.part().name()).append(" (")
                .append(String.join(", ", part.part().nodes()))
                .append(part.first() ? ", and the DNS server and the kernel's probes, as the first part" : "")
                .append("); the rest over VXLAN ").append(vxlan.vni()).append(" from ").append(Ipv4Address.format(vxlan.local()))
                .append(" to ").append(addresses(vxlan));
        underlay.routers().forEach((router, subnet) -> line.append("; router ").append(router).append("'s subnet over VXLAN ")
                .append(subnet.vni()).append(" to ").append(addresses(subnet)));
        return line.append(", UDP port ").append(vxlan.port())
                .append(vxlan.netns() == null ? "" : " in network namespace " + vxlan.netns()).append(".").toString();
    }

    private static String addresses(VxlanSpec vxlan) {
        return vxlan.remotes().stream().map(Ipv4Address::format).collect(java.util.stream.Collectors.joining(", "));
    }

    /** A ping of the first host, and one client command per kind of service the topology has. */
    private static List<String> examples(Topology topology) {
        List<String> out = new ArrayList<>();
        Set<String> kinds = new HashSet<>();
        if (!topology.hosts().isEmpty()) {
            out.add("ping -c 3 " + Ipv4Address.format(topology.hosts().get(0).address()));
        }
        topology.hosts().stream().filter(h -> h.address6() != null).findFirst().ifPresent(h -> {
            out.add("ping -6 -c 3 " + h.address6());
            h.services().stream().filter(s -> s.kind().equals("http")).findFirst().ifPresent(s ->
                    out.add("curl -6 http://[" + h.address6() + "]" + (s.port() == 80 ? "" : ":" + s.port()) + "/"));
        });
        for (var host : topology.hosts()) {
            String address = Ipv4Address.format(host.address());
            for (var service : host.services()) {
                if (!kinds.add(service.kind())) {
                    continue;
                }
                out.add(switch (service.kind()) {
                    case "http" -> "curl http://" + address + (service.port() == 80 ? "" : ":" + service.port()) + "/";
                    case "udpEcho", "udpDiscard" -> "nc -u " + address + " " + service.port() + "    # " + service.kind();
                    default -> "nc " + address + " " + service.port() + "    # " + service.kind();
                });
            }
        }
        return out;
    }
}
