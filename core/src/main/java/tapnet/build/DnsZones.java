package tapnet.build;

import java.nio.ByteBuffer;
import java.util.List;
import tapnet.dns.DnsZone;
import tapnet.topology.Address6;
import tapnet.topology.DnsRecordSpec;
import tapnet.topology.DnsSpec;
import tapnet.topology.HostSpec;
import tapnet.topology.PortSpec;
import tapnet.topology.RouterSpec;
import tapnet.topology.Topology;
import tapnet.wire.DnsNames;

/**
 * The zone a topology's DNS server serves: every host, router (its address on the segment above it) and
 * port named under the domain with an A and a PTR record at the server's TTL (and a host with an IPv6
 * address an AAAA record and its ip6.arpa PTR), then the file's records.
 * A node whose name is no domain name (host names allow "a..b") is left out rather than refused: its
 * name still works everywhere else.
 */
public final class DnsZones {
    private DnsZones() {
    }

    /** The zone, or null when the topology has no DNS server. */
    public static DnsZone of(Topology topology) {
        DnsSpec dns = topology.dns();
        if (dns == null) {
            return null;
        }
        DnsZone.Builder zone = DnsZone.builder(dns.domain());
        for (HostSpec h : topology.hosts()) {
            address(zone, dns, h.name(), h.address());
            h.addresses6().forEach(a -> address6(zone, dns, h.name(), a));
        }
        for (RouterSpec r : topology.routers()) {
            address(zone, dns, r.name(), r.address());
        }
        for (PortSpec p : topology.ports()) {
            address(zone, dns, p.name(), p.address());
            address6(zone, dns, p.name(), p.address6());
        }
        for (DnsRecordSpec r : dns.records()) {
            int ttl = r.ttl() == DnsRecordSpec.INHERIT ? dns.ttl() : r.ttl();
            List<String> f = r.type() == DnsRecordSpec.Type.SRV || r.type() == DnsRecordSpec.Type.MX ? r.fields() : List.of();
            switch (r.type()) {
                case A -> zone.a(r.name(), r.ipv4(), ttl);
                case AAAA -> zone.aaaa(r.name(), r.ipv6Bytes(), ttl);
                case CNAME -> zone.cname(r.name(), r.value().strip(), ttl);
                case TXT -> zone.txt(r.name(), r.value(), ttl);
                case SRV -> zone.srv(r.name(), Integer.parseInt(f.get(0)), Integer.parseInt(f.get(1)),
                        Integer.parseInt(f.get(2)), f.get(3), ttl);
                case MX -> zone.mx(r.name(), Integer.parseInt(f.get(0)), f.get(1), ttl);
            }
        }
        return zone.build();
    }

    private static void address6(DnsZone.Builder zone, DnsSpec dns, String name, Address6 address6) {
        if (address6 != null && DnsNames.problem(DnsNames.qualify(name, dns.domain())) == null) {
            zone.address6(name, ByteBuffer.allocate(16).putLong(address6.high()).putLong(address6.low()).array(), dns.ttl());
        }
    }

    private static void address(DnsZone.Builder zone, DnsSpec dns, String name, int address) {
        if (DnsNames.problem(DnsNames.qualify(name, dns.domain())) == null) {
            zone.address(name, address, dns.ttl());
        }
    }
}
