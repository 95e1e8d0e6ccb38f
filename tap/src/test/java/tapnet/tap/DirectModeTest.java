package tapnet.tap;

import java.net.ServerSocket;
import java.net.Socket;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.engine.Engine;
import tapnet.node.VirtualHost;
import tapnet.service.EchoService;
import tapnet.tcp.ConnectionHandler;
import tapnet.tcp.TcpConfig;
import tapnet.tcp.TcpConnection;
import tapnet.time.LiveClock;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine on the TAP reader's thread, without the ring: the same behaviour, one thread. */
@Timeout(90)
class DirectModeTest {
    private static final int MTU = 1500;

    @BeforeEach
    void needsRoot() {
        TapTestEnvironment.assumeTapTestsCanRun();
    }

    private static TapEmulator start(TestNamespace ns, int subnet, VirtualHost[] host) throws Exception {
        TapDevice tap = ns.call(() -> TapDeviceTest.openConfigured("tapnet0", "10.241." + subnet + ".1/24", MTU, true));
        return TapEmulator.startDirect(tap, MTU, sink -> {
            Engine engine = new Engine(TcpConfig.defaults(), new LiveClock(), sink, 7);
            int ip = Ipv4Address.parse("10.241." + subnet + ".2");
            host[0] = engine.addHost("h", ip, MacAddress.derivedFrom(ip));
            engine.listen(host[0], 7, new EchoService());
            return engine;
        });
    }

    @Test
    void pingAndTenMegabytesOfEchoWork() throws Exception {
        TapTestEnvironment.assumeCommand("ping");
        VirtualHost[] host = new VirtualHost[1];
        byte[] sent = new byte[10 << 20];
        new SplittableRandom(50).nextBytes(sent);
        try (TestNamespace ns = TestNamespace.create(); TapEmulator tapnet = start(ns, 50, host)) {
            ExternalCommand ping = ns.exec(15, "ping", "-c", "3", "-i", "0.2", "-W", "1", "10.241.50.2");
            assertEquals(0, ping.exitCode(), ping.describe() + "\n" + tapnet.describeCounters());
            byte[] back = EchoRoundTrip.through(ns, "10.241.50.2", 7, sent, 5000, 20_000);
            assertArrayEquals(sent, back, tapnet.describeCounters());
        }
    }

    @Test
    void anActiveOpenThroughCallReachesAKernelServer() throws Exception {
        VirtualHost[] host = new VirtualHost[1];
        try (TestNamespace ns = TestNamespace.create(); TapEmulator tapnet = start(ns, 51, host);
             ServerSocket server = ns.call(() -> new ServerSocket(6000, 5, java.net.InetAddress.getByName("10.241.51.1")))) {
            server.setSoTimeout(10_000);
            TcpConnection c = tapnet.call(e -> e.connect(host[0], Ipv4Address.parse("10.241.51.1"), 6000,
                    new ConnectionHandler() { })).get(5, TimeUnit.SECONDS);
            assertNotNull(c);
            try (Socket accepted = server.accept()) {
                assertTrue(accepted.getInetAddress().getHostAddress().equals("10.241.51.2"));
            }
        }
    }
}
