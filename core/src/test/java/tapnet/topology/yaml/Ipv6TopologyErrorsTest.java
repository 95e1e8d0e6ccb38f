package tapnet.topology.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.topology.Topology;

/**
 * Mistakes in {@code tap.address6} and hosts' {@code address6}, each reported as
 * {@code file:line:column: what is wrong; expected ...} at the value that is wrong. One test per mistake.
 */
class Ipv6TopologyErrorsTest {
    /** A TAP with both families; hosts begin on line 3, their address6 at column 41. */
    private static final String HEAD = """
            tap: { address: 10.77.0.1/24, address6: fd77::1/64 }
            hosts:
            """;

    /** A TAP whose address6 is {@code value} (at line 1, column 41), and one host without IPv6. */
    private static String tap6(String value) {
        return "tap: { address: 10.77.0.1/24, address6: " + value + " }\nhosts: { web: { address: 10.77.0.10 } }\n";
    }

    /** The head and a host web whose address6 is {@code value} (at line 3, column 41). */
    private static String host6(String value) {
        return HEAD + "  web: { address: 10.77.0.10, address6: " + value + " }\n";
    }

    // ---- tap.address6 ----

    @Test
    void aTapAddress6WithoutPrefixLengthAsksForOne() {
        assertErrors(tap6("fd77::1"),
                "shop.yaml:1:41: 'fd77::1' has no prefix length; expected an IPv6 address and prefix length, like fd77::1/64");
    }

    @Test
    void aTapAddress6ThatIsNoAddressSaysWhatAnAddressLooksLike() {
        assertErrors(tap6("fd77::zz/64"),
                "shop.yaml:1:41: 'fd77::zz' is not an IPv6 address; expected eight groups of hex digits, :: for zeros, like fd77::1/64");
    }

    @Test
    void aTapPrefixLengthOutOfRangeIsRefused() {
        assertErrors(tap6("fd77::1/127"),
                "shop.yaml:1:41: '/127' is not a prefix length for a subnet; expected 16 to 126, like fd77::1/64");
        assertErrors(tap6("fd77::1/8"),
                "shop.yaml:1:41: '/8' is not a prefix length for a subnet; expected 16 to 126, like fd77::1/64");
        assertErrors(tap6("fd77::1/x"),
                "shop.yaml:1:41: '/x' is not a prefix length for a subnet; expected 16 to 126, like fd77::1/64");
    }

    @Test
    void aLinkLocalTapAddressIsRefused() {
        assertErrors(tap6("fe80::1/64"), "shop.yaml:1:41: fe80::1 is a link-local address (every node has one made from its MAC"
                + " already); expected a unicast address, like fd77::1/64");
    }

    @Test
    void aMulticastTapAddressIsRefused() {
        assertErrors(tap6("ff02::1/64"),
                "shop.yaml:1:41: ff02::1 is a multicast address; expected a unicast address, like fd77::1/64");
    }

    @Test
    void theUnspecifiedTapAddressIsRefused() {
        assertErrors(tap6("'::/64'"),
                "shop.yaml:1:41: :: is the unspecified or loopback address; expected a unicast address, like fd77::1/64");
    }

    @Test
    void theSubnetRouterAnycastAddressIsNotTheKernels() {
        assertErrors(tap6("'fd77::/64'"), "shop.yaml:1:41: fd77:: is the Subnet-Router anycast address of fd77::/64"
                + " (RFC 4291 §2.6.1); expected an address of the prefix for the kernel's side, like fd77::1/64");
    }

    @Test
    void aTapAddress6ThatIsAListIsRefused() {
        assertErrors(tap6("[fd77::1/64]"),
                "shop.yaml:1:41: 'address6' is a list; expected an IPv6 address and prefix length, like fd77::1/64");
    }

    @Test
    void aTapMtuBelowIpv6sMinimumIsRefusedWithAddress6() {
        assertErrors("tap: { address: 10.77.0.1/24, address6: fd77::1/64, mtu: 1000 }\nhosts: { web: { address: 10.77.0.10 } }\n",
                "shop.yaml:1:58: mtu 1000 is below IPv6's minimum; expected at least 1280 with address6 (RFC 8200 §5)");
    }

    // ---- hosts' address6 ----

    @Test
    void aHostAddress6ThatIsNoAddressSaysWhatAnAddressLooksLike() {
        assertErrors(host6("fd77::1::2"), "shop.yaml:3:41: 'fd77::1::2' is not an IPv6 address; expected eight groups of hex"
                + " digits, :: for zeros, like fd77::10");
        assertErrors(host6("10.77.0.10"), "shop.yaml:3:41: '10.77.0.10' is not an IPv6 address; expected eight groups of hex"
                + " digits, :: for zeros, like fd77::10");
        assertErrors(host6("fd77:10000::1"), "shop.yaml:3:41: 'fd77:10000::1' is not an IPv6 address; expected eight groups"
                + " of hex digits, :: for zeros, like fd77::10");
        assertErrors(host6("''"), "shop.yaml:3:41: '' is not an IPv6 address; expected eight groups of hex"
                + " digits, :: for zeros, like fd77::10");
    }

    @Test
    void aHostAddress6WithAPrefixLengthIsNoAddress() {
        assertErrors(host6("fd77::10/64"), "shop.yaml:3:41: 'fd77::10/64' is not an IPv6 address; expected eight groups of"
                + " hex digits, :: for zeros, like fd77::10");
    }

    @Test
    void aHostAddress6OutsideTheTapsPrefixIsRefused() {
        assertErrors(host6("fd78::10"),
                "shop.yaml:3:41: fd78::10 is not in its segment's IPv6 prefix fd77::/64; expected an address like fd77::10");
    }

    @Test
    void aLinkLocalHostAddress6IsRefused() {
        assertErrors(host6("fe80::10"), "shop.yaml:3:41: fe80::10 is a link-local address (every node has one made from its"
                + " MAC already); expected a unicast address, like fd77::10");
    }

    @Test
    void aMulticastHostAddress6IsRefused() {
        assertErrors(host6("ff02::10"),
                "shop.yaml:3:41: ff02::10 is a multicast address; expected a unicast address, like fd77::10");
    }

    @Test
    void theKernelsAddressIsNoHosts() {
        assertErrors(host6("fd77::1"),
                "shop.yaml:3:41: fd77::1 is the address of the kernel's or router's side of the segment; expected another, like fd77::10");
    }

    @Test
    void theSubnetRouterAnycastAddressIsNoHosts() {
        assertErrors(host6("'fd77::'"), "shop.yaml:3:41: fd77:: is the Subnet-Router anycast address of fd77::/64"
                + " (RFC 4291 §2.6.1); expected a host's address, like fd77::10");
    }

    @Test
    void twoHostsWithOneAddress6SpelledDifferentlyAreCaught() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.10, address6: fd77::10 }
                  db: { address: 10.77.0.20, address6: FD77:0:0:0:0:0:0:10 }
                """,
                "shop.yaml:4:40: fd77::10 is already the IPv6 address of host 'web' (line 3); expected a unique address per host");
    }

    @Test
    void aHostAddress6WithoutTapAddress6AsksForTheTapsFirst() {
        assertErrors("""
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web: { address: 10.77.0.10, address6: fd77::10 }
                """,
                "shop.yaml:3:41: the host's segment has no IPv6 prefix; give it one first, like tap: { address6: fd77::1/64 }"
                        + " (or, behind a router, the router's subnet6)");
    }

    @Test
    void everyWrongAddress6IsReportedAtOnce() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.10, address6: fd78::10 }
                  db: { address: 10.77.0.20, address6: fe80::20 }
                """,
                "shop.yaml:3:41: fd78::10 is not in its segment's IPv6 prefix fd77::/64; expected an address like fd77::10",
                "shop.yaml:4:40: fe80::20 is a link-local address (every node has one made from its MAC already); expected a"
                        + " unicast address, like fd77::10");
    }

    @Test
    void aListOfAddressesIsReadInOrderAndEachIsChecked() throws TopologyException {
        Topology t = TopologyLoader.parse("shop.yaml", HEAD + """
                  web: { address: 10.77.0.10, address6: [fd77::10, fd77::11] }
                """);
        assertEquals("[fd77::10, fd77::11]", t.hosts().get(0).addresses6().toString());
        assertEquals("fd77::10", t.hosts().get(0).address6().toString(), "the first is the one it sends from");
        assertErrors(host6("[fd77::10, fd78::11, fd77::10]"),
                "shop.yaml:3:52: fd78::11 is not in its segment's IPv6 prefix fd77::/64; expected an address like fd77::10",
                "shop.yaml:3:62: fd77::10 is already the IPv6 address of host 'web' (line 3); expected a unique address per host");
        assertErrors(host6("[]"), "shop.yaml:3:41: an empty list of IPv6 addresses; expected one address or a list, like"
                + " address6: fd77::10");
    }

    @Test
    void rightAddressesAreRead() throws TopologyException {
        Topology t = TopologyLoader.parse("shop.yaml", HEAD + """
                  web: { address: 10.77.0.10, address6: 'FD77::A' }
                  db: { address: 10.77.0.20 }
                """);
        assertEquals("fd77::1/64", t.tap().address6().toString());
        assertEquals("fd77::a", t.hosts().get(0).address6().toString());
        assertEquals(null, t.hosts().get(1).address6());
    }

    private static void assertErrors(String text, String... expected) {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.parse("shop.yaml", text));
        assertEquals(List.of(expected), e.errors().stream().map(TopologyError::toString).toList());
    }
}
