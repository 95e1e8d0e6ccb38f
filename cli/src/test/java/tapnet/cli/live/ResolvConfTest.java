package tapnet.cli.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import tapnet.topology.yaml.TopologyLoader;

/** The /etc/resolv.conf COMMAND sees: the topology's DNS server and domain, or none without one. */
class ResolvConfTest {
    @Test
    void namesTheServerAndSearchesTheDomain() throws Exception {
        assertEquals("""
                # written by tapnet for this run: the topology t's DNS server
                nameserver 10.77.0.53
                search shop.test
                options timeout:1 attempts:2
                """, ResolvConf.of(TopologyLoader.parse("t.yaml", """
                tap: { address: 10.77.0.1/24 }
                hosts: { web: { address: 10.77.0.10 } }
                dns: { address: 10.77.0.53, domain: shop.test }
                """)));
    }

    @Test
    void withoutADnsServerThereIsNone() throws Exception {
        assertNull(ResolvConf.of(TopologyLoader.parse("t.yaml", "tap: { address: 10.77.0.1/24 }\nhosts: { web: { address: 10.77.0.10 } }\n")));
    }
}
