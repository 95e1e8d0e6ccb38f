package tapnet.topology.yaml;

import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import tapnet.dns.DnsFaults;
import tapnet.topology.DnsRecordSpec;
import tapnet.topology.DnsSpec;
import tapnet.topology.HostSpec;
import tapnet.topology.PortSpec;
import tapnet.topology.RouterSpec;
import tapnet.topology.TapSpec;
import tapnet.topology.Topology;
import tapnet.wire.DnsNames;

/**
 * Reads {@code dns: { address: 10.77.0.53, domain: shop.test, ttl: 60, records: [...] }}: the emulated DNS
 * server, on an address of the TAP's subnet no node has, authoritative for the domain its nodes are named
 * under; each record {@code { name: www, type: CNAME, value: web, ttl: 300 }}; and the faults its answers
 * suffer ({@link DnsFaultsReader}). Read after the nodes, whose addresses it must not take.
 */
final class DnsReader {
    static final Section.Keys DNS = new Section.Keys("dns", List.of("address", "domain", "ttl", "records", "faults"));
    static final Section.Keys RECORD = new Section.Keys("a DNS record", List.of("name", "type", "value", "ttl"));
    private static final String TTL_EXPECTED = "a TTL from 0 to " + DnsRecordSpec.MAX_TTL + " seconds, like 60";

    private final Problems problems;
    private final Scalars scalars;
    /** Each record read, in order, with the node of its name: where a clash of names is reported. */
    private final List<Node> recordNames = new ArrayList<>();
    private final List<Node> recordValues = new ArrayList<>();

    DnsReader(Problems problems, Scalars scalars) {
        this.problems = problems;
        this.scalars = scalars;
    }

    /** The server; null when anything was reported. */
    DnsSpec read(Node value, Node keyNode, TapSpec tap, List<HostSpec> hosts, List<RouterSpec> routers, List<PortSpec> ports) {
        int before = problems.count();
        Section dns = Section.read(value, keyNode, "dns", DNS, problems);
        if (dns == null) {
            return null;
        }
        Node addressNode = dns.require("address", "the address the DNS server answers on, like 10.77.0.53");
        Integer address = addressNode == null ? null
                : scalars.ipv4(addressNode, "address", "an IPv4 address of the TAP's subnet no node has, like 10.77.0.53");
        if (address != null && tap != null) {
            String problem = Topology.dnsProblem(tap, hosts, routers, ports, address);
            if (problem != null) {
                problems.at(addressNode, problem);
            }
        }
        Node domainNode = dns.require("domain", "the domain the nodes are named under, like shop.test");
        String domain = domainNode == null ? null : scalars.text(domainNode, "domain", "a domain name like shop.test");
        if (domain != null) {
            String problem = DnsNames.problem(domain);
            if (problem == null && domain.strip().equals(".")) {
                problem = "the root cannot be the domain";
            }
            if (problem != null) {
                problems.at(domainNode, problem + "; expected a domain like shop.test");
                domain = null;
            }
        }
        int ttl = dns.has("ttl") ? (int) scalars.integer(dns.get("ttl"), "ttl", 0, DnsRecordSpec.MAX_TTL, TTL_EXPECTED,
                DnsSpec.DEFAULT_TTL) : DnsSpec.DEFAULT_TTL;
        List<DnsRecordSpec> records = dns.has("records") ? records(dns.get("records")) : List.of();
        if (domain != null) {
            checkNamesUnderTheDomain(domain, records);
            checkCnamesAreAlone(domain, records, hosts, routers, ports);
        }
        List<DnsFaults.Rule> faults = dns.has("faults")
                ? new DnsFaultsReader(problems, scalars).read(dns.get("faults"), domain) : List.of();
        if (problems.count() > before || address == null || domain == null) {
            return null;
        }
        return new DnsSpec(address, domain, ttl, records, faults);
    }

    private List<DnsRecordSpec> records(Node node) {
        if (Section.isNull(node)) {
            return List.of();
        }
        if (!(node instanceof SequenceNode list)) {
            problems.at(node, "'records' is " + Section.describe(node)
                    + "; expected a list of records, like records: [ { name: www, type: CNAME, value: web } ]");
            return List.of();
        }
        List<DnsRecordSpec> records = new ArrayList<>();
        for (Node item : list.getValue()) {
            DnsRecordSpec record = record(item);
            if (record != null) {
                records.add(record);
            }
        }
        return records;
    }

    /** Names and targets stay domain names once the domain is added to them: at most 255 bytes in all. */
    private void checkNamesUnderTheDomain(String domain, List<DnsRecordSpec> records) {
        for (int i = 0; i < records.size(); i++) {
            DnsRecordSpec r = records.get(i);
            String name = DnsNames.qualify(r.name(), domain);
            if (DnsNames.problem(name) != null) {
                problems.at(recordNames.get(i), DnsNames.problem(name) + "; expected a shorter name");
            }
            String target = switch (r.type()) {
                case CNAME -> r.value().strip();
                case SRV -> r.fields().get(3);
                case MX -> r.fields().get(1);
                default -> null;
            };
            if (target != null && DnsNames.problem(DnsNames.qualify(target, domain)) != null) {
                problems.at(recordValues.get(i), DnsNames.problem(DnsNames.qualify(target, domain)) + "; expected a shorter name");
            }
        }
    }

    /** RFC 1034 §3.6.2: a name with a CNAME has no other data, a node's A record included. */
    private void checkCnamesAreAlone(String domain, List<DnsRecordSpec> records, List<HostSpec> hosts,
                                     List<RouterSpec> routers, List<PortSpec> ports) {
        java.util.Map<String, String> owners = new java.util.HashMap<>();
        hosts.forEach(h -> owners.putIfAbsent(DnsNames.qualify(h.name(), domain), "host " + h.name()));
        routers.forEach(r -> owners.putIfAbsent(DnsNames.qualify(r.name(), domain), "router " + r.name()));
        ports.forEach(p -> owners.putIfAbsent(DnsNames.qualify(p.name(), domain), "port " + p.name()));
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).type() != DnsRecordSpec.Type.CNAME) {
                continue;
            }
            String name = DnsNames.qualify(records.get(i).name(), domain);
            String other = owners.get(name);
            for (int j = 0; j < records.size() && other == null; j++) {
                if (j != i && DnsNames.qualify(records.get(j).name(), domain).equals(name)) {
                    other = "the " + records.get(j).type() + " record on line " + Problems.line(recordNames.get(j));
                }
            }
            if (other != null) {
                problems.at(recordNames.get(i), name + " has a CNAME and is also " + other
                        + "; expected a CNAME alone on its name (RFC 1034 §3.6.2)");
            }
        }
    }

    private DnsRecordSpec record(Node item) {
        int before = problems.count();
        Section r = Section.read(item, item, "this DNS record", RECORD, problems);
        if (r == null) {
            return null;
        }
        Node nameNode = r.require("name", "the name it is for, like www (under the domain) or @ (the domain itself)");
        String name = nameNode == null ? null : scalars.text(nameNode, "name", "a name like www or @");
        if (name != null && DnsRecordSpec.nameProblem(name) != null) {
            problems.at(nameNode, DnsRecordSpec.nameProblem(name) + "; expected a name like www or @");
        }
        Node typeNode = r.require("type", DnsRecordSpec.Type.spelled());
        String typeText = typeNode == null ? null : scalars.text(typeNode, "type", DnsRecordSpec.Type.spelled());
        DnsRecordSpec.Type type = typeText == null ? null : DnsRecordSpec.type(typeText);
        if (typeText != null && type == null) {
            problems.at(typeNode, "'" + typeText + "' is not a record type tapnet serves; expected " + DnsRecordSpec.Type.spelled());
        }
        Node valueNode = r.require("value", "what it holds, like 10.77.0.20 for A or web for CNAME");
        String value = valueNode == null ? null : scalars.text(valueNode, "value", "what the record holds");
        if (value != null && type != null) {
            String problem = DnsRecordSpec.valueProblem(type, value);
            if (problem != null) {
                problems.at(valueNode, problem);
            }
        }
        int ttl = r.has("ttl") ? (int) scalars.integer(r.get("ttl"), "ttl", 0, DnsRecordSpec.MAX_TTL, TTL_EXPECTED, 0)
                : DnsRecordSpec.INHERIT;
        if (problems.count() > before || name == null || type == null || value == null) {
            return null;
        }
        recordNames.add(nameNode);
        recordValues.add(valueNode);
        return new DnsRecordSpec(name, type, ttl, value);
    }
}
