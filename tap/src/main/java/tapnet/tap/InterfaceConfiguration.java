package tapnet.tap;


/**
 * Brings a kernel interface to the wanted {@link InterfaceSettings} and remembers what it changed, so that
 * {@link #close()} puts back exactly that: the previous address (none: removed), the previous MTU, the link
 * down if it was down. Only what differs is changed, so a user without CAP_NET_ADMIN can run on a
 * persistent TAP an administrator configured once.
 *
 * <p>Applies on the calling thread's network namespace and keeps its control socket until {@link #close()},
 * so the undo reaches the same interface whichever thread closes it.
 */
public final class InterfaceConfiguration extends InterfaceChange {

    private final String name;
    private final InterfaceControl control;
    private boolean changedAddress;
    private int previousAddress;
    private int previousNetmask;
    private boolean changedMtu;
    private int previousMtu;
    private boolean wasUp;
    private boolean linkTouched;

    private InterfaceConfiguration(InterfaceControl control) {
        super("interface " + control.name());
        this.name = control.name();
        this.control = control;
    }

    /**
     * Gives interface {@code name} the address, prefix and MTU of {@code wanted} and brings it up. On failure
     * nothing stays changed.
     */
    public static InterfaceConfiguration apply(String name, InterfaceSettings wanted) throws SystemCallException {
        InterfaceConfiguration configuration = new InterfaceConfiguration(InterfaceControl.open(name));
        try {
            configuration.apply(wanted);
            return configuration;
        } catch (SystemCallException | RuntimeException e) {
            configuration.closeAfter(e);
            throw e;
        }
    }

    private void apply(InterfaceSettings wanted) throws SystemCallException {
        wasUp = control.isUp();
        InterfaceAddress address = wanted.address();
        int currentAddress = control.address();
        int currentNetmask = control.netmask();
        if (currentAddress != address.address() || currentNetmask != address.netmask()) {
            if (wasUp) {
                // SIOCSIFADDR first gives the address its classful mask (10.x: /8); on an up link the kernel
                // would route that whole network here until SIOCSIFNETMASK. Down, it adds no prefix route.
                linkTouched = true;
                control.setUp(false);
            }
            previousAddress = currentAddress;
            previousNetmask = currentNetmask;
            control.setAddress(address.address());
            changedAddress = true;
            control.setNetmask(address.netmask());
        }
        int currentMtu = control.mtu();
        if (currentMtu != wanted.mtu()) {
            previousMtu = currentMtu;
            control.setMtu(wanted.mtu());
            changedMtu = true;
        }
        linkTouched = true;
        control.setUp(true);
    }

    /** Undoes what {@link #apply} changed: previous address, previous MTU, link down if it was down. */
    @Override
    void undo(Restoration undo) {
        if (!linkTouched && !changedAddress && !changedMtu) {
            return;
        }
        // Down while the address changes back, for the same reason as in apply; up again if it was up.
        boolean takeDown = !wasUp || changedAddress;
        if (takeDown) {
            undo.attempt(() -> control.setUp(false));
        }
        if (changedAddress) {
            undo.attempt(() -> {
                control.setAddress(previousAddress);
                if (previousAddress != 0) {
                    control.setNetmask(previousNetmask);
                }
            });
        }
        if (changedMtu) {
            undo.attempt(() -> control.setMtu(previousMtu));
        }
        if (takeDown && wasUp) {
            undo.attempt(() -> control.setUp(true));
        }
    }

    @Override
    void release() {
        control.close();
    }

}
