package tapnet.net;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import tapnet.net.FragmentReassembly.Result;
import tapnet.time.Deadline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The reassembly table alone, as any IP version uses it: keys of four ints (a 32-bit identification, as
 * IPv6's), byte offsets, the first fragment's headers kept in front of the payload, Linux's overlap rules,
 * its deadline. The IPv4 side is {@link Ipv4ReassemblyTest}.
 */
class FragmentReassemblyTest {
    private static final int SOURCE = 1;
    private static final int DESTINATION = 2;
    private static final int PROTOCOL = 17;
    private static final byte[] HEADERS = {9, 9, 9, 9, 9, 9, 9, 9, 9, 9};
    private final FragmentReassembly table = new FragmentReassembly();
    /** Ten bytes of headers, then 3,000 of payload: 0, 1, 2, ... */
    private final ByteBuffer datagram = ByteBuffer.allocate(HEADERS.length + 3000);

    FragmentReassemblyTest() {
        datagram.put(0, HEADERS);
        for (int i = 0; i < 3000; i++) {
            datagram.put(HEADERS.length + i, (byte) i);
        }
    }

    private Result add(int identification, int offset, int length, boolean more) {
        return table.add(SOURCE, DESTINATION, identification, PROTOCOL, datagram, 0, HEADERS.length,
                HEADERS.length + offset, offset, length, more, 65_535, 1_000);
    }

    @Test
    void theHeadersOfTheFirstFragmentAndThePayloadMakeTheDatagram() {
        assertEquals(Result.KEPT, add(0x8000_0001, 1000, 1000, true));
        assertEquals(Result.KEPT, add(0x8000_0001, 2000, 1000, false));
        assertEquals(Result.COMPLETE, add(0x8000_0001, 0, 1000, true));
        int slot = table.completed();
        assertEquals(HEADERS.length, table.headerLength(slot));
        assertEquals(3000, table.payloadLength(slot));
        byte[] made = new byte[HEADERS.length + 3000];
        table.buffer(slot).get(FragmentReassembly.HEADROOM - HEADERS.length, made);
        assertArrayEquals(Arrays.copyOf(datagram.array(), made.length), made);
        table.release(slot);
        assertEquals(0, table.inUse());
    }

    @Test
    void identificationsThatDifferInTheirHighBitsAreTwoDatagrams() {
        assertEquals(Result.KEPT, add(0x0001_0007, 0, 1000, true));
        assertEquals(Result.KEPT, add(0x0002_0007, 0, 1000, true));
        assertEquals(2, table.inUse());
    }

    @Test
    void aCopyIsADuplicateAndAPartialOverlapDropsTheDatagram() {
        add(5, 0, 1000, true);
        assertEquals(Result.DUPLICATE, add(5, 0, 1000, true));
        assertEquals(1, table.inUse());
        assertEquals(Result.OVERLAP, add(5, 992, 16, true));
        assertEquals(0, table.inUse());
    }

    @Test
    void aDatagramTimesOutThirtySecondsAfterItsFirstFragment() {
        add(6, 1000, 1000, true);
        assertEquals(1_000 + 30_000_000_000L, table.nextDeadline());
        assertEquals(-1, table.expired(30_000_000_999L));
        int slot = table.expired(30_000_001_000L);
        assertEquals(0, table.headerLength(slot), "its first fragment never came");
        table.release(slot);
        assertEquals(Deadline.NONE, table.nextDeadline());
    }
}
