package tapnet.topology.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every kind of mistake in a topology file is reported as {@code file:line:column: what is wrong;
 * expected ...}, at the line and column of the thing that is wrong. One test per kind of mistake.
 */
class TopologyErrorsTest {
    /** Three lines that every test below starts with; hosts begin on line 4. */
    private static final String HEAD = """
            name: shop
            tap: { address: 10.77.0.1/24 }
            hosts:
            """;

    // ------------------------------------------------------------------------------------------------
    // keys
    // ------------------------------------------------------------------------------------------------

    @Test
    void aMisspeltKeyOfAHostNamesTheKeysAHostHas() {
        assertErrors("""
                name: shop
                seed: 42
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web:
                    address: 10.77.0.10
                    adress: 10.77.0.11
                """,
                "shop.yaml:7:5: 'adress' is not a key of a host; expected one of: address, address6, mac, services");
    }

    @Test
    void anUnknownTopLevelKeyNamesTheTopLevelKeys() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.10 }
                host: {}
                """,
                "shop.yaml:5:1: 'host' is not a key of a topology; expected one of: name, seed, tap, tcp, routers, ports, hosts, links, dns, script, parts");
    }

    @Test
    void anUnknownKeyOfTheTapNamesTheTapsKeys() {
        assertErrors("""
                tap: { address: 10.77.0.1/24, netmask: 255.255.255.0 }
                hosts: { web: { address: 10.77.0.10 } }
                """,
                "shop.yaml:1:31: 'netmask' is not a key of tap; expected one of: device, address, address6, mtu, vxlan");
    }

    @Test
    void anUnknownTcpSettingNamesTheTcpSettings() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.10 }
                tcp: { time_wait: 2s }
                """,
                "shop.yaml:5:8: 'time_wait' is not a key of tcp; expected one of: maxConnections, buffer, bufferMemory,"
                        + " timeWait, initialRto, minRto, maxRto, synAckRetries, dataRetries, initialWindow, synRetries, synBacklog");
    }

    @Test
    void aLinkToAHostThatDoesNotExistIsReported() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.10 }
                links:
                  - { between: [tap, wbe], delay: 20ms }
                """,
                "shop.yaml:6:22: there is no host or router named 'wbe'; expected one of: tap, web");
    }

    @Test
    void aLinkDelayNeedsAUnit() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.10 }
                links:
                  - { between: [tap, web], delay: 20 }
                """,
                "shop.yaml:6:35: '20' is not a duration; write it with a unit, like 20ms or 1.5s");
    }

    @Test
    void handshakeInAHostSaysWhereHandshakeFaultsAreGiven() {
        assertErrors(HEAD + """
                  db:
                    address: 10.77.0.20
                    handshake: { synAckDelay: 200ms }
                """,
                "shop.yaml:6:5: 'handshake' is not a key of a host: handshake faults are given per service, in its faults:"
                        + " list, like services: [ { port: 80, http: {}, faults: [ { synAckDelay: 200ms } ] } ]; expected"
                        + " one of: address, address6, mac, services");
    }

    @Test
    void aKeyTwiceIsAnErrorThatPointsAtTheFirst() {
        assertErrors(HEAD + """
                  web:
                    address: 10.77.0.10
                    address: 10.77.0.11
                """,
                "shop.yaml:6:5: 'address' appears twice in a host (first on line 5); expected each key once");
    }

    @Test
    void aHostNameTwiceIsAnError() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.10 }
                  web: { address: 10.77.0.11 }
                """,
                "shop.yaml:5:3: 'web' appears twice in hosts (first on line 4); expected each key once");
    }

    @Test
    void aMergeKeyIsExplained() {
        assertErrors(HEAD + """
                  web: &web { address: 10.77.0.10 }
                  db: { <<: *web, address: 10.77.0.20 }
                """,
                "shop.yaml:5:9: '<<' (a merge key) is not part of YAML 1.2, which tapnet reads; expected one of: address,"
                        + " address6, mac, services (share whole mappings and lists with &anchor and *alias instead)");
    }

    @Test
    void aKeyThatIsNotTextIsAnError() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.10 }
                ? [a, b]
                : 1
                """,
                "shop.yaml:5:3: a list is not a key; expected a name in a topology");
    }

    // ------------------------------------------------------------------------------------------------
    // missing and empty
    // ------------------------------------------------------------------------------------------------

    @Test
    void aMissingTapIsReportedAtTheStartOfTheFile() {
        assertErrors("""
                name: shop
                hosts: { web: { address: 10.77.0.10 } }
                """,
                "shop.yaml:1:1: the topology has no 'tap'; expected the kernel's side of the TAP, like tap: { address: 10.77.0.1/24 }");
    }

    @Test
    void missingHostsAreReported() {
        assertErrors("""
                name: shop
                tap: { address: 10.77.0.1/24 }
                """,
                "shop.yaml:1:1: the topology has no 'hosts'; expected the virtual hosts, like hosts: { web: { address: 10.77.0.10 } }");
    }

    @Test
    void emptyHostsAreReported() {
        assertErrors(HEAD,
                "shop.yaml:3:1: 'hosts' is empty; expected at least one host in a mapping from host names to hosts,"
                        + " like hosts: { web: { address: 10.77.0.10 } }");
    }

    @Test
    void hostsAsAListAreReportedWithTheShapeExpected() {
        assertErrors("""
                tap: { address: 10.77.0.1/24 }
                hosts:
                  - name: web
                    address: 10.77.0.10
                """,
                "shop.yaml:3:3: 'hosts' is a list; expected a mapping from host names to hosts,"
                        + " like hosts: { web: { address: 10.77.0.10 } }");
    }

    @Test
    void aMissingAddressIsReportedAtTheHostsName() {
        assertErrors(HEAD + """
                  web:
                    services: []
                """,
                "shop.yaml:4:3: host 'web' has no 'address'; expected an IPv4 address in 10.77.0.0/24, like 10.77.0.2");
    }

    @Test
    void aHostThatIsNotAMappingIsReported() {
        assertErrors(HEAD + """
                  web: 10.77.0.10
                """,
                "shop.yaml:4:8: '10.77.0.10' is not a host; expected a mapping with keys from: address, address6, mac, services");
    }

    @Test
    void aKeyWithoutAValueIsReported() {
        assertErrors(HEAD + """
                  web:
                    address:
                """,
                "shop.yaml:5:13: 'address' has no value; expected an IPv4 address in 10.77.0.0/24, like 10.77.0.2");
    }

    @Test
    void aFileWithNothingInItIsReported() {
        assertErrors("# nothing yet\n",
                "shop.yaml:1:1: the file holds no topology; expected a mapping with keys from: name, seed, tap, tcp, routers, ports, hosts, links, dns, script, parts");
    }

    @Test
    void aFileThatIsAListIsReported() {
        assertErrors("- web\n- db\n",
                "shop.yaml:1:1: a list is not a topology; expected a mapping with keys from: name, seed, tap, tcp, routers, ports, hosts, links, dns, script, parts");
    }

    @Test
    void aSecondDocumentIsReported() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.10 }
                ---
                name: other
                """,
                "shop.yaml:6:1: a second YAML document starts here; expected one topology per file");
    }

    // ------------------------------------------------------------------------------------------------
    // names and numbers
    // ------------------------------------------------------------------------------------------------

    @Test
    void aHostNameWithSpacesIsReported() {
        assertErrors(HEAD + """
                  my web: { address: 10.77.0.10 }
                """,
                "shop.yaml:4:3: 'my web' is not a host name; expected 1 to 63 letters, digits, '-', '_' or '.',"
                        + " starting with a letter or digit, like web or db-1");
    }

    @Test
    void aHostCannotBeCalledTap() {
        assertErrors(HEAD + """
                  tap: { address: 10.77.0.10 }
                """,
                "shop.yaml:4:3: 'tap' is the name of the kernel's side of the TAP; expected another host name");
    }

    @Test
    void aTopologyNameOfTwoLinesIsReported() {
        assertErrors("""
                name: "shop\\nfloor"
                tap: { address: 10.77.0.1/24 }
                hosts: { web: { address: 10.77.0.10 } }
                """,
                // the line break is written as \n: every error stays on one line
                "shop.yaml:1:7: 'shop\\nfloor' is not a topology name; expected one line of 1 to 100 characters, like shop");
    }

    @Test
    void aSeedThatIsNotANumberIsReported() {
        assertErrors("""
                seed: lucky
                tap: { address: 10.77.0.1/24 }
                hosts: { web: { address: 10.77.0.10 } }
                """,
                "shop.yaml:1:7: 'lucky' is not a whole number; expected a seed like 42 (any 64-bit whole number)");
    }

    @Test
    void aSeedBeyondSixtyFourBitsIsReported() {
        assertErrors("""
                seed: 18446744073709551616
                tap: { address: 10.77.0.1/24 }
                hosts: { web: { address: 10.77.0.10 } }
                """,
                "shop.yaml:1:7: seed 18446744073709551616 is out of range; expected a seed like 42 (any 64-bit whole number)");
    }

    // ------------------------------------------------------------------------------------------------
    // the TAP
    // ------------------------------------------------------------------------------------------------

    @Test
    void aTapAddressWithoutPrefixLengthIsReported() {
        assertErrors("""
                tap: { address: 10.77.0.1 }
                hosts: { web: { address: 10.77.0.10 } }
                """,
                "shop.yaml:1:17: '10.77.0.1' has no prefix length; expected the kernel's address and the prefix length"
                        + " of the subnet routed into the TAP, like 10.77.0.1/24");
    }

    @Test
    void aPrefixLengthOver30IsReported() {
        assertErrors("""
                tap: { address: 10.77.0.1/31 }
                hosts: { web: { address: 10.77.0.0 } }
                """,
                "shop.yaml:1:17: prefix length /31 is out of range; expected a prefix length from 8 to 30, like 10.77.0.1/24");
    }

    @Test
    void aPrefixLengthUnder8IsReported() {
        assertErrors("""
                tap: { address: 10.77.0.1/7 }
                hosts: { web: { address: 10.77.0.10 } }
                """,
                "shop.yaml:1:17: prefix length /7 is out of range; expected a prefix length from 8 to 30, like 10.77.0.1/24");
    }

    @Test
    void aPrefixLengthThatIsNotANumberIsReported() {
        assertErrors("""
                tap: { address: 10.77.0.1/255.255.255.0 }
                hosts: { web: { address: 10.77.0.10 } }
                """,
                "shop.yaml:1:17: '/255.255.255.0' is not a prefix length; expected a prefix length from 8 to 30, like 10.77.0.1/24");
    }

    @Test
    void aTapAddressThatIsTheNetworkAddressIsReported() {
        assertErrors("""
                tap: { address: 10.77.0.0/24 }
                hosts: { web: { address: 10.77.0.10 } }
                """,
                "shop.yaml:1:17: 10.77.0.0 is the network address of 10.77.0.0/24; expected a host address of the subnet"
                        + " for the kernel's side, like 10.77.0.1/24");
    }

    @Test
    void aTapAddressThatIsTheBroadcastAddressIsReported() {
        assertErrors("""
                tap: { address: 10.77.0.255/24 }
                hosts: { web: { address: 10.77.0.10 } }
                """,
                "shop.yaml:1:17: 10.77.0.255 is the broadcast address of 10.77.0.0/24; expected a host address of the subnet"
                        + " for the kernel's side, like 10.77.0.1/24");
    }

    @Test
    void aLoopbackTapAddressIsReported() {
        assertErrors("""
                tap: { address: 127.0.0.1/8 }
                hosts: { web: { address: 127.0.0.2 } }
                """,
                "shop.yaml:1:17: 127.0.0.1 is a loopback address; expected a unicast address, like 10.77.0.1/24");
    }

    @Test
    void anMtuUnder576IsReported() {
        assertErrors("""
                tap: { address: 10.77.0.1/24, mtu: 500 }
                hosts: { web: { address: 10.77.0.10 } }
                """,
                "shop.yaml:1:36: mtu 500 is out of range; expected an MTU from 576 to 9000 bytes");
    }

    @Test
    void anMtuOver9000IsReported() {
        assertErrors("""
                tap: { address: 10.77.0.1/24, mtu: 9001 }
                hosts: { web: { address: 10.77.0.10 } }
                """,
                "shop.yaml:1:36: mtu 9001 is out of range; expected an MTU from 576 to 9000 bytes");
    }

    @Test
    void anMtuWithAUnitIsReported() {
        assertErrors("""
                tap: { address: 10.77.0.1/24, mtu: 1500B }
                hosts: { web: { address: 10.77.0.10 } }
                """,
                "shop.yaml:1:36: '1500B' is not a whole number; expected an MTU from 576 to 9000 bytes");
    }

    @Test
    void aDeviceNameLongerThanLinuxAllowsIsReported() {
        assertErrors("""
                tap: { device: tapnet-for-the-shop, address: 10.77.0.1/24 }
                hosts: { web: { address: 10.77.0.10 } }
                """,
                "shop.yaml:1:16: 'tapnet-for-the-shop' is not an interface name; expected 1 to 15 letters, digits,"
                        + " '-', '_' or '.', like tapnet0");
    }

    // ------------------------------------------------------------------------------------------------
    // addresses and MACs of hosts
    // ------------------------------------------------------------------------------------------------

    @Test
    void anAddressThatIsNotIpv4IsReported() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.300 }
                """,
                "shop.yaml:4:19: '10.77.0.300' is not an IPv4 address; expected four numbers from 0 to 255, like 10.77.0.10");
    }

    @Test
    void anAddressOutsideTheSubnetIsReported() {
        assertErrors(HEAD + """
                  web: { address: 10.78.0.10 }
                """,
                "shop.yaml:4:19: 10.78.0.10 is outside the TAP's subnet 10.77.0.0/24; expected an address from 10.77.0.2 to 10.77.0.254");
    }

    @Test
    void theKernelsOwnAddressIsNotAHostsAddress() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.1 }
                """,
                "shop.yaml:4:19: 10.77.0.1 is the kernel's side of the TAP (tap.address); expected an address from"
                        + " 10.77.0.2 to 10.77.0.254");
    }

    @Test
    void theNetworkAddressIsNotAHostsAddress() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.0 }
                """,
                "shop.yaml:4:19: 10.77.0.0 is the network address of 10.77.0.0/24; expected an address from 10.77.0.2 to 10.77.0.254");
    }

    @Test
    void theBroadcastAddressIsNotAHostsAddress() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.255 }
                """,
                "shop.yaml:4:19: 10.77.0.255 is the broadcast address of 10.77.0.0/24; expected an address from 10.77.0.2 to 10.77.0.254");
    }

    @Test
    void theRangeInTheMessageLeavesOutTheKernelsAddressWhereverItIs() {
        assertErrors("""
                tap: { address: 10.77.0.100/24 }
                hosts: { web: { address: 10.77.1.10 } }
                """,
                "shop.yaml:2:26: 10.77.1.10 is outside the TAP's subnet 10.77.0.0/24; expected an address from 10.77.0.1"
                        + " to 10.77.0.254 other than 10.77.0.100");
    }

    @Test
    void twoHostsWithOneAddressAreReportedAtTheSecond() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.10 }
                  db: { address: 10.77.0.10 }
                """,
                "shop.yaml:5:18: 10.77.0.10 is already the address of host 'web' (line 4); expected a unique address per host");
    }

    @Test
    void aMacThatIsNotAMacIsReported() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.10, mac: 02:00:00:00:10 }
                """,
                "shop.yaml:4:36: '02:00:00:00:10' is not a MAC address; expected six hex bytes like 02:00:00:00:00:10");
    }

    @Test
    void aMulticastMacIsReported() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.10, mac: 01:00:5e:00:00:01 }
                """,
                "shop.yaml:4:36: 01:00:5e:00:00:01 is a multicast MAC (the lowest bit of its first byte is set);"
                        + " expected a unicast MAC like 02:00:00:00:00:10");
    }

    @Test
    void theBroadcastMacIsReportedAsMulticast() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.10, mac: ff:ff:ff:ff:ff:ff }
                """,
                "shop.yaml:4:36: ff:ff:ff:ff:ff:ff is a multicast MAC (the lowest bit of its first byte is set);"
                        + " expected a unicast MAC like 02:00:00:00:00:10");
    }

    @Test
    void theZeroMacIsReported() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.10, mac: 00:00:00:00:00:00 }
                """,
                "shop.yaml:4:36: 00:00:00:00:00:00 is not a host's MAC; expected a unicast MAC like 02:00:00:00:00:10");
    }

    @Test
    void twoHostsWithOneMacAreReportedAtTheSecond() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.10, mac: 02:00:00:00:00:01 }
                  db: { address: 10.77.0.20, mac: 02:00:00:00:00:01 }
                """,
                "shop.yaml:5:35: 02:00:00:00:00:01, is already the MAC of host 'web' (line 4); expected a unique MAC per host");
    }

    @Test
    void aDerivedMacThatCollidesWithAChosenOneIsReportedAtTheAddress() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.10, mac: 02:54:0a:4d:00:14 }
                  db: { address: 10.77.0.20 }
                """,
                "shop.yaml:5:18: the MAC derived from this address, 02:54:0a:4d:00:14, is already the MAC of host 'web'"
                        + " (line 4); expected a unique MAC per host: give one of them a mac");
    }

    // ------------------------------------------------------------------------------------------------
    // services
    // ------------------------------------------------------------------------------------------------

    @Test
    void servicesThatAreNotAListAreReported() {
        assertErrors(HEAD + """
                  web:
                    address: 10.77.0.10
                    services: { port: 80, http: {} }
                """,
                "shop.yaml:6:15: 'services' is a mapping; expected a list of services, like [ { port: 80, http: {} }, { port: 7, echo: {} } ]");
    }

    @Test
    void portZeroIsReported() {
        assertErrors(service("{ port: 0, echo: {} }"),
                "shop.yaml:7:17: port 0 is out of range; expected a port number from 1 to 65535");
    }

    @Test
    void aPortOver65535IsReported() {
        assertErrors(service("{ port: 65536, echo: {} }"),
                "shop.yaml:7:17: port 65536 is out of range; expected a port number from 1 to 65535");
    }

    @Test
    void aPortThatIsAServiceNameIsReported() {
        assertErrors(service("{ port: http, http: {} }"),
                "shop.yaml:7:17: 'http' is not a whole number; expected a port number from 1 to 65535");
    }

    @Test
    void aServiceWithoutAPortIsReported() {
        assertErrors(service("{ echo: {} }"),
                "shop.yaml:7:9: this service has no 'port'; expected a port number from 1 to 65535");
    }

    @Test
    void aPortServedTwiceByOneHostIsReportedAtTheSecond() {
        assertErrors(HEAD + """
                  web:
                    address: 10.77.0.10
                    services:
                      - { port: 80, http: {} }
                      - { port: 80, echo: {} }
                """,
                "shop.yaml:8:17: port 80 is already served by this host (line 7); expected each port once per host");
    }

    @Test
    void aUdpPortServedTwiceIsReported() {
        assertErrors(HEAD + """
                  web:
                    address: 10.77.0.10
                    services:
                      - { port: 53, udpEcho: {} }
                      - { port: 53, udpDiscard: {} }
                """,
                "shop.yaml:8:17: UDP port 53 is already served by this host (line 7); expected each UDP port once per host");
    }

    @Test
    void tcpSettingsOnAUdpServiceAreReported() {
        assertErrors(HEAD + """
                  web:
                    address: 10.77.0.10
                    services:
                      - { port: 7, udpEcho: {}, nodelay: true }
                """,
                "shop.yaml:7:33: 'nodelay' is a TCP setting, and 'udpEcho' serves UDP; expected it on TCP services only");
    }

    @Test
    void onePortOnTwoHostsIsFine() throws Exception {
        TopologyLoader.parse("shop.yaml", HEAD + """
                  web: { address: 10.77.0.10, services: [ { port: 80, http: {} } ] }
                  db: { address: 10.77.0.20, services: [ { port: 80, http: {} } ] }
                """);
    }

    @Test
    void aServiceWithoutAKindIsReported() {
        assertErrors(service("{ port: 7 }"),
                "shop.yaml:7:9: this service has no kind; expected one of: echo, discard, sink, chargen, banner, http, udpEcho, udpDiscard");
    }

    @Test
    void aServiceWithTwoKindsIsReportedAtTheSecond() {
        assertErrors(service("{ port: 7, echo: {}, discard: {} }"),
                "shop.yaml:7:30: 'discard' is a second kind for this service, which is already 'echo'; expected one kind"
                        + " per service (give each its own entry and port)");
    }

    @Test
    void aMisspeltKindIsReportedOnce() {
        assertErrors(service("{ port: 7, ehco: {} }"),
                "shop.yaml:7:20: 'ehco' is not a key of a service; expected one of: port, echo, discard, sink, chargen, banner, http, udpEcho, udpDiscard, nodelay, faults");
    }

    @Test
    void anEchoServiceTakesNoSettings() {
        assertErrors(service("{ port: 7, echo: { delay: 1s } }"),
                "shop.yaml:7:28: 'delay' is not a key of an echo service; expected no keys");
    }

    @Test
    void anEchoServiceIsNotText() {
        assertErrors(service("{ port: 7, echo: yes }"),
                "shop.yaml:7:26: 'yes' is not an echo service; expected a mapping with no keys, like {}");
    }

    @Test
    void aBannerWithoutTextIsReported() {
        assertErrors(service("{ port: 25, banner: { close: true } }"),
                "shop.yaml:7:21: this banner service has no 'text'; expected the text to send, like \"220 ready\\r\\n\"");
    }

    @Test
    void aBannerCloseThatIsNotTrueOrFalseIsReported() {
        assertErrors(service("{ port: 25, banner: { text: hi, close: yes } }"),
                "shop.yaml:7:48: 'yes' is not true or false; expected true or false");
    }

    @Test
    void anHttpStatusOutOfRangeIsReported() {
        assertErrors(service("{ port: 80, http: { status: 99 } }"),
                "shop.yaml:7:37: status 99 is out of range; expected an HTTP status from 200 to 599, like 200 or 404");
    }

    @Test
    void anHttpBodyThatIsAListIsReported() {
        assertErrors(service("{ port: 80, http: { body: [a, b] } }"),
                "shop.yaml:7:35: 'body' is a list; expected the response's text, like \"hello\\n\" (write \"\" for an empty body)");
    }

    @Test
    void anHttpContentTypeWithALineBreakIsReported() {
        assertErrors(service("{ port: 80, http: { contentType: \"text/plain\\r\\nX-Evil: 1\" } }"),
                "shop.yaml:7:42: the content type holds a line break, a control or a non-ASCII character;"
                        + " expected a media type like text/plain or application/json");
    }

    // ------------------------------------------------------------------------------------------------
    // tcp
    // ------------------------------------------------------------------------------------------------

    @Test
    void aDurationWithoutAUnitSaysToAddOne() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.10 }
                tcp:
                  maxConnections: 1000
                  buffer: 64KiB
                  timeWait:        20
                """,
                "shop.yaml:8:20: '20' is not a duration; write it with a unit, like 20ms or 1.5s");
    }

    @Test
    void aSizeWithAnAmbiguousUnitIsReported() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.10 }
                tcp: { buffer: 64KB }
                """,
                "shop.yaml:5:16: '64KB' is not a size: 'KB' is not a unit of size; expected a number of bytes, or a number"
                        + " and a unit (B, KiB, MiB, GiB or TiB; 1KiB is 1024 bytes), like 1500 or 64KiB");
    }

    @Test
    void aBufferOutOfRangeIsReported() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.10 }
                tcp: { buffer: 100 }
                """,
                "shop.yaml:5:16: buffer 100 is out of range; expected 1KiB to 64MiB");
    }

    @Test
    void zeroConnectionsAreReported() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.10 }
                tcp: { maxConnections: 0 }
                """,
                "shop.yaml:5:24: maxConnections 0 is out of range; expected a whole number from 1 to 4194304");
    }

    @Test
    void bufferMemorySmallerThanOneBufferIsReported() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.10 }
                tcp: { buffer: 64KiB, bufferMemory: 32KiB }
                """,
                "shop.yaml:5:37: bufferMemory 32KiB is less than one buffer (64KiB); expected bufferMemory at least buffer");
    }

    @Test
    void aMinimumRtoAboveTheMaximumIsReported() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.10 }
                tcp: { minRto: 2s, maxRto: 1s }
                """,
                "shop.yaml:5:16: minRto 2s is more than maxRto 1s; expected minRto <= initialRto <= maxRto");
    }

    @Test
    void anInitialRtoBelowTheMinimumIsReported() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.10 }
                tcp: { initialRto: 100ms }
                """,
                "shop.yaml:5:20: initialRto 100ms is outside [minRto 1s, maxRto 1m]; expected minRto <= initialRto <= maxRto");
    }

    @Test
    void aTimeWaitOverTenMinutesIsReported() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.10 }
                tcp: { timeWait: 1h }
                """,
                "shop.yaml:5:18: timeWait 1h is out of range; expected 0s to 10m");
    }

    // ------------------------------------------------------------------------------------------------
    // YAML itself, and files
    // ------------------------------------------------------------------------------------------------

    @Test
    void aYamlSyntaxErrorHasItsPosition() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.10
                  db: { address: 10.77.0.20 }
                """,
                "shop.yaml:5:5: invalid YAML: expected ',' or '}', but got : (while parsing a flow mapping that starts"
                        + " at line 4, column 8)");
    }

    @Test
    void aColonInAPlainValueIsExplained() {
        assertErrors("""
                name: shop: the shop
                """,
                "shop.yaml:1:11: invalid YAML: mapping values are not allowed here; expected one key per line, or a value"
                        + " with ': ' in it written in quotes");
    }

    @Test
    void badIndentationIsExplained() {
        assertErrors(HEAD + """
                  web:
                    address: 10.77.0.10
                   services: []
                """,
                "shop.yaml:6:4: invalid YAML: expected <block end>, but found '<block mapping start>' (while parsing a"
                        + " block mapping that starts at line 4, column 3); expected the keys of a mapping to line up:"
                        + " check the indentation");
    }

    @Test
    void aTabInIndentationIsReported() {
        assertErrors(HEAD + "  web:\n\taddress: 10.77.0.10\n",
                "shop.yaml:5:1: invalid YAML: found character '\\t(TAB)' that cannot start any token. (Do not use \\t(TAB)"
                        + " for indentation) (while scanning for the next token)");
    }

    @Test
    void anUnquotedComparisonIsReportedWithTheHintToQuoteIt() {
        String head = """
                tap: { address: 10.77.0.1/24 }
                hosts: { web: { address: 10.77.0.10, services: [ { port: 80, http: {} } ] } }
                script:
                  duration: 10s
                  probes: { w: { connect: 10.77.0.10:80 } }
                  expect:
                """;
        String hint = "; a value that starts with > or | begins a block of text in YAML: write a comparison in quotes,"
                + " like \">= 1\" or \"> 5mbit\"";
        assertErrors(head + "    - probe: w\n      success: >= 99%\n",
                "shop.yaml:8:17: invalid YAML: expected chomping or indentation indicators, but found =(61) (while"
                        + " scanning a block scalar that starts at line 8, column 16)" + hint);
        assertErrors(head + "    - probe: w\n      success: > 99%\n",
                "shop.yaml:8:18: invalid YAML: expected a comment or a line break, but found 9(57) (while scanning a"
                        + " block scalar that starts at line 8, column 16)" + hint);
        assertErrors(head + "    - { probe: w, success: >= 99% }\n",
                "shop.yaml:7:28: invalid YAML: found character '>' that cannot start any token. (Do not use > for"
                        + " indentation) (while scanning for the next token)" + hint);
    }

    @Test
    void aValueWithALineBreakIsQuotedOnOneLine() {
        assertErrors("""
                tap: { address: "10.77.0.1/24\\r\\nx" }
                hosts: { web: { address: 10.77.0.10, services: [ { port: 80, banner: { text: "a\\nb", close: "yes\\u2028no" } } ] } }
                """,
                "shop.yaml:1:17: '/24\\r\\nx' is not a prefix length; expected a prefix length from 8 to 30, like 10.77.0.1/24",
                "shop.yaml:2:93: 'yes\\u2028no' is not true or false; expected true or false");
    }

    @Test
    void anUnknownAliasIsReported() {
        assertErrors(HEAD + """
                  web: { address: 10.77.0.10, services: *web }
                """,
                "shop.yaml:4:41: invalid YAML: found undefined alias web");
    }

    @Test
    void aControlCharacterIsReportedWhereItIs() {
        assertErrors("name: sh\u0001op\n",
                "shop.yaml:1:9: character U+0001 is not allowed in YAML; expected printable text"
                        + " (write control characters with escapes like \\t inside double quotes)");
    }

    @Test
    void aFileThatIsNotUtf8IsReportedAtTheBadByte() throws Exception {
        TopologyException e = assertThrows(TopologyException.class,
                () -> TopologyLoader.load(Path.of("src/test/resources/topology/latin1.yaml")));
        assertEquals(List.of("src/test/resources/topology/latin1.yaml:3:13: byte 0xE9 is not UTF-8; expected a text file in UTF-8"),
                messages(e));
    }

    @Test
    void errorsNameTheFileAsItWasGiven() throws Exception {
        TopologyException e = assertThrows(TopologyException.class,
                () -> TopologyLoader.load(Path.of("src/test/resources/topology/misspelt-key.yaml")));
        assertEquals(List.of(
                "src/test/resources/topology/misspelt-key.yaml:8:3: host 'db' has no 'address'; expected an IPv4 address"
                        + " in 10.77.0.0/24, like 10.77.0.2",
                "src/test/resources/topology/misspelt-key.yaml:9:5: 'adress' is not a key of a host;"
                        + " expected one of: address, address6, mac, services"), messages(e));
        TopologyError error = e.errors().get(1);
        assertEquals(new TopologyError("src/test/resources/topology/misspelt-key.yaml", 9, 5,
                "'adress' is not a key of a host; expected one of: address, address6, mac, services"), error);
    }

    @Test
    void manyErrorsAreReportedAtOnceInTheOrderOfTheFile() throws Exception {
        TopologyException e = assertThrows(TopologyException.class,
                () -> TopologyLoader.load(Path.of("src/test/resources/topology/many-errors.yaml")));
        String file = "src/test/resources/topology/many-errors.yaml";
        assertEquals(List.of(
                file + ":4:36: mtu 100 is out of range; expected an MTU from 576 to 9000 bytes",
                file + ":5:18: '20' is not a duration; write it with a unit, like 20ms or 1.5s",
                file + ":9:5: 'adress' is not a key of a host; expected one of: address, address6, mac, services",
                file + ":11:37: status 700 is out of range; expected an HTTP status from 200 to 599, like 200 or 404",
                file + ":12:17: port 80 is already served by this host (line 11); expected each port once per host",
                file + ":14:14: 10.78.0.20 is outside the TAP's subnet 10.77.0.0/24; expected an address from 10.77.0.2 to 10.77.0.254",
                file + ":15:10: 03:00:00:00:00:01 is a multicast MAC (the lowest bit of its first byte is set);"
                        + " expected a unicast MAC like 02:00:00:00:00:10",
                file + ":17:9: a list is not a script; expected a mapping with keys from: duration, probes, events,"
                        + " expect, capture"),
                messages(e));
        assertEquals(String.join("\n", messages(e)), e.getMessage());
    }

    private static String service(String entry) {
        return HEAD + """
                  web:
                    address: 10.77.0.10
                    services:
                      - %s
                """.formatted(entry);
    }

    @Test
    void aFaultNeedsExactlyOneKnownKind() {
        assertErrors("""
                tap: { address: 10.77.0.1/24 }
                hosts:
                  a:
                    address: 10.77.0.2
                    services:
                      - { port: 80, http: {}, faults: [ { refuze: {} } ] }
                """, "shop.yaml:6:43: 'refuze' is not a key of a fault; expected one of: synDrop, refuse, unreachable,"
                + " synAckDrop, synAckDelay, ackDrop, resetAfter, resetAfterSent, stall, window, halfOpen, slowClose, corruptAt, first, probability");
    }

    @Test
    void aFaultProbabilityNeedsAPercentSign() {
        assertErrors("""
                tap: { address: 10.77.0.1/24 }
                hosts:
                  a:
                    address: 10.77.0.2
                    services:
                      - { port: 80, http: {}, faults: [ { refuse: {}, probability: 0.5 } ] }
                """, "shop.yaml:6:68: '0.5' is not a percentage; write it with %, like 10% or 0.5%");
    }

    private static void assertErrors(String text, String... expected) {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.parse("shop.yaml", text));
        assertEquals(List.of(expected), messages(e));
    }

    private static List<String> messages(TopologyException e) {
        return e.errors().stream().map(TopologyError::toString).toList();
    }
}
