package tapnet.tap;

/** The loopback interface of the calling thread's network namespace; a fresh namespace has it down. */
public final class Loopback {
    private Loopback() {
    }

    /** Brings {@code lo} up, so that programs in the namespace reach 127.0.0.1. Needs CAP_NET_ADMIN. */
    public static void up() throws java.io.IOException {
        try (InterfaceControl loopback = InterfaceControl.open("lo")) {
            loopback.setUp(true);
        }
    }
}
