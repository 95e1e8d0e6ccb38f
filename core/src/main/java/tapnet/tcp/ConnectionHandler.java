package tapnet.tcp;

/**
 * What a service implements to serve connections on a port. The stack calls it on the engine thread and
 * sends whatever it wrote, or the FIN it asked for, as soon as the call returns. A handler sees a byte
 * stream ({@link TcpConnection#received()}), never segments; one instance serves every connection of its
 * port, and keeps per-connection state in {@link TcpConnection#attachment()}.
 */
public interface ConnectionHandler {
    /** The handshake completed (ESTABLISHED). */
    default void onOpen(TcpConnection connection) {
    }

    /** New bytes arrived in order in the receive buffer. */
    default void onReceive(TcpConnection connection) {
    }

    /** The peer acknowledged data, so the send buffer has room again. */
    default void onSendSpace(TcpConnection connection) {
    }

    /** The peer sent FIN: no more bytes will arrive. By default the connection is closed in turn. */
    default void onPeerClose(TcpConnection connection) {
        connection.close();
    }

    /** The time asked for with {@link TcpConnection#wakeAfter} has come. */
    default void onWake(TcpConnection connection) {
    }

    /** The connection is over for the application: closed, reset or timed out. Last call for it. */
    default void onClose(TcpConnection connection) {
    }
}
