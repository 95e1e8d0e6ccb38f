package tapnet.topology.yaml;

import tapnet.topology.HostSpec;
import tapnet.topology.LinkSpec;
import tapnet.topology.PartSpec;
import tapnet.topology.PortSpec;
import tapnet.topology.RouterSpec;
import tapnet.topology.ServiceSpec;
import tapnet.topology.TapSpec;
import tapnet.topology.Topology;
import tapnet.topology.VxlanSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import tapnet.tcp.TcpConfig;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

/**
 * A few lines for people: what a topology makes when it runs (the TAP, each host with its address, MAC
 * and services, routers, real ports with their namespaces, segments over VXLAN and parts, TCP settings that
 * differ from the defaults).
 * The CLI prints it when it starts.
 *
 * <pre>
 * topology demo, seed 42: 2 hosts behind tapnet0 (kernel side 10.77.0.1/24, MTU 1500)
 *   web  10.77.0.10  02:54:0a:4d:00:0a  80 http 200, 7 echo
 *   db   10.77.0.20  02:00:00:00:00:20  5432 banner
 *   port left  10.77.0.101  in netns {run}-left as eth0 (shop-left once run with --netns shop)
 *   dns: shop.test at 10.77.0.53, 2 records besides the nodes' (served on UDP and TCP port 53 by node dns@10.77.0.53)
 *   tcp: timeWait 1s
 * </pre>
 *
 * <p>A topology of more than {@value #MAX_HOST_LINES} hosts lists its first {@value #FIRST_HOSTS} and its
 * last, with a line for those in between, so that what follows stays on the first screen (and 100,000
 * hosts do not take seconds to print).
 */
public final class TopologySummary {
    /** Hosts listed one a line at most; a larger topology lists a few and says how many are left out. */
    static final int MAX_HOST_LINES = 30;
    static final int FIRST_HOSTS = 20;

    private TopologySummary() {
    }

    public static String of(Topology topology) {
        TapSpec tap = topology.tap();
        int count = topology.hosts().size();
        StringBuilder out = new StringBuilder();
        out.append("topology ").append(topology.name()).append(", seed ").append(topology.seed()).append(": ")
                .append(count).append(count == 1 ? " host" : " hosts").append(" behind ").append(tap.device())
                .append(" (kernel side ").append(tap.addressWithPrefix()).append(tap.hasIpv6() ? " and " + tap.address6() : "")
                .append(", MTU ").append(tap.mtu()).append(")\n");
        List<HostSpec> listed = listed(topology.hosts());
        int nameWidth = listed.stream().mapToInt(h -> h.name().length()).max().orElse(0);
        int addressWidth = listed.stream().mapToInt(h -> Ipv4Address.format(h.address()).length()).max().orElse(0);
        for (int i = 0; i < listed.size(); i++) {
            if (i == FIRST_HOSTS && listed.size() < count) {
                out.append("  ... ").append(count - listed.size()).append(" more hosts ...\n");
            }
            HostSpec host = listed.get(i);
            out.append("  ").append(pad(host.name(), nameWidth))
                    .append("  ").append(pad(Ipv4Address.format(host.address()), addressWidth))
                    .append("  ").append(MacAddress.format(host.mac()))
                    .append(host.addresses6().isEmpty() ? "" : "  " + host.addresses6().stream().map(Object::toString)
                            .collect(Collectors.joining(" ")))
                    .append("  ").append(host.services().isEmpty() ? "no services (ARP and ping only)"
                            : host.services().stream().map(TopologySummary::service).collect(Collectors.joining(", ")))
                    .append('\n');
        }
        for (RouterSpec router : topology.routers()) {
            out.append("  router ").append(router.name()).append("  ").append(Ipv4Address.format(router.address()))
                    .append("  ").append(MacAddress.format(router.mac())).append("  routes ").append(router.subnet())
                    .append(" (its address there ").append(Ipv4Address.format(router.inside())).append(")\n");
        }
        int portNameWidth = topology.ports().stream().mapToInt(p -> p.name().length()).max().orElse(0);
        int portAddressWidth = topology.ports().stream().mapToInt(p -> Ipv4Address.format(p.address()).length()).max().orElse(0);
        for (PortSpec port : topology.ports()) {
            out.append("  port ").append(pad(port.name(), portNameWidth))
                    .append("  ").append(pad(Ipv4Address.format(port.address()), portAddressWidth))
                    .append("  in netns ").append(port.netns()).append(" as ").append(port.device()).append('\n');
        }
        if (!topology.links().isEmpty()) {
            List<LinkSpec> links = topology.links();
            out.append("  links: ").append(links.stream().limit(FIRST_HOSTS).map(LinkSpec::host).collect(Collectors.joining(", ")))
                    .append(links.size() > FIRST_HOSTS ? " and " + (links.size() - FIRST_HOSTS) + " more" : "").append('\n');
        }
        if (topology.dns() != null) {
            out.append("  dns: ").append(topology.dns().domain()).append(" at ").append(Ipv4Address.format(topology.dns().address()))
                    .append(", ").append(count(topology.dns().records().size(), "record"))
                    .append(" besides the nodes'")
                    .append(topology.dns().faults().isEmpty() ? "" : ", " + count(topology.dns().faults().size(), "fault"))
                    .append(" (served on UDP and TCP port 53 by node dns@")
                    .append(Ipv4Address.format(topology.dns().address())).append(")\n");
        }
        vxlanLines(topology, out);
        List<String> tcp = tcpDifferences(topology.tcp());
        if (!tcp.isEmpty()) {
            out.append("  tcp: ").append(String.join(", ", tcp)).append('\n');
        }
        tapnet.topology.Script script = topology.script();
        if (script != null) {
            out.append("  script: ").append(Units.format(script.duration())).append(", ")
                    .append(count(script.probes().size(), "probe")).append(", ")
                    .append(count(script.events().size(), "event")).append(", ")
                    .append(count(script.expectations().size(), "expectation"))
                    .append(script.capture() == null ? "" : ", capture").append('\n');
        }
        return out.toString();
    }

    /** The hosts listed one a line: all of them, or the first few and the last when they are many. */
    private static List<HostSpec> listed(List<HostSpec> hosts) {
        if (hosts.size() <= MAX_HOST_LINES) {
            return hosts;
        }
        List<HostSpec> listed = new ArrayList<>(hosts.subList(0, FIRST_HOSTS));
        listed.add(hosts.get(hosts.size() - 1));
        return listed;
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    private static String service(ServiceSpec service) {
        String text = service.port() + " " + service.kind() + (service.noDelay() ? " (nodelay)" : "")
                + (service.faults().isEmpty() ? "" : " (faults: " + service.faults().stream()
                .map(f -> f.kind().name().toLowerCase()).collect(Collectors.joining(", ")) + ")");
        if (service instanceof ServiceSpec.Tuned tuned) {
            service = tuned.service();
        }
        if (service instanceof ServiceSpec.Http http && !http.routes().isEmpty()) {
            return text + " " + count(http.routes().size(), "route");
        }
        if (service instanceof ServiceSpec.Http http) {
            return text + " " + http.status();
        }
        if (service instanceof ServiceSpec.Banner banner && banner.closeAfter()) {
            return text + " (closes)";
        }
        return text;
    }

    /** The TCP settings a topology changed; the MSS follows the MTU and is not listed. */
    private static List<String> tcpDifferences(TcpConfig tcp) {
        TcpConfig d = TcpConfig.defaults();
        List<String> out = new ArrayList<>();
        if (tcp.maxConnections() != d.maxConnections()) out.add("maxConnections " + tcp.maxConnections());
        if (tcp.bufferSize() != d.bufferSize()) out.add("buffer " + Units.formatSize(tcp.bufferSize()));
        if (tcp.bufferMemory() != d.bufferMemory()) out.add("bufferMemory " + Units.formatSize(tcp.bufferMemory()));
        if (!tcp.timeWait().equals(d.timeWait())) out.add("timeWait " + Units.format(tcp.timeWait()));
        if (!tcp.initialRto().equals(d.initialRto())) out.add("initialRto " + Units.format(tcp.initialRto()));
        if (!tcp.minRto().equals(d.minRto())) out.add("minRto " + Units.format(tcp.minRto()));
        if (!tcp.maxRto().equals(d.maxRto())) out.add("maxRto " + Units.format(tcp.maxRto()));
        if (tcp.synAckRetries() != d.synAckRetries()) out.add("synAckRetries " + tcp.synAckRetries());
        if (tcp.dataRetries() != d.dataRetries()) out.add("dataRetries " + tcp.dataRetries());
        if (tcp.initialWindow() != d.initialWindow()) out.add("initialWindow " + tcp.initialWindow());
        if (tcp.synRetries() != d.synRetries()) out.add("synRetries " + tcp.synRetries());
        if (tcp.synBacklog() != d.synBacklog()) out.add("synBacklog " + tcp.synBacklog());
        return out;
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }

    /** The segments over VXLAN and the parts, one a line. */
    private static void vxlanLines(Topology topology, StringBuilder out) {
        if (topology.tap().vxlan() != null) {
            vxlanLine("the TAP's segment", topology.tap().vxlan(), out);
        }
        topology.routers().stream().filter(r -> r.vxlan() != null)
                .forEach(r -> vxlanLine("router " + r.name() + "'s subnet", r.vxlan(), out));
        for (PartSpec part : topology.parts()) {
            out.append("  part ").append(part.name()).append(": ")
                    .append(part.nodes().stream().limit(FIRST_HOSTS).collect(Collectors.joining(", ")))
                    .append(part.nodes().size() > FIRST_HOSTS ? " and " + (part.nodes().size() - FIRST_HOSTS) + " more" : "")
                    .append(" (underlay ").append(Ipv4Address.format(part.underlay()))
                    .append(part.tap() == 0 ? "" : ", kernel " + Ipv4Address.format(part.tap()))
                    .append(part.tap6() == null ? "" : ", kernel " + part.tap6()).append(")\n");
        }
    }

    private static void vxlanLine(String segment, VxlanSpec vxlan, StringBuilder out) {
        out.append("  vxlan ").append(vxlan.vni()).append(" on ").append(segment).append(": local ")
                .append(vxlan.localFromPart() ? "each part's underlay" : Ipv4Address.format(vxlan.local()))
                .append(vxlan.remotes().isEmpty() ? "" : ", remotes " + vxlan.remotes().stream().map(Ipv4Address::format)
                        .collect(Collectors.joining(", ")))
                .append(", UDP port ").append(vxlan.port())
                .append(vxlan.netns() == null ? "" : ", underlay in netns " + vxlan.netns()).append("\n");
    }
}
