package tapnet.node;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The host table: by index, address and name, and which hosts are stopped, for 100,000 hosts as for one. */
class HostTableTest {
    private static final int HOSTS = 100_000;
    private static final int FIRST = 0x0a62_0002; // 10.98.0.2

    private static HostTable table(int hosts) {
        HostTable table = new HostTable();
        for (int i = 0; i < hosts; i++) {
            table.add("h" + i, FIRST + i, 0x0254_0000_0000L + i);
        }
        return table;
    }

    @Test
    void everyHostIsFoundByIndexAddressAndName() {
        HostTable table = table(HOSTS);
        assertEquals(HOSTS, table.size());
        for (int i = 0; i < HOSTS; i++) {
            VirtualHost host = table.get(i);
            assertEquals(i, host.index());
            assertSame(host, table.byAddress(FIRST + i));
            assertSame(host, table.byName("h" + i));
        }
        assertNull(table.byAddress(FIRST + HOSTS));
        assertNull(table.byName("h" + HOSTS));
    }

    @Test
    void stoppingOneHostLeavesEveryOtherRunning() {
        HostTable table = table(HOSTS);
        table.setStopped(HOSTS - 1, true);
        table.setStopped(7, true);
        for (int i = 0; i < HOSTS; i++) {
            assertEquals(i == 7 || i == HOSTS - 1, table.isStopped(i), "host " + i);
        }
        table.setStopped(7, false);
        assertFalse(table.isStopped(table.get(7)));
        assertTrue(table.isStopped(table.get(HOSTS - 1)));
    }

    @Test
    void aTakenAddressIsRefused() {
        HostTable table = table(3);
        assertThrows(IllegalArgumentException.class, () -> table.add("again", FIRST + 1, 0x0200_0000_0099L));
        assertEquals(3, table.size());
    }
}
