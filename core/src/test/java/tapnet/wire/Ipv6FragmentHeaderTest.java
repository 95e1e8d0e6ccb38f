package tapnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class Ipv6FragmentHeaderTest {
    private final Ipv6FragmentHeader fragment = new Ipv6FragmentHeader();

    @Test
    void readsEveryFieldOfAFragmentHeader() {
        // RFC 8200 §4.5: next header UDP, reserved, offset 185 units (1480 bytes) with M set, id 0xcafe0001.
        ByteBuffer bytes = Hex.buffer("11 00 05c9 cafe0001");

        fragment.wrap(bytes, 0);

        assertEquals(17, fragment.nextHeader());
        assertEquals(1480, fragment.fragmentOffset());
        assertTrue(fragment.moreFragments());
        assertEquals(0xcafe0001, fragment.identification());
        assertFalse(fragment.isAtomic());
    }

    @Test
    void reservedBitsAreIgnoredOnReception() {
        // RFC 8200 §4.5: Reserved and Res "ignored on reception".
        fragment.wrap(Hex.buffer("3a ff 0006 00000007"), 0);

        assertEquals(0, fragment.fragmentOffset());
        assertFalse(fragment.moreFragments());
        assertTrue(fragment.isAtomic());
    }

    @Test
    void writesAFragmentHeaderByteForByteAtAnOffset() {
        ByteBuffer bytes = ByteBuffer.allocate(12);
        bytes.put(2, (byte) 0x55); // reserved byte must be written as zero

        fragment.wrap(bytes, 2).writeFragmentHeader(6, 2960, true, 0x01020304);

        assertEquals("0000" + "06" + "00" + "0b91" + "01020304" + "0000", Hex.of(bytes, 0, 12));
        assertEquals(2960, fragment.fragmentOffset());
        assertTrue(fragment.moreFragments());
    }

    @Test
    void writesTheLastFragmentWithoutM() {
        ByteBuffer bytes = ByteBuffer.allocate(8);

        fragment.wrap(bytes, 0).writeFragmentHeader(58, 65528, false, -1);

        assertEquals("3a00fff8ffffffff", Hex.of(bytes, 0, 8));
        assertFalse(fragment.moreFragments());
        assertEquals(-1, fragment.identification());
    }

    @Test
    void refusesAnOffsetThatIsNoMultipleOf8OrTooLarge() {
        fragment.wrap(ByteBuffer.allocate(8), 0);

        assertThrows(IllegalArgumentException.class, () -> fragment.writeFragmentHeader(17, 12, true, 1));
        assertThrows(IllegalArgumentException.class, () -> fragment.writeFragmentHeader(17, 65536, true, 1));
        assertThrows(IllegalArgumentException.class, () -> fragment.writeFragmentHeader(17, -8, true, 1));
    }
}
