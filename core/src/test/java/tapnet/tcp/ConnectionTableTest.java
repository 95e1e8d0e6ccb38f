package tapnet.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tapnet.buffer.ChunkPool;

class ConnectionTableTest {
    private final ConnectionTable table = new ConnectionTable(256, new ChunkPool(4096, 16), 4096,
            id -> new RetransmissionTimeout(1, 1, 1), 99);

    @Test
    void findsByTheWholeFourTuple() {
        TcpConnection c = table.open(10, 80, 20, 40000);
        assertSame(c, table.find(10, 80, 20, 40000));
        assertNull(table.find(10, 80, 20, 40001));
        assertNull(table.find(10, 81, 20, 40000));
        assertNull(table.find(11, 80, 20, 40000));
        assertNull(table.find(10, 80, 21, 40000));
    }

    @Test
    void fullTableRefusesAndAReleasedSlotIsReused() {
        for (int i = 0; i < 256; i++) {
            assertNotNull(table.open(1, 80, 2, i));
        }
        assertNull(table.open(1, 80, 2, 9999));
        TcpConnection c = table.find(1, 80, 2, 17);
        table.release(c);
        assertNotNull(table.open(1, 80, 2, 9999));
        assertEquals(256, table.size());
    }

    @Test
    void agreesWithAHashMapUnderChurn() {
        Map<Long, TcpConnection> reference = new HashMap<>();
        Random random = new Random(5);
        for (int step = 0; step < 100_000; step++) {
            int port = random.nextInt(600);
            long key = port;
            TcpConnection found = table.find(7, 80, 8, port);
            assertSame(reference.get(key), found, "step " + step);
            if (found != null && random.nextBoolean()) {
                table.release(found);
                reference.remove(key);
            } else if (found == null && reference.size() < 256) {
                reference.put(key, table.open(7, 80, 8, port));
            }
        }
        assertEquals(reference.size(), table.size());
    }
}
