package tapnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** IPv6 address text (RFC 4291 §2.2, RFC 5952), the addresses a MAC and an address make, prefixes. */
class Ipv6AddressTest {
    private static String roundTrip(String text) {
        long[] a = Ipv6Address.parse(text);
        return Ipv6Address.format(a[0], a[1]);
    }

    @Test
    void formatIsRfc5952sCanonicalText() {
        assertEquals("fd77::10", roundTrip("FD77:0:0:0:0:0:0:10"), "§4.3 lower case, §4.2.1 the zeros as ::");
        assertEquals("::", roundTrip("0:0:0:0:0:0:0:0"));
        assertEquals("::1", roundTrip("0:0:0:0:0:0:0:1"));
        assertEquals("1::", roundTrip("1:0:0:0:0:0:0:0"));
        assertEquals("2001:db8:0:1:1:1:1:1", roundTrip("2001:db8:0:1:1:1:1:1"), "§4.2.2 one zero group is not shortened");
        assertEquals("2001:db8::1:0:0:1", roundTrip("2001:db8:0:0:1:0:0:1"), "§4.2.3 the first of equal runs");
        assertEquals("2001:0:0:1::1", roundTrip("2001:0:0:1:0:0:0:1"), "§4.2.3 the longest run");
        assertEquals("2001:db8::1", roundTrip("2001:0db8::0001"), "§4.1 no leading zeros");
    }

    @Test
    void parseRefusesWhatIsNoIpv6Address() {
        for (String text : new String[] {"", "fd77", "fd77::1::2", "fd77:10000::1", "1:2:3:4:5:6:7:8:9", "fd77::g",
                                         "10.77.0.1", "::ffff:10.77.0.1", "localhost", "fe80::1%eth0", ":::"}) {
            assertThrows(IllegalArgumentException.class, () -> Ipv6Address.parse(text), text);
        }
    }

    @Test
    void linkLocalLowIsTheModifiedEui64OfTheMac() {
        // RFC 4291 appendix A: ff:fe in the middle, the universal/local bit inverted
        assertEquals(0x0000_00ff_fe00_0001L, Ipv6Address.linkLocalLow(MacAddress.parse("02:00:00:00:00:01")));
        assertEquals(0x5054_00ff_fe12_3456L, Ipv6Address.linkLocalLow(MacAddress.parse("52:54:00:12:34:56")));
    }

    @Test
    void solicitedNodeGroupAndItsMac() {
        long[] address = Ipv6Address.parse("fd77::1:2345:6789");
        long group = Ipv6Address.solicitedNodeLow(address[1]);
        assertEquals("ff02::1:ff45:6789", Ipv6Address.format(Ipv6Address.ALL_NODES_HIGH, group), "RFC 4291 §2.7.1: low 24 bits");
        assertTrue(Ipv6Address.isSolicitedNode(Ipv6Address.ALL_NODES_HIGH, group));
        assertFalse(Ipv6Address.isSolicitedNode(Ipv6Address.ALL_NODES_HIGH, Ipv6Address.ALL_NODES_LOW));
        assertEquals(MacAddress.parse("33:33:ff:45:67:89"), Ipv6Address.multicastMac(group), "RFC 2464 §7: 33:33 and 32 bits");
    }

    @Test
    void kindsOfAddress() {
        assertTrue(Ipv6Address.isLinkLocal(Ipv6Address.parse("fe80::1")[0]));
        assertTrue(Ipv6Address.isLinkLocal(Ipv6Address.parse("febf::1")[0]), "fe80::/10");
        assertFalse(Ipv6Address.isLinkLocal(Ipv6Address.parse("fec0::1")[0]));
        assertTrue(Ipv6Address.isMulticast(Ipv6Address.parse("ff02::1")[0]));
        assertFalse(Ipv6Address.isMulticast(Ipv6Address.parse("fd77::1")[0]));
        assertTrue(Ipv6Address.isUnspecified(0, 0));
    }

    @Test
    void samePrefixComparesTheFirstBitsOnly() {
        long[] a = Ipv6Address.parse("fd77::10");
        long[] b = Ipv6Address.parse("fd77::ffff:1");
        long[] c = Ipv6Address.parse("fd78::10");
        assertTrue(Ipv6Address.samePrefix(a[0], a[1], b[0], b[1], 64));
        assertFalse(Ipv6Address.samePrefix(a[0], a[1], c[0], c[1], 64));
        assertTrue(Ipv6Address.samePrefix(a[0], a[1], c[0], c[1], 12));
        assertFalse(Ipv6Address.samePrefix(a[0], a[1], c[0], c[1], 13), "fd77 and fd78 part at bit 13");
        assertTrue(Ipv6Address.samePrefix(a[0], a[1], b[0], b[1], 96));
        assertFalse(Ipv6Address.samePrefix(a[0], a[1], b[0], b[1], 112));
        assertTrue(Ipv6Address.samePrefix(a[0], a[1], a[0], a[1], 128));
    }
}
