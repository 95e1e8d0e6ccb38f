package tapnet.tap;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.engine.Engine;
import tapnet.node.VirtualHost;
import tapnet.tcp.ConnectionHandler;
import tapnet.tcp.TcpConfig;
import tapnet.tcp.TcpConnection;
import tapnet.time.LiveClock;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An error on the engine's thread (here a service that throws OutOfMemoryError, as a table without bound
 * once did) is reported to whoever runs the emulator, in both modes, so that the run ends and says why
 * instead of staying up and answering nothing.
 */
@Timeout(60)
class EngineFailureTest {
    private static final int MTU = 1500;

    @BeforeEach
    void needsRoot() {
        TapTestEnvironment.assumeTapTestsCanRun();
    }

    @Test
    void anErrorInTheDefaultModeReachesTheListenerAndStopsTheReader() throws Exception {
        assertReported(true, 60);
    }

    @Test
    void anErrorBehindTheRingReachesTheListener() throws Exception {
        assertReported(false, 61);
    }

    private static void assertReported(boolean direct, int subnet) throws Exception {
        try (TestNamespace ns = TestNamespace.create()) {
            TapDevice tap = ns.call(() -> TapDeviceTest.openConfigured("tapnet0", "10.241." + subnet + ".1/24", MTU, true));
            TapEmulator.EngineFactory engine = (sink, ports, remotes) -> {
                Engine e = new Engine(TcpConfig.defaults(), new LiveClock(), sink, 7);
                int ip = Ipv4Address.parse("10.241." + subnet + ".2");
                VirtualHost host = e.addHost("h", ip, MacAddress.derivedFrom(ip));
                e.listen(host, 7, new ConnectionHandler() {
                    @Override
                    public void onOpen(TcpConnection c) {
                        throw new OutOfMemoryError("a table without bound (test)");
                    }
                });
                return e;
            };
            try (TapEmulator tapnet = direct ? TapEmulator.startDirect(tap, List.of(), null, MTU, 0, engine)
                    : TapEmulator.start(tap, List.of(), null, MTU, 0, engine)) {
                CompletableFuture<Throwable> reported = new CompletableFuture<>();
                tapnet.onFailure(reported::complete);
                ns.call(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress("10.241." + subnet + ".2", 7), 5000);
                    }
                    return null;
                });
                Throwable error = reported.get(10, TimeUnit.SECONDS);
                assertNotNull(error);
                assertTrue(error instanceof OutOfMemoryError, error.toString());
                if (direct) {
                    for (int i = 0; i < 100 && tapnet.reader().isRunning(); i++) {
                        Thread.sleep(20);
                    }
                    assertFalse(tapnet.reader().isRunning(), "the reader that ran the engine stopped with it");
                }
            }
        }
    }
}
