package tapnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4AddressTest {
    @Test
    void intIsTheAddressInNetworkOrder() {
        assertEquals(0x0ae70001, Ipv4Address.parse("10.231.0.1"));
        ByteBuffer frame = Hex.buffer(CapturedFrames.TCP_SYN);

        assertEquals(Ipv4Address.parse("10.231.0.1"), frame.getInt(26));
        assertEquals(Ipv4Address.parse("10.231.0.2"), frame.getInt(30));
    }

    @Test
    void addressesFromHalfTheSpaceOnAreNegativeIntsAndFormatUnsigned() {
        int address = Ipv4Address.parse("192.168.1.200");

        assertEquals(0xc0a801c8, address);
        assertTrue(address < 0);
        assertEquals(0xc0a8_01c8L, Integer.toUnsignedLong(address));
        assertEquals("192.168.1.200", Ipv4Address.format(address));
        assertEquals("255.255.255.255", Ipv4Address.format(Ipv4Address.BROADCAST));
        assertEquals("128.0.0.0", Ipv4Address.format(Integer.MIN_VALUE));
        assertEquals("0.0.0.0", Ipv4Address.format(0));
    }

    @Test
    void formatThenParseGivesTheSameAddress() {
        for (int address : new int[] {0, 1, CapturedFrames.IP_A, 0x7fffffff, 0x80000000, 0xe0000001, -1}) {
            assertEquals(address, Ipv4Address.parse(Ipv4Address.format(address)));
        }
    }

    @Test
    void parseTrimsSurroundingSpace() {
        assertEquals(CapturedFrames.IP_B, Ipv4Address.parse(" 10.231.0.2\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "10.231.0", "10.231.0.1.2", "10.231.0.256", "10.231.-0.1", "-1.231.0.1", "a.b.c.d", "10..0.1",
        "10.231.0.1.", ".10.231.0.1", "10.231.0.0001", "10.231.0.1 2", "+10.231.0.1", "10.231.0.+1", "10.231.0.\u0661",
        "10.231.0.\uff11",
    })
    void rejectsWhatIsNotFourDecimalNumbersUpTo255(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse(text));

        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    @Test
    void maskOfAPrefixLength() {
        assertEquals(0, Ipv4Address.mask(0));
        assertEquals(0x80000000, Ipv4Address.mask(1));
        assertEquals(0xff000000, Ipv4Address.mask(8));
        assertEquals(0xffffff00, Ipv4Address.mask(24));
        assertEquals(0xffffffff, Ipv4Address.mask(32));
        assertEquals(CapturedFrames.IP_A & Ipv4Address.mask(24), CapturedFrames.IP_B & Ipv4Address.mask(24));
    }

    @Test
    void multicastIsExactly224To239() {
        // RFC 5771: 224.0.0.0/4.
        assertTrue(Ipv4Address.isMulticast(Ipv4Address.parse("224.0.0.1")));
        assertTrue(Ipv4Address.isMulticast(Ipv4Address.parse("239.255.255.255")));
        assertFalse(Ipv4Address.isMulticast(Ipv4Address.parse("223.255.255.255")));
        assertFalse(Ipv4Address.isMulticast(Ipv4Address.parse("240.0.0.0")));
        assertFalse(Ipv4Address.isMulticast(Ipv4Address.BROADCAST));
        assertFalse(Ipv4Address.isMulticast(CapturedFrames.IP_A));
    }
}
