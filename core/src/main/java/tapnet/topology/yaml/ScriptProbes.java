package tapnet.topology.yaml;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import tapnet.topology.HostSpec;
import tapnet.topology.ProbeSpec;
import tapnet.wire.DnsMessage;
import tapnet.wire.DnsNames;
import tapnet.wire.Ipv6Address;

/**
 * Reads a script's {@code probes: { web: { connect: 10.77.0.10:80, every: 500ms } }}: each a named, repeated
 * measurement of one kind, taken from tap, a port or a host. Events and expectations name probes, so every
 * name is noted in the script, also of a probe that did not read.
 */
final class ScriptProbes {
    static final List<String> PROBE_KINDS = List.of("ping", "connect", "http", "bulk", "dns", "counter");
    static final Section.Keys PROBE = new Section.Keys("a probe",
            Section.concat(PROBE_KINDS, List.of("every", "timeout", "from", "size", "type")));

    static final Duration DEFAULT_EVERY = Duration.ofSeconds(1);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    static final Duration DEFAULT_BULK_TIMEOUT = Duration.ofSeconds(10);
    static final long MAX_BULK_BYTES = 16L << 30;

    /** Probe names end up in reports and file names: the rule of host names. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    private final ScriptReader script;
    private final Problems problems;
    private final Scalars scalars;

    ScriptProbes(ScriptReader script) {
        this.script = script;
        this.problems = script.problems;
        this.scalars = script.scalars;
    }

    /** The probes that read; every probe name goes into the script's, also of probes that did not. */
    List<ProbeSpec> read(Node value) {
        if (!(value instanceof MappingNode mapping)) {
            problems.at(value, "'probes' is " + Section.describe(value) + "; expected a mapping from names to probes,"
                    + " like probes: { web: { connect: 10.77.0.10:80 } }");
            return List.of();
        }
        List<ProbeSpec> read = new ArrayList<>();
        for (NodeTuple entry : Section.uniqueEntries(mapping, "probes", problems).values()) {
            Node nameNode = entry.getKeyNode();
            String name = ((ScalarNode) nameNode).getValue();
            script.probeNames.add(name);
            ProbeSpec probe = probe(name, nameNode, entry.getValueNode());
            if (probe != null) {
                read.add(probe);
                script.probes.put(name, probe);
            }
        }
        return read;
    }

    private ProbeSpec probe(String name, Node nameNode, Node value) {
        int before = problems.count();
        if (!NAME.matcher(name).matches()) {
            problems.at(nameNode, "'" + name + "' is not a probe name; expected 1 to 63 letters, digits, '-', '_' or '.',"
                    + " starting with a letter or digit, like web or db-1");
        }
        String subject = "probe '" + name + "'";
        Section probe = Section.read(value, nameNode, subject, PROBE, problems);
        if (probe == null) {
            return null;
        }
        List<String> kinds = probe.keys().stream().filter(PROBE_KINDS::contains).toList();
        if (kinds.isEmpty()) {
            if (problems.count() == before) { // a misspelt kind was reported already; "no kind" too would be noise
                problems.at(nameNode, subject + " has no kind; expected exactly one of: " + String.join(", ", PROBE_KINDS));
            }
            return null;
        }
        for (String extra : kinds.subList(1, kinds.size())) {
            problems.at(probe.keyNode(extra), "'" + extra + "' is a second kind for " + subject + ", which is already '"
                    + kinds.get(0) + "'; expected exactly one of: " + String.join(", ", PROBE_KINDS));
        }
        String kindKey = kinds.get(0);
        ProbeSpec.Kind kind = ProbeSpec.Kind.valueOf(kindKey.toUpperCase(Locale.ROOT));
        String target = target(probe.get(kindKey), kind);
        Duration every = probe.has("every") ? script.period(probe.get("every"), "every") : DEFAULT_EVERY;
        Duration timeout = probe.has("timeout")
                ? scalars.duration(probe.get("timeout"), "timeout", ScriptReader.MIN_EVERY, ScriptReader.MAX_TIMEOUT)
                : kind == ProbeSpec.Kind.BULK ? DEFAULT_BULK_TIMEOUT : DEFAULT_TIMEOUT;
        long bytes = 0;
        if (kind == ProbeSpec.Kind.BULK) {
            Node size = probe.require("size", "how much each sample sends, like size: 1MiB");
            bytes = size == null ? 0 : scalars.size(size, "size", 1, MAX_BULK_BYTES);
        } else if (probe.has("size")) {
            problems.at(probe.keyNode("size"), "'size' is for bulk probes, and " + subject + " is a " + kindKey
                    + " probe; expected size only with bulk");
        }
        if (kind == ProbeSpec.Kind.COUNTER && probe.has("from")) {
            problems.at(probe.keyNode("from"), "a counter probe reads tapnet's own counters, from no machine; expected no"
                    + " 'from' for " + subject);
        }
        ProbeSpec.DnsQuery dns = null;
        if (kind == ProbeSpec.Kind.DNS) {
            dns = target == null ? null : dnsQuery(probe, probe.get(kindKey), target, subject);
        } else if (probe.has("type")) {
            problems.at(probe.keyNode("type"), "'type' is for dns probes, and " + subject + " is a " + kindKey
                    + " probe; expected type only with dns");
        }
        String from = probe.has("from") ? sampler(probe.get("from")) : HostSpec.RESERVED_NAME;
        if (problems.count() != before || from == null) { // null without a report: a node with mistakes of its own
            return null;
        }
        if (kind == ProbeSpec.Kind.DNS && dns == null) {
            return null; // the topology did not read, so its DNS server is unknown; its mistakes are reported
        }
        return new ProbeSpec(name, kind, dns == null ? target : dns.name(), from, every, timeout, bytes, dns);
    }

    /**
     * A dns probe's question: {@code name} under the topology's domain unless absolute (a final dot, or ending
     * with the domain), the {@code type:} (A by default), asked of the topology's DNS server. Null when reported,
     * or when the topology did not read (its DNS server unknown: the rest of the file's mistakes come first).
     */
    private ProbeSpec.DnsQuery dnsQuery(Section probe, Node nameNode, String name, String subject) {
        String type = "A";
        if (probe.has("type")) {
            Node typeNode = probe.get("type");
            String text = scalars.text(typeNode, "type", "a record type, one of: " + String.join(", ", ProbeSpec.DnsQuery.TYPES));
            type = text == null ? null : text.strip().toUpperCase(Locale.ROOT);
            if (type != null && !ProbeSpec.DnsQuery.TYPES.contains(type)) {
                problems.at(typeNode, "'" + text + "' is not a record type a dns probe asks for; expected one of: "
                        + String.join(", ", ProbeSpec.DnsQuery.TYPES));
                type = null;
            }
        }
        if (script.topology == null || type == null) {
            return null;
        }
        if (script.topology.dns() == null) {
            problems.at(nameNode, subject + " asks the topology's DNS server, and this topology has none; expected a"
                    + " dns: section at the top, like dns: { address: 10.77.0.53, domain: shop.test }");
            return null;
        }
        String qualified = DnsNames.qualify(name, script.topology.dns().domain());
        if (DnsNames.problem(qualified) != null) { // its labels were checked: only its length can be wrong
            problems.at(nameNode, "'" + qualified + "' (the name under the domain " + script.topology.dns().domain()
                    + ") is longer than a domain name may be (" + DnsMessage.MAX_NAME_LENGTH
                    + " bytes in wire form); expected a shorter name, like web");
            return null;
        }
        return new ProbeSpec.DnsQuery(qualified, type, script.topology.dns().address());
    }

    /** What a probe aims at, as written (stripped); null when reported. */
    private String target(Node node, ProbeSpec.Kind kind) {
        String key = kind.name().toLowerCase(Locale.ROOT);
        String expected = switch (kind) {
            case PING -> "an IPv4 or IPv6 address, like 10.77.0.10 or fd77::10";
            case CONNECT, BULK -> "an address and a TCP port from 1 to 65535, like 10.77.0.10:" + (kind == ProbeSpec.Kind.BULK ? 9 : 80)
                    + " or [fd77::10]:" + (kind == ProbeSpec.Kind.BULK ? 9 : 80);
            case HTTP -> "an http URL with an address, like http://10.77.0.10/, http://10.77.0.10:8080/health or http://[fd77::10]/";
            case COUNTER -> "one of tapnet's counters, like drop.link_loss or tcp_retransmissions";
            case DNS -> "a domain name, relative to the topology's DNS domain unless it ends with a dot, like web or db.shop.test";
        };
        String text = scalars.text(node, key, expected);
        if (text == null) {
            return null;
        }
        String target = text.strip();
        boolean ok = switch (kind) {
            case PING -> Scalars.isAddress(target) || isIpv6(target);
            case CONNECT, BULK -> isAddressAndPort(target);
            case HTTP -> isHttpUrl(target);
            case COUNTER -> ScriptExpectations.isCounter(target);
            case DNS -> DnsNames.problem(target) == null && !target.equals(".");
        };
        if (!ok && kind == ProbeSpec.Kind.DNS) {
            String problem = DnsNames.problem(target);
            problems.at(node, problem != null ? problem : "the root is no name to ask for; expected " + expected);
            return null;
        }
        if (!ok) {
            problems.at(node, "'" + text + "' is not " + (kind == ProbeSpec.Kind.PING ? "an IP address"
                    : kind == ProbeSpec.Kind.HTTP ? "an http URL" : kind == ProbeSpec.Kind.COUNTER ? "a counter of tapnet's"
                    : "an address and port") + "; expected " + expected);
            return null;
        }
        return target;
    }

    private static boolean isAddressAndPort(String text) {
        int colon = text.lastIndexOf(':');
        return colon > 0 && isHost(text.substring(0, colon)) && Scalars.isTcpPort(text.substring(colon + 1));
    }

    /** An IPv4 address, or an IPv6 one in brackets as URLs and host:port write it: {@code [fd77::10]}. */
    private static boolean isHost(String text) {
        return Scalars.isAddress(text) || text.startsWith("[") && text.endsWith("]") && isIpv6(text.substring(1, text.length() - 1));
    }

    private static boolean isIpv6(String text) {
        try {
            Ipv6Address.parse(text);
            return text.equals(text.strip()) && !text.isEmpty();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code http://ADDRESS[:PORT][/PATH]}: the probes speak plain HTTP/1.1 to an address (virtual hosts have no DNS). */
    private static boolean isHttpUrl(String text) {
        try {
            URI uri = new URI(text);
            return "http".equals(uri.getScheme()) && uri.getRawAuthority() != null && uri.getRawUserInfo() == null
                    && uri.getHost() != null && isHost(uri.getHost())
                    && (uri.getPort() == -1 || Scalars.isTcpPort(Integer.toString(uri.getPort())))
                    && uri.getRawAuthority().equals(uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Who takes a probe's samples: tap (the kernel of the TAP's namespace), a port, or a virtual host. */
    private String sampler(Node node) {
        List<String> choices = new ArrayList<>();
        choices.add(HostSpec.RESERVED_NAME);
        choices.addAll(script.portNames());
        choices.addAll(script.hostNames());
        return script.nodeName(node, "from", choices, "tap, port or host");
    }
}
