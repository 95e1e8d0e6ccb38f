package tapnet.conformance;

/**
 * One running stack and the fake peer wired to it: the target host's addresses (10.242.N.2 and
 * fd77:242:N::2) and MAC (resolved by ARP and neighbour discovery), and the {@link RawPeer} that speaks for 10.242.N.3 and
 * fd77:242:N::3. Shared by the tests of a class, over both families; each test talks from source ports of
 * its own ({@link #peer}).
 */
interface TargetNetwork extends AutoCloseable {
    Stack stack();

    /** The target host's IPv4 address, 10.242.N.2. */
    int address();

    /** The target host's IPv6 address, fd77:242:N::2, as {high, low}. */
    long[] address6();

    /** The target host's MAC, as it answered the peer's ARP request and neighbour solicitation (both the same). */
    long mac();

    /** The subnet number N of 10.242.N.0/24 and fd77:242:N::/64. */
    int subnet();

    /** What the target looks like now, for failure messages: tapnet's counters, the kernel's sockets. */
    String describe();

    /** A new conversation with {@code port} over {@code target}'s family, from a source port no earlier test used. */
    Peer peer(Target target, int port);

    /**
     * A conversation the target will open over {@code target}'s family: the peer waits on a port no earlier
     * test used, and the target's port is learned from its SYN. {@link #connect} makes the target open it.
     */
    Peer listener(Target target);

    /**
     * Makes the target open a connection to the peer's {@code listener} (active open), in the listener's
     * family, with an application that echoes what arrives (Nagle off): the kernel by a Java socket's
     * connect in its namespace, tapnet by {@code Engine.connect} on its engine thread.
     */
    void connect(Peer listener) throws Exception;

    @Override
    void close();
}
