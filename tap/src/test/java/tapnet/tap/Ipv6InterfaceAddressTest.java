package tapnet.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** "fd77::1/64" in and out, as two long halves, and a clear answer for what is not one. */
class Ipv6InterfaceAddressTest {
    @Test
    void parsesTheAddressIntoTwoLongHalvesAndThePrefixLength() {
        Ipv6InterfaceAddress address = Ipv6InterfaceAddress.parse("fd77::1/64");
        assertEquals(0xfd77_0000_0000_0000L, address.high());
        assertEquals(1L, address.low());
        assertEquals(64, address.prefixLength());
    }

    @Test
    void formatsBackInTheShortestForm() {
        assertEquals("fd77::1/64", Ipv6InterfaceAddress.parse("FD77:0:0:0:0:0:0:1/64").toString());
        assertEquals("fd77:0:0:1::1/80", Ipv6InterfaceAddress.parse("fd77:0:0:1:0:0:0:1/80").toString());
        assertEquals("2001:db8::1:0:0:1/128", Ipv6InterfaceAddress.parse("2001:db8:0:0:1:0:0:1/128").toString());
        assertEquals("fd77:1:2:3:4:5:6:7/64", Ipv6InterfaceAddress.parse("fd77:1:2:3:4:5:6:7/64").toString());
        assertEquals("fd77:0:1:1:1:1:1:1/64", Ipv6InterfaceAddress.parse("fd77:0:1:1:1:1:1:1/64").toString(),
                "a single zero group stays (RFC 5952 §4.2.2)");
    }

    @Test
    void theSubnetHasTheHostBitsCleared() {
        Ipv6Subnet subnet = Ipv6InterfaceAddress.parse("fd77:1::ff:1/64").subnet();
        assertEquals("fd77:1::/64", subnet.toString());
        assertEquals(new Ipv6Subnet(0xfd77_0001_0000_0000L, 0, 64), subnet);
        assertEquals("fd77::/72", Ipv6InterfaceAddress.parse("fd77::ff:1/72").subnet().toString());
        assertEquals("fd77::ff00:0:0:0/72", Ipv6InterfaceAddress.parse("fd77::ff12:0:0:1/72").subnet().toString());
    }

    @Test
    void withoutAPrefixLengthTheMessageShowsOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipv6InterfaceAddress.parse("fd77::1"));
        assertEquals("an interface address needs its prefix length (like fd77::1/64): fd77::1", e.getMessage());
    }

    @Test
    void aBadAddressOrPrefixLengthIsNamedWithAnExample() {
        assertEquals("not an IPv6 address (eight groups of hex digits, \"::\" for a run of zeros, like fd77::1/64): fd77::g",
                assertThrows(IllegalArgumentException.class, () -> Ipv6InterfaceAddress.parse("fd77::g/64")).getMessage());
        assertEquals("not a prefix length 0-128 after the '/' (like fd77::1/64): fd77::1/129",
                assertThrows(IllegalArgumentException.class, () -> Ipv6InterfaceAddress.parse("fd77::1/129")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Ipv6InterfaceAddress.parse("fd77::1/0"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6InterfaceAddress.parse("fd77:::1/64"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6InterfaceAddress.parse("1:2:3:4:5:6:7:8:9/64"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6InterfaceAddress.parse("10.77.0.1/24"), "IPv4 is no IPv6 address");
        assertThrows(IllegalArgumentException.class, () -> Ipv6InterfaceAddress.parse("fe80::1%eth0/64"), "no scope");
        assertThrows(IllegalArgumentException.class, () -> Ipv6InterfaceAddress.parse("localhost/64"), "never a name lookup");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Ipv6InterfaceAddress.parse("::ffff:10.0.0.1/64"))
                .getMessage().startsWith("an IPv4-mapped address is no IPv6 interface address"));
    }

    @Test
    void subnetsOverlapWhenOneContainsTheOther() {
        Ipv6Subnet wide = Ipv6Subnet.parse("fd77::/48");
        assertTrue(wide.overlaps(Ipv6Subnet.parse("fd77:0:0:5::/64")));
        assertTrue(Ipv6Subnet.parse("fd77:0:0:5::/64").overlaps(wide));
        assertFalse(wide.overlaps(Ipv6Subnet.parse("fd77:1::/64")));
        assertTrue(Ipv6Subnet.parse("fd77::1:0/112").overlaps(Ipv6Subnet.parse("fd77::1:5/128")));
        assertFalse(Ipv6Subnet.parse("fd77::1:0/112").overlaps(Ipv6Subnet.parse("fd77::2:5/128")));
        assertTrue(Ipv6Subnet.parse("fd77:0:0:5::/64").contains(0xfd77_0000_0000_0005L, 42));
        assertEquals("host bits set in fd77::1/64; the network is fd77::/64",
                assertThrows(IllegalArgumentException.class, () -> Ipv6Subnet.parse("fd77::1/64")).getMessage());
        assertEquals(128, Ipv6Subnet.parse("fd77::1").prefixLength());
    }

    @Test
    void settingsWithAnIpv6AddressNeedTheIpv6MinimumMtuAndWithoutOneChangeNothing() {
        InterfaceAddress ipv4 = InterfaceAddress.parse("10.77.0.1/24");
        Ipv6InterfaceAddress ipv6 = Ipv6InterfaceAddress.parse("fd77::1/64");
        assertEquals("an interface with an IPv6 address needs an MTU of at least 1280 (RFC 8200 §5): 1279",
                assertThrows(IllegalArgumentException.class, () -> new InterfaceSettings(ipv4, 1279, ipv6)).getMessage());
        assertTrue(new InterfaceSettings(ipv4, 1280, ipv6).hasAddress6());
        assertFalse(new InterfaceSettings(ipv4, 576).hasAddress6(), "IPv4 only: nothing IPv6 is touched");
    }
}
