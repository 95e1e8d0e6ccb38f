package tapnet.tap;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/**
 * Waits until an interface's IPv6 addresses are usable: out of the tentative state. The kernel adds every
 * address tentative (net/ipv6/addrconf.c, ipv6_add_addr) and clears the flag later, on its addrconf
 * workqueue (addrconf_dad_work, then addrconf_dad_begin), also when duplicate address detection is off: then
 * at the worker's first run, which comes after SIOCSIFADDR has returned, once the worker is scheduled and has
 * the RTNL lock (on a busy 2-core machine: still tentative right after the ioctl about two times in three,
 * for up to tens of milliseconds). Until then bind(2) to the address fails with EADDRNOTAVAIL and the kernel
 * picks no source address from it. So "added" is not "usable": the kernel's own state tells, in
 * {@code /proc/thread-self/net/if_inet6}.
 *
 * <p>An address whose detection failed ({@code dadfailed}) stays tentative for good: for the address tapnet
 * adds that is an error, for the interface's others (a persistent TAP's own) it is not tapnet's to wait for.
 */
final class Ipv6AddressWait {
    /** linux/if_addr.h: duplicate address detection found another node with the address. */
    static final int IFA_F_DADFAILED = 0x08;
    /** As long as detection with {@code accept_dad} 1 takes (up to 1 s delay, 1 s per probe), with room. */
    static final long LIMIT_NANOS = 5_000_000_000L;
    private static final long POLL_MILLIS = 1;

    private Ipv6AddressWait() {
    }

    /**
     * Returns once no address of {@code device} is tentative (but for other addresses that failed detection),
     * reading the calling thread's namespace; throws when {@code wanted} is missing or failed detection, or
     * when the kernel has not cleared the state within {@link #LIMIT_NANOS}.
     */
    static void untilUsable(String device, Ipv6InterfaceAddress wanted) throws SystemCallException {
        long deadline = System.nanoTime() + LIMIT_NANOS;
        while (true) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Ipv6AddressControl.THREAD_ADDRESSES);
            } catch (IOException e) {
                throw SystemCallException.ofFile("cannot read the IPv6 addresses of interface " + device, e, null);
            }
            String pending = pending(device, wanted, lines);
            if (pending == null) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw SystemCallException.of("IPv6 address " + pending + " of interface " + device + " is still tentative "
                        + LIMIT_NANOS / 1_000_000_000L + " s after it was added", Errno.EADDRNOTAVAIL,
                        "The kernel has not finished duplicate address detection; tapnet switches it off for the device,"
                        + " but net.ipv6.conf.all.accept_dad above 0 keeps it on (the kernel takes the larger of all and"
                        + " " + device + "): set it to 0 in this network namespace, or check that the interface has carrier");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SystemCallException.of("interrupted while waiting for IPv6 address " + wanted + " of interface "
                        + device + " to become usable", Errno.EINTR);
            }
        }
    }

    /**
     * An address of {@code device} still tentative in if_inet6 text (see {@link Ipv6AddressControl#addresses}),
     * or null when none is; throws when {@code wanted} is missing or failed detection.
     */
    static String pending(String device, Ipv6InterfaceAddress wanted, List<String> lines) throws SystemCallException {
        String pending = null;
        boolean found = false;
        for (String line : lines) {
            String[] field = line.trim().split("\\s+");
            if (field.length != 6 || !field[5].equals(device)) {
                continue;
            }
            int flags = Integer.parseInt(field[4], 16);
            boolean isWanted = Ipv6Text.procHigh(field[0]) == wanted.high() && Ipv6Text.procLow(field[0]) == wanted.low();
            found |= isWanted;
            if ((flags & IFA_F_DADFAILED) != 0) {
                if (isWanted) {
                    throw SystemCallException.of("IPv6 address " + wanted + " of interface " + device
                            + " failed duplicate address detection", Errno.EADDRNOTAVAIL,
                            "Another node on the link answers for this address: give the TAP an address no virtual"
                            + " host has (tap.address6)");
                }
            } else if ((flags & Ipv6AddressControl.IFA_F_TENTATIVE) != 0 && (pending == null || isWanted)) {
                pending = Ipv6Text.format(Ipv6Text.procHigh(field[0]), Ipv6Text.procLow(field[0]));
            }
        }
        if (!found) {
            throw SystemCallException.of("IPv6 address " + wanted + " of interface " + device + " vanished after it was added",
                    Errno.EADDRNOTAVAIL, "Something else removed it, or switched IPv6 off for the device, meanwhile");
        }
        return pending;
    }
}
