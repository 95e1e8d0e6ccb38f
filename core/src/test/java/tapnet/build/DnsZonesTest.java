package tapnet.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import tapnet.dns.DnsZone;
import tapnet.topology.Topology;
import tapnet.topology.yaml.TopologyLoader;
import tapnet.wire.DnsMessage;

/** A topology's DNS server: its nodes' names and the file's records, as the zone answers them. */
class DnsZonesTest {
    private static final String FILE = """
            tap: { address: 10.77.0.1/24 }
            routers: { edge: { address: 10.77.0.2, subnet: 10.78.0.1/24 } }
            hosts:
              web: { address: 10.77.0.10 }
              db: { address: 10.78.0.20 }
            dns:
              address: 10.77.0.53
              domain: shop.test
              ttl: 30
              records:
                - { name: www, type: CNAME, value: web }
                - { name: api, type: A, value: 10.77.0.99, ttl: 5 }
                - { name: _http._tcp, type: SRV, value: 10 5 80 web }
                - { name: "@", type: MX, value: 10 mail }
                - { name: web, type: AAAA, value: "fd00::10" }
                - { name: "@", type: TXT, value: hello }
            """;

    @Test
    void everyNodeIsNamedAndEveryRecordServed() throws Exception {
        DnsZone zone = DnsZones.of(TopologyLoader.parse("shop.yaml", FILE));
        assertEquals(DnsMessage.RCODE_NOERROR, rcode(zone, "web.shop.test", DnsMessage.TYPE_A));
        assertEquals(DnsMessage.RCODE_NOERROR, rcode(zone, "db.shop.test", DnsMessage.TYPE_A));
        assertEquals(DnsMessage.RCODE_NOERROR, rcode(zone, "edge.shop.test", DnsMessage.TYPE_A));
        assertEquals(DnsMessage.RCODE_NOERROR, rcode(zone, "20.0.78.10.in-addr.arpa", DnsMessage.TYPE_PTR));
        assertEquals(DnsMessage.RCODE_NOERROR, rcode(zone, "www.shop.test", DnsMessage.TYPE_A));
        assertEquals(DnsMessage.RCODE_NOERROR, rcode(zone, "_http._tcp.shop.test", DnsMessage.TYPE_SRV));
        assertEquals(DnsMessage.RCODE_NXDOMAIN, rcode(zone, "mail.shop.test", DnsMessage.TYPE_A));
        // web, db, edge, their three PTRs, www, api, _http._tcp, the apex
        assertEquals(10, zone.size());
    }

    @Test
    void noDnsKeyNoZone() throws Exception {
        Topology t = TopologyLoader.parse("shop.yaml", "tap: { address: 10.77.0.1/24 }\nhosts: { web: { address: 10.77.0.10 } }\n");
        assertNull(DnsZones.of(t));
    }

    private static int rcode(DnsZone zone, String name, int type) {
        ByteBuffer query = ByteBuffer.allocate(512);
        query.putShort((short) 1).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0);
        for (String label : name.split("\\.")) {
            query.put((byte) label.length()).put(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        query.put((byte) 0).putShort((short) type).putShort((short) 1);
        ByteBuffer reply = ByteBuffer.allocate(512);
        int length = zone.answer(query, 0, query.position(), reply, 0, 512);
        return length < 12 ? -1 : reply.getShort(2) & 0xf;
    }
}
