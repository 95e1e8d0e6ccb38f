package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The control socket's life (bind, stale and live files, removal) and tapnet ctl's exit codes against it. */
@Timeout(30)
class ControlServerTest {
    @Test
    void aRequestGetsItsReplyAndClosingRemovesTheSocket(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("sub/dir/c.sock");
        try (ControlServer server = ControlServer.bind(path)) {
            server.serve(line -> ControlReply.ok(List.of("got " + line)));
            assertEquals(ControlReply.ok(List.of("got down web")),
                    ControlClient.send(path, new ControlRequest("down", "web")));
            assertEquals(ControlReply.ok(List.of("got link {between: [tap, web]}\\nx")),
                    ControlClient.send(path, new ControlRequest("link", "{between: [tap, web]}\nx")));
        }
        assertFalse(Files.exists(path));
    }

    @Test
    void aStaleSocketIsReplaced(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("c.sock");
        ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        dead.bind(UnixDomainSocketAddress.of(path));
        dead.close(); // the file stays, as after a kill -9
        assertTrue(Files.exists(path));
        assertThrows(ControlClient.NotListeningException.class, () -> ControlClient.send(path, new ControlRequest("links", null)));
        try (ControlServer server = ControlServer.bind(path)) {
            server.serve(line -> ControlReply.ok(List.of()));
            assertTrue(ControlClient.send(path, new ControlRequest("links", null)).ok());
        }
    }

    @Test
    void aLiveTapnetIsNotDisturbed(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("c.sock");
        try (ControlServer first = ControlServer.bind(path)) {
            first.serve(line -> ControlReply.ok(List.of("first")));
            ControlServer.InUseException e = assertThrows(ControlServer.InUseException.class, () -> ControlServer.bind(path));
            assertTrue(e.getMessage().startsWith("another tapnet is listening at " + path), e.getMessage());
            assertEquals(List.of("first"), ControlClient.send(path, new ControlRequest("links", null)).lines());
        }
    }

    @Test
    void aFileThatIsNotASocketIsLeftAlone(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("c.sock");
        Files.writeString(path, "mine");
        assertThrows(java.io.IOException.class, () -> ControlServer.bind(path));
        assertEquals("mine", Files.readString(path));
    }

    @Test
    void ctlExitsZeroOnSuccessOneOnAnErrorOrNothingListeningTwoOnBadUsage(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("c.sock");
        try (ControlServer server = ControlServer.bind(path)) {
            server.serve(line -> line.equals("links") ? ControlReply.ok(List.of("- {between: [tap, web]}"))
                    : ControlReply.error("no such node"));
            Output ok = Output.of(() -> Main.execute("ctl", "--socket", path.toString(), "links"));
            assertEquals(0, ok.code);
            assertEquals("- {between: [tap, web]}\n", ok.out);
            Output error = Output.of(() -> Main.execute("ctl", "--socket", path.toString(), "down", "mail"));
            assertEquals(1, error.code);
            assertEquals("no such node\n", error.err);
            assertEquals(2, Output.of(() -> Main.execute("ctl", "--socket", path.toString(), "lnks")).code);
            assertEquals(2, Output.of(() -> Main.execute("ctl", "--socket", path.toString())).code);
            assertEquals(2, Output.of(() -> Main.execute("ctl", "--socket", path.toString(), "--netns", "x", "links")).code);
        }
        Output none = Output.of(() -> Main.execute("ctl", "--socket", path.toString(), "links"));
        assertEquals(1, none.code);
        assertTrue(none.err.startsWith("tapnet ctl: no tapnet is listening at " + path), none.err);
    }

    /** What a command printed, and its exit code. */
    private record Output(int code, String out, String err) {
        static Output of(java.util.function.IntSupplier command) {
            PrintStream out = System.out;
            PrintStream err = System.err;
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            try {
                int code = command.getAsInt();
                return new Output(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
            } finally {
                System.setOut(out);
                System.setErr(err);
            }
        }
    }
}
