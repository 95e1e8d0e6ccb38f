package tapnet.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteRingTest {
    private final ChunkPool pool = new ChunkPool(16, 100);

    private static byte[] bytes(int from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    @Test
    void emptyRingHoldsNoChunk() {
        ByteRing ring = new ByteRing(pool, 64);
        assertEquals(0, ring.chunksHeld());
        assertEquals(64, ring.free());
        assertEquals(0, pool.inUse());
    }

    @Test
    void chunksAreTakenAsBytesArriveAndGivenBackAsTheyLeave() {
        ByteRing ring = new ByteRing(pool, 64);
        ring.write(bytes(0, 20), 0, 20);
        assertEquals(2, ring.chunksHeld());
        ring.discard(16);
        assertEquals(1, ring.chunksHeld(), "the first chunk is empty now");
        ring.discard(4);
        assertEquals(0, ring.chunksHeld());
        assertEquals(0, pool.inUse());
    }

    @Test
    void bytesComeOutInOrderAcrossTheWrap() {
        ByteRing ring = new ByteRing(pool, 64);
        Random random = new Random(1);
        int written = 0;
        int read = 0;
        for (int round = 0; round < 1000; round++) {
            int n = random.nextInt(40);
            written += ring.write(bytes(written, n), 0, Math.min(n, ring.free()));
            int m = random.nextInt(40);
            int take = Math.min(m, ring.size());
            byte[] out = new byte[take];
            ring.copyTo(0, out, 0, take);
            assertArrayEquals(bytes(read, take), out);
            read += ring.discard(take);
        }
    }

    @Test
    void tailWrappedIntoTheHeadsChunkKeepsThatChunk() {
        ByteRing ring = new ByteRing(pool, 64);
        ring.write(bytes(0, 60), 0, 60);
        ring.discard(10);
        ring.write(bytes(60, 10), 0, 10); // wraps into slot 0, where the head still is
        ring.discard(6); // the head leaves slot 0, but bytes 64..69 live there now
        byte[] out = new byte[54];
        ring.copyTo(0, out, 0, 54);
        assertArrayEquals(bytes(16, 54), out);
    }

    @Test
    void exhaustedPoolClosesTheWindowInsteadOfFailing() {
        ChunkPool small = new ChunkPool(16, 2);
        ByteRing a = new ByteRing(small, 64);
        ByteRing b = new ByteRing(small, 64);
        assertEquals(32, a.write(bytes(0, 40), 0, 40));
        assertEquals(0, b.free());
        assertEquals(0, b.write(bytes(0, 1), 0, 1));
        a.discard(32);
        assertEquals(32, b.free(), "the pool's two chunks are free again");
    }

    @Test
    void moveToAppendsToTheTargetAndConsumesTheSource() {
        ByteRing a = new ByteRing(pool, 64);
        ByteRing b = new ByteRing(pool, 64);
        a.write(bytes(0, 50), 0, 50);
        assertEquals(50, a.moveTo(b, 100));
        byte[] out = new byte[50];
        b.copyTo(0, out, 0, 50);
        assertArrayEquals(bytes(0, 50), out);
        assertEquals(0, a.size());
        assertEquals(Arrays.toString(new int[] {0}), Arrays.toString(new int[] {a.chunksHeld()}));
    }
}
