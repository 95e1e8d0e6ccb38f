package tapnet.conformance;

/**
 * One running target and the fake peer wired to it: the target host's address and MAC (resolved by ARP),
 * and the {@link RawPeer} that speaks for 10.242.N.3. Shared by the tests of a class; each test talks from
 * source ports of its own ({@link #peer}).
 */
interface TargetNetwork extends AutoCloseable {
    Target kind();

    /** The target host's IPv4 address, 10.242.N.2. */
    int address();

    /** The target host's MAC, as it answered the peer's ARP request. */
    long mac();

    /** The subnet number N of 10.242.N.0/24. */
    int subnet();

    /** What the target looks like now, for failure messages: tapnet's counters, the kernel's sockets. */
    String describe();

    /** A new conversation with {@code port} from a source port no earlier test of this target used. */
    Peer peer(int port);

    /**
     * A conversation the target will open: the peer waits on a port no earlier test used, and the target's
     * port is learned from its SYN. {@link #connect} makes the target open it.
     */
    Peer listener();

    /**
     * Makes the target open a connection to the peer's {@code listener} (active open), with an application
     * that echoes what arrives (Nagle off): the kernel by a Java socket's connect in its namespace, tapnet by
     * {@code Engine.connect} on its engine thread.
     */
    void connect(Peer listener) throws Exception;

    @Override
    void close();
}
