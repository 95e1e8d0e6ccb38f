package tapnet.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * What a {@link DatagramBatch} takes before it must be sent: what one sendmsg(2) under UDP_SEGMENT can carry
 * (datagrams of the first one's size, the last one shorter or not, at most 64 of them and 65,507 bytes), and
 * one datagram only when it does not segment. No system call here: the sends are in VxlanRemoteSinkTest.
 */
class DatagramBatchTest {
    @Test
    void datagramsOfTheFirstOnesSizeThenAShorterLastOne() {
        DatagramBatch batch = new DatagramBatch(true);
        assertEquals(0, batch.place(1000));
        assertEquals(1000, batch.place(1000));
        assertEquals(-1, batch.place(1001), "a larger one is no segment of this batch");
        assertEquals(2000, batch.place(300));
        assertEquals(-1, batch.place(300), "nothing after a shorter one: the kernel cuts every segment but the last full");
        assertEquals(3, batch.count());
        assertEquals(2300, batch.bytes());

        batch.clear();
        assertEquals(0, batch.place(1001), "empty again");
    }

    @Test
    void atMost64Datagrams() {
        DatagramBatch batch = new DatagramBatch(true);
        for (int i = 0; i < DatagramBatch.MAX_SEGMENTS; i++) {
            assertEquals(i * 100, batch.place(100));
        }
        assertEquals(-1, batch.place(100));
        assertEquals(64, batch.count());
    }

    @Test
    void atMostOneUdpPayloadOfBytes() {
        DatagramBatch batch = new DatagramBatch(true);
        for (int i = 0; i < 43; i++) {
            batch.place(1522);
        }
        assertEquals(65_446, batch.bytes());
        assertEquals(-1, batch.place(1522), "65,507 bytes at most");
        assertEquals(65_446, batch.place(61), "what still fits, as the last");
    }

    @Test
    void oneDatagramEachWhenItDoesNotSegment() {
        DatagramBatch batch = new DatagramBatch(false);
        assertEquals(0, batch.place(100));
        assertEquals(-1, batch.place(100));
        assertEquals(1, batch.count());
    }
}
