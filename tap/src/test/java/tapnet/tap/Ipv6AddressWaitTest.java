package tapnet.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which addresses in /proc/net/if_inet6 text keep a device from being usable, and which are errors. */
class Ipv6AddressWaitTest {
    private static final Ipv6InterfaceAddress WANTED = Ipv6InterfaceAddress.parse("fd77:241:80::1/64");
    private static final String LOOPBACK = "00000000000000000000000000000001 01 80 10 80       lo";

    @Test
    void theAddressJustAddedIsPendingWhileTentativeEvenWithDadOff() throws Exception {
        // flags c0: permanent and tentative, what SIOCSIFADDR leaves until the kernel's addrconf worker runs
        assertEquals("fd77:241:80::1", Ipv6AddressWait.pending("tapnet0", WANTED, List.of(LOOPBACK,
                "fd770241008000000000000000000001 05 40 00 c0  tapnet0",
                "fe80000000000000a8bbccfffedd0001 05 40 20 80  tapnet0")));
    }

    @Test
    void aTentativeLinkLocalAddressIsPendingToo() throws Exception {
        assertEquals("fe80::a8bb:ccff:fedd:1", Ipv6AddressWait.pending("tapnet0", WANTED, List.of(
                "fd770241008000000000000000000001 05 40 00 80  tapnet0",
                "fe80000000000000a8bbccfffedd0001 05 40 20 40  tapnet0")));
    }

    @Test
    void nothingIsPendingOnceNoAddressOfTheDeviceIsTentative() throws Exception {
        assertNull(Ipv6AddressWait.pending("tapnet0", WANTED, List.of(
                "fd770241008000000000000000000001 05 40 00 80  tapnet0",
                "fe80000000000000a8bbccfffedd0001 05 40 20 80  tapnet0",
                "fd770241008000000000000000000001 06 40 00 c0  tapnet1")));
    }

    @Test
    void anotherAddressThatFailedDetectionIsNotWaitedFor() throws Exception {
        // flags c8: permanent, tentative and dadfailed: it stays so for good
        assertNull(Ipv6AddressWait.pending("tapnet0", WANTED, List.of(
                "fd770241008000000000000000000001 05 40 00 80  tapnet0",
                "fd770241008200000000000000000005 05 40 00 c8  tapnet0")));
    }

    @Test
    void theWantedAddressFailingDetectionIsAnError() {
        SystemCallException e = assertThrows(SystemCallException.class, () -> Ipv6AddressWait.pending("tapnet0", WANTED,
                List.of("fd770241008000000000000000000001 05 40 00 c8  tapnet0")));
        assertTrue(e.getMessage().contains("fd77:241:80::1/64 of interface tapnet0 failed duplicate address detection"), e.getMessage());
    }

    @Test
    void theWantedAddressMissingIsAnError() {
        SystemCallException e = assertThrows(SystemCallException.class, () -> Ipv6AddressWait.pending("tapnet0", WANTED,
                List.of(LOOPBACK, "fd770241008000000000000000000001 06 40 00 80  tapnet1")));
        assertTrue(e.getMessage().contains("vanished"), e.getMessage());
    }
}
