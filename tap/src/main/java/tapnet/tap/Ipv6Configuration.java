package tapnet.tap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives a kernel interface its IPv6 address and prefix, the IPv6 sibling of {@link InterfaceConfiguration},
 * and remembers what it changed so that {@link #close()} puts back exactly that. Only what differs is
 * changed: IPv6 switched on for the device ({@code disable_ipv6} 0), duplicate address detection off
 * ({@code accept_dad} 0), the address added (or its prefix length changed); the interface's other
 * addresses stay as they are. {@code accept_ra} is left alone.
 *
 * <p>Two steps, because the interface going down drops its IPv6 addresses ({@code keep_addr_on_down} is 0
 * by default): {@link #prepare} sets the switches before the link comes up (so that its link-local
 * address is usable at once too), {@link #assign} adds the address once it is up, and waits until the kernel
 * has taken it out of the tentative state (which it does on a worker of its own even with DAD off).
 *
 * <p>Applies on the calling thread's network namespace and keeps its control socket until {@link #close()}.
 */
public final class Ipv6Configuration extends InterfaceChange {

    private final String name;
    private final Ipv6AddressControl control;
    /** The switches changed, with their previous values, in the order they were changed. */
    private final List<Ipv6DeviceSwitch> changedSwitches = new ArrayList<>();
    private final List<Integer> previousValues = new ArrayList<>();
    private Ipv6InterfaceAddress added;
    private Ipv6InterfaceAddress replaced;

    private Ipv6Configuration(String name, Ipv6AddressControl control) {
        super("the IPv6 settings of interface " + name);
        this.name = name;
        this.control = control;
    }

    /**
     * Switches IPv6 on for interface {@code name} and duplicate address detection off. On failure nothing
     * stays changed.
     */
    public static Ipv6Configuration prepare(String name) throws SystemCallException {
        Ipv6Configuration configuration = new Ipv6Configuration(name, Ipv6AddressControl.open(name));
        try {
            configuration.set("disable_ipv6", 0);
            // Off for speed of start, not for correctness: with DAD on, the kernel holds the address tentative
            // (unusable) for a second while it asks whether another node has it. With it on, a topology giving
            // the TAP a virtual host's address would fail visibly (the host answers DAD for the addresses it
            // owns, and the kernel marks the TAP's address dadfailed); with it off, that mistake is the
            // topology checks' to catch.
            configuration.set("accept_dad", 0);
            return configuration;
        } catch (SystemCallException | RuntimeException e) {
            configuration.closeAfter(e);
            throw e;
        }
    }

    /**
     * Lets the kernel take routes from router advertisements' Route Information options (RFC 4191), whatever
     * their prefix length: Linux's default takes none ({@code accept_ra_rt_info_max_plen} 0). Advertisements
     * themselves are taken as by default ({@code accept_ra} 1, forwarding off). Undone on close.
     */
    public void learnRoutesFromAdvertisements() throws SystemCallException {
        set("accept_ra", 1);
        set("accept_ra_rt_info_max_plen", 128);
    }

    /**
     * As {@link #prepare}, for an interface that is to have {@code wanted}: when it has that address with
     * that prefix already (an administrator gave a persistent TAP the topology's address once), no switch is
     * touched, so that a user without CAP_NET_ADMIN runs on it as the administrator left it.
     */
    public static Ipv6Configuration prepare(String name, Ipv6InterfaceAddress wanted) throws SystemCallException {
        Ipv6Configuration configuration = new Ipv6Configuration(name, Ipv6AddressControl.open(name));
        try {
            if (configuration.control.addresses().stream().anyMatch(a -> a.high() == wanted.high() && a.low() == wanted.low()
                    && a.prefixLength() == wanted.prefixLength())) {
                return configuration;
            }
        } catch (java.io.IOException e) {
            // unreadable: set the switches as for any interface
        }
        configuration.control.close();
        return prepare(name);
    }

    /**
     * {@link #prepare} and {@link #assign} in one, for an interface that is up already and stays up. On
     * failure nothing stays changed.
     */
    public static Ipv6Configuration apply(String name, Ipv6InterfaceAddress wanted) throws SystemCallException {
        Ipv6Configuration configuration = prepare(name);
        try {
            configuration.assign(wanted);
            return configuration;
        } catch (SystemCallException | RuntimeException e) {
            configuration.closeAfter(e);
            throw e;
        }
    }

    private void set(String switchName, int value) throws SystemCallException {
        Ipv6DeviceSwitch setting = new Ipv6DeviceSwitch(name, switchName);
        int current = setting.read();
        if (current != value) {
            setting.write(value);
            changedSwitches.add(setting);
            previousValues.add(current);
        }
    }

    /**
     * Gives the interface {@code wanted}, unless it has that address with that prefix length already; an
     * address equal but for the prefix length is replaced (and put back on close). Returns once the address,
     * and the interface's others (its link-local one), are usable ({@link Ipv6AddressWait}). Call once the
     * link is up.
     */
    public void assign(Ipv6InterfaceAddress wanted) throws SystemCallException {
        if (added != null) {
            throw new IllegalStateException("interface " + name + " has an IPv6 address from tapnet already: " + added);
        }
        List<Ipv6InterfaceAddress> current;
        try {
            current = control.addresses();
        } catch (IOException e) {
            throw SystemCallException.ofFile("cannot read the IPv6 addresses of interface " + name, e, null);
        }
        for (Ipv6InterfaceAddress address : current) {
            if (address.high() == wanted.high() && address.low() == wanted.low()) {
                if (address.prefixLength() == wanted.prefixLength()) {
                    Ipv6AddressWait.untilUsable(name, wanted);
                    return;
                }
                control.remove(address);
                replaced = address;
            }
        }
        control.add(wanted);
        added = wanted;
        // Added is not yet usable: the kernel clears the tentative flag on a worker of its own, DAD off or not.
        Ipv6AddressWait.untilUsable(name, wanted);
    }

    /** Removes the address {@link #assign} added (putting back one it replaced) and sets the switches back. */
    @Override
    void undo(Restoration undo) {
        if (added != null) {
            undo.attempt(() -> control.remove(added));
        }
        if (replaced != null) {
            undo.attempt(() -> control.add(replaced));
        }
        for (int i = changedSwitches.size() - 1; i >= 0; i--) {
            Ipv6DeviceSwitch setting = changedSwitches.get(i);
            int previous = previousValues.get(i);
            undo.attempt(() -> setting.write(previous));
        }
    }

    @Override
    void release() {
        control.close();
    }
}
