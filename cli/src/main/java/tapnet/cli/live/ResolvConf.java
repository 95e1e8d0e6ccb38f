package tapnet.cli.live;

import tapnet.topology.DnsSpec;
import tapnet.topology.Topology;
import tapnet.wire.Ipv4Address;

/**
 * The /etc/resolv.conf COMMAND sees when the topology has a DNS server (resolv.conf(5)): that server alone,
 * the topology's domain to search, so that {@code web} is tried as {@code web.shop.test}, and short
 * timeouts, as the server is one engine away and a lost query is better retried soon. The host's own file
 * is never touched: this one is bound over it in COMMAND's mount namespace, as the hosts file is.
 */
final class ResolvConf {
    private ResolvConf() {
    }

    /** The file's text, or null when the topology has no DNS server (COMMAND keeps the machine's resolver). */
    static String of(Topology topology) {
        DnsSpec dns = topology.dns();
        if (dns == null) {
            return null;
        }
        String domain = dns.domain().endsWith(".") ? dns.domain().substring(0, dns.domain().length() - 1) : dns.domain();
        return "# written by tapnet for this run: the topology " + topology.name() + "'s DNS server\n"
                + "nameserver " + Ipv4Address.format(dns.address()) + "\n"
                + "search " + domain + "\n"
                + "options timeout:1 attempts:2\n";
    }
}
