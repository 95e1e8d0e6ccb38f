package tapnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MacAddressTest {
    @Test
    void formatsAsTcpdumpPrintsIt() {
        assertEquals("02:00:0a:e7:00:01", MacAddress.format(CapturedFrames.MAC_A));
        assertEquals("ff:ff:ff:ff:ff:ff", MacAddress.format(MacAddress.BROADCAST));
        assertEquals("00:00:00:00:00:00", MacAddress.format(MacAddress.ZERO));
    }

    @Test
    void formatIgnoresBitsAboveTheLow48() {
        assertEquals("02:00:0a:e7:00:01", MacAddress.format(0xffff_0000_0000_0000L | CapturedFrames.MAC_A));
    }

    @Test
    void parsesColonsDashesAndEitherCase() {
        assertEquals(CapturedFrames.MAC_A, MacAddress.parse("02:00:0a:e7:00:01"));
        assertEquals(CapturedFrames.MAC_A, MacAddress.parse("02-00-0A-E7-00-01"));
        assertEquals(CapturedFrames.MAC_A, MacAddress.parse(" 2:0:a:e7:0:1 "));
        assertEquals(MacAddress.BROADCAST, MacAddress.parse("ff:ff:ff:ff:ff:ff"));
    }

    @Test
    void formatThenParseGivesTheSameAddress() {
        for (long mac : new long[] {0, 1, CapturedFrames.MAC_B, 0x8000_0000_0000L, MacAddress.BROADCAST, 0x0123_4567_89abL}) {
            assertEquals(mac, MacAddress.parse(MacAddress.format(mac)));
        }
    }

    @Test
    void addressReadFromACapturedFrameIsTheParsedOne() {
        EthernetFrame frame = new EthernetFrame().wrap(Hex.buffer(CapturedFrames.ARP_REQUEST), 0, 42);

        assertEquals(MacAddress.parse("02:00:0a:e7:00:01"), frame.source());
        assertEquals(MacAddress.BROADCAST, frame.destination());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "02:00:0a:e7:00", "02:00:0a:e7:00:01:02", "02:00:0a:e7:00:1g", "02:00:0a:e7:00:001",
        "02::0a:e7:00:01", "02:00:0a:e7:00:01:", "02:00:0a:e7:00:01::", ":02:00:0a:e7:00:01",
        "02:00:0a:e7:00:+1", "02:00:0a:e7:00:\uff11", "020000e70001",
    })
    void rejectsWhatIsNotSixHexBytes(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MacAddress.parse(text));

        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    @Test
    void groupAddressesHaveTheLowBitOfTheFirstOctetSet() {
        assertTrue(MacAddress.isGroup(MacAddress.BROADCAST));
        assertTrue(MacAddress.isGroup(MacAddress.parse("01:00:5e:00:00:01"))); // IPv4 multicast (RFC 1112)
        assertTrue(MacAddress.isGroup(MacAddress.parse("33:33:00:00:00:01"))); // IPv6 multicast
        assertFalse(MacAddress.isGroup(CapturedFrames.MAC_A));
        assertFalse(MacAddress.isGroup(MacAddress.parse("fe:ff:ff:ff:ff:ff")));
    }

    @Test
    void derivedAddressIsLocallyAdministeredUnicastEndingInTheIpv4Address() {
        long mac = MacAddress.derivedFrom(Ipv4Address.parse("10.231.0.1"));

        assertEquals("02:54:0a:e7:00:01", MacAddress.format(mac));
        assertFalse(MacAddress.isGroup(mac));
        assertEquals(0x02, (mac >>> 40) & 0x03, "U/L bit set, I/G bit clear");
        assertEquals("02:54:ff:ff:ff:ff", MacAddress.format(MacAddress.derivedFrom(0xffffffff)));
    }
}
