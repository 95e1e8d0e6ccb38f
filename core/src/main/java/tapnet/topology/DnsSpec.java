package tapnet.topology;

import java.util.List;
import java.util.Objects;
import tapnet.dns.DnsFaults;
import tapnet.wire.DnsNames;

/**
 * The emulated DNS server ({@code dns:} in a file): the address it answers on, a virtual address of the
 * TAP's subnet no node has; the domain it is authoritative for, under which every host, router and port
 * is named ({@code web} is {@code web.shop.test}, with a PTR record back); the TTL of those records; and
 * the records the file adds, and the faults its answers suffer on purpose. A topology without {@code dns:} has
 * no DNS server.
 *
 * @param ttl the TTL of the nodes' records and of added records that give none, in seconds
 */
public record DnsSpec(int address, String domain, int ttl, List<DnsRecordSpec> records, List<DnsFaults.Rule> faults) {
    public static final int DEFAULT_TTL = 60;

    /** Without faults. */
    public DnsSpec(int address, String domain, int ttl, List<DnsRecordSpec> records) {
        this(address, domain, ttl, records, List.of());
    }

    public DnsSpec {
        Objects.requireNonNull(domain, "domain");
        records = List.copyOf(records);
        faults = List.copyOf(faults);
        String problem = DnsNames.problem(domain);
        if (problem == null && (domain.equals(".") || domain.isEmpty())) {
            problem = "the root cannot be the domain; expected a name like shop.test";
        }
        if (problem == null) {
            problem = DnsRecordSpec.ttlProblem(ttl);
        }
        if (problem != null) {
            throw new IllegalArgumentException("invalid DNS server: " + problem);
        }
    }
}
