package tapnet.cli.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Sends one request to a running tapnet's control socket and reads its reply. */
public final class ControlClient {
    /** Thrown when nothing listens at the path: no file, or a file left by a tapnet that is gone. */
    static final class NotListeningException extends IOException {
        NotListeningException(Path path, String why) {
            super("no tapnet is listening at " + path + " (" + why + "); is it running? Its start message"
                    + " names its socket: control: tapnet ctl --socket PATH ...");
        }
    }

    private ControlClient() {
    }

    /**
     * Sends the request and reads the reply. tapnet may answer before it has read the request (busy, or a
     * request too long) and close: the write then fails, or the read ends in a reset, after the reply
     * came; the reply is what counts.
     */
    public static ControlReply send(Path path, ControlRequest request) throws IOException {
        try (SocketChannel channel = connect(path)) {
            IOException unsent = null;
            try {
                channel.write(ByteBuffer.wrap((request.line() + "\n").getBytes(StandardCharsets.UTF_8)));
                channel.shutdownOutput();
            } catch (IOException e) {
                unsent = e;
            }
            List<String> lines = readLines(channel);
            if (lines.isEmpty() && unsent != null) {
                throw new IOException("cannot send to " + path + ": " + unsent.getMessage(), unsent);
            }
            try {
                return ControlReply.parse(lines);
            } catch (IllegalArgumentException e) {
                throw new IOException(path + " answered, but " + e.getMessage());
            }
        }
    }

    /** The lines received until the end, or until a reset that comes after some. */
    private static List<String> readLines(SocketChannel channel) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            if (lines.isEmpty()) {
                throw e;
            }
        }
        return lines;
    }

    /** Whether something accepts connections at {@code path}. */
    static boolean answers(Path path) {
        try (SocketChannel ignored = connect(path)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static SocketChannel connect(Path path) throws IOException {
        if (!java.nio.file.Files.exists(path)) {
            throw new NotListeningException(path, "no such file");
        }
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(path));
            return channel;
        } catch (java.net.ConnectException e) {
            channel.close();
            throw new NotListeningException(path, "connection refused");
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot connect to " + path + ": " + e.getMessage(), e);
        }
    }
}
