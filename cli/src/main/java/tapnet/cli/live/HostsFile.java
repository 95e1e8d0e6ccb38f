package tapnet.cli.live;

import java.util.ArrayList;
import java.util.List;
import tapnet.topology.HostSpec;
import tapnet.topology.PortSpec;
import tapnet.topology.RouterSpec;
import tapnet.topology.Topology;
import tapnet.wire.Ipv4Address;

/**
 * The /etc/hosts COMMAND sees (hosts(5)): localhost, the machine's own name (programs look it up, Java's
 * InetAddress.getLocalHost among them), then every host, router and port of the topology by name, so that
 * {@code curl http://web/} works; a host with an IPv6 address is listed under both. A router is listed at its
 * address on its parent's subnet.
 */
final class HostsFile {
    private HostsFile() {
    }

    static String of(Topology topology, String machineName) {
        List<String> lines = new ArrayList<>();
        lines.add("# written by tapnet for this run: the topology " + topology.name() + "'s nodes by name");
        lines.add("127.0.0.1\tlocalhost");
        lines.add("::1\tlocalhost ip6-localhost ip6-loopback");
        if (machineName != null && !machineName.isBlank() && !machineName.strip().equals("localhost")) {
            lines.add("127.0.1.1\t" + machineName.strip());
        }
        for (HostSpec host : topology.hosts()) {
            lines.add(Ipv4Address.format(host.address()) + "\t" + host.name());
            for (var address6 : host.addresses6()) { // both families, as a dual-stack host's name has
                lines.add(address6 + "\t" + host.name());
            }
        }
        for (RouterSpec router : topology.routers()) {
            lines.add(Ipv4Address.format(router.address()) + "\t" + router.name());
        }
        for (PortSpec port : topology.ports()) {
            lines.add(Ipv4Address.format(port.address()) + "\t" + port.name());
            if (port.address6() != null) {
                lines.add(port.address6() + "\t" + port.name());
            }
        }
        return String.join("\n", lines) + "\n";
    }
}
