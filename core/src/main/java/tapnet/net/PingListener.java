package tapnet.net;

/**
 * Hears how a ping from a virtual host ended: its echo reply, or an ICMP error quoting it. Called on the
 * engine thread, at most once per ping; a ping that hears nothing is the caller's to time out.
 */
public interface PingListener {
    /** The echo reply came back, {@code nanos} after the ping was asked for (ARP included, as with ping(8)). */
    void onReply(int sequence, long nanos);

    /** An ICMP error (destination unreachable, time exceeded: {@code type} and {@code code}) quoting the request. */
    default void onUnreachable(int sequence, int type, int code) {
    }
}
