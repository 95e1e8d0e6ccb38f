package tapnet.tap;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Bytes through an echo service and back, with the kernel's own TCP as the client: a socket opened in a
 * test namespace, one thread writing everything (then half-closing), this one reading it all back.
 */
public final class EchoRoundTrip {
    private EchoRoundTrip() {
    }

    /**
     * Sends {@code data} to {@code address:port} from a socket in {@code namespace} and returns what came
     * back, as many bytes as were sent, after checking that echo then closed (as it does after its peer);
     * throws when the connect takes over {@code connectMillis} or a read waits over {@code readMillis}.
     */
    public static byte[] through(TestNamespace namespace, String address, int port, byte[] data, int connectMillis,
                                 int readMillis) throws Exception {
        return namespace.call(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), connectMillis);
                socket.setSoTimeout(readMillis);
                Thread writer = new Thread(() -> {
                    try {
                        OutputStream out = socket.getOutputStream();
                        out.write(data);
                        socket.shutdownOutput();
                    } catch (Exception e) {
                        throw new IllegalStateException("writing to echo failed", e);
                    }
                });
                writer.start();
                byte[] received = new byte[data.length];
                new DataInputStream(socket.getInputStream()).readFully(received);
                writer.join(readMillis);
                if (socket.getInputStream().read() != -1) {
                    throw new AssertionError("echo sent more than it was sent, or did not close after the peer did");
                }
                return received;
            }
        });
    }
}
