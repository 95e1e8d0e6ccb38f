package tapnet.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import tapnet.engine.Engine;
import tapnet.node.VirtualHost;
import tapnet.service.EchoService;
import tapnet.tap.ExternalCommand;
import tapnet.tap.InterfaceAddress;
import tapnet.tap.InterfaceSettings;
import tapnet.tap.NetworkNamespace;
import tapnet.tap.TapDevice;
import tapnet.tap.TapEmulator;
import tapnet.tap.TapTestEnvironment;
import tapnet.tcp.TcpConfig;
import tapnet.time.LiveClock;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

/**
 * A SYN flood (RFC 4987) against each target while a legitimate client connects: hping3 sends SYNs from
 * random source addresses at the echo port, {@value #FLOOD_INTERVAL} apart, for {@value #FLOOD_SYNS}
 * SYNs (about 3 s); meanwhile a kernel client in the same namespace opens {@value #CLIENTS} connections,
 * one every {@value #CLIENT_SPACING_MILLIS} ms, each given {@value #CONNECT_TIMEOUT_MILLIS} ms to connect
 * (room for one SYN retransmission) and one echoed octet. The kernel's half-open queue is its listen
 * backlog (128); past it, SYN cookies answer (net.ipv4.tcp_syncookies = 1 in a new namespace), so the
 * client gets through. tapnet runs with its defaults: a SYN backlog of 1,024 per port, then cookies. Nobody answers the SYN-ACKs to the random sources: the kernel of the flooding
 * namespace does not forward and drops them, so every SYN leaves a half-open connection behind.
 *
 * <p>Every run is bounded: hping3 stops after its count and is killed after {@value #FLOOD_LIMIT_SECONDS}
 * s; all of it happens inside the test's namespaces.
 */
@Conformance
class SynFloodTest {
    static final String FLOOD_INTERVAL = "u100";
    static final int FLOOD_SYNS = 30_000;
    static final int FLOOD_LIMIT_SECONDS = 8;
    static final int CLIENTS = 50;
    static final int CLIENT_SPACING_MILLIS = 40;
    static final int CONNECT_TIMEOUT_MILLIS = 2_500;
    static final Path REPORT = Path.of("target", "conformance-syn-flood.txt");

    @BeforeAll
    static void newReport() throws IOException {
        Files.deleteIfExists(REPORT);
    }

    /** IPv4 only: hping3 has no IPv6. */
    @OnBothTargetsOverIpv4
    void legitimateClientGetsThroughASynFlood(Target target) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("hping3");
        FloodResult result = target.stack == Stack.KERNEL ? floodKernel() : floodTapnet();
        report(target, result);
        if (result.connected() < CLIENTS * 9 / 10) {
            throw new AssertionError(target + ": " + result.connected() + " of " + CLIENTS + " connections succeeded during the"
                    + " flood (expected at least " + CLIENTS * 9 / 10 + ")\n" + result.details());
        }
    }

    record FloodResult(int connected, String details) {
    }

    private static FloodResult floodKernel() throws Exception {
        int subnet = Namespaces.nextSubnet();
        String server = "10.242." + subnet + ".2";
        NetworkNamespace client = null;
        NetworkNamespace host = null;
        KernelServices services = null;
        try {
            client = Namespaces.create();
            host = Namespaces.create();
            Namespaces.ip(client, "link", "add", "client0", "type", "veth", "peer", "name", "host0", "netns", host.name());
            Namespaces.ip(client, "addr", "add", "10.242." + subnet + ".1/24", "dev", "client0");
            Namespaces.ip(client, "link", "set", "client0", "up");
            Namespaces.ip(host, "link", "set", "lo", "up");
            Namespaces.ip(host, "addr", "add", server + "/24", "dev", "host0");
            Namespaces.ip(host, "link", "set", "host0", "up");
            // SYN-ACKs to the random sources go back to the flooding namespace, which drops them.
            Namespaces.ip(host, "route", "add", "default", "via", "10.242." + subnet + ".1");
            services = KernelServices.start(host, Ipv4Address.parse(server), null);
            FloodResult result = flood(client, server);
            ExternalCommand netstat = Namespaces.exec(host, 5, "nstat", "-az", "TcpExtSyncookiesSent", "TcpExtListenDrops",
                    "TcpExtListenOverflows", "TcpExtTCPReqQFullDoCookies");
            return new FloodResult(result.connected(), result.details() + "kernel counters:\n" + netstat.output());
        } finally {
            StringBuilder problems = new StringBuilder();
            if (services != null) {
                services.close();
            }
            Namespaces.deleteQuietly(client, problems);
            Namespaces.deleteQuietly(host, problems);
            if (problems.length() > 0) {
                throw new IllegalStateException(problems.toString());
            }
        }
    }

    private static FloodResult floodTapnet() throws Exception {
        int subnet = Namespaces.nextSubnet();
        String server = "10.242." + subnet + ".2";
        NetworkNamespace namespace = Namespaces.create();
        try {
            Namespaces.ip(namespace, "link", "set", "lo", "up");
            TapDevice tap = namespace.call(() -> {
                TapDevice device = TapDevice.open("tapnet0");
                try {
                    device.configure(new InterfaceSettings(InterfaceAddress.parse("10.242." + subnet + ".1/24"), 1500));
                    return device;
                } catch (Exception | Error e) {
                    device.close();
                    throw e;
                }
            });
            TcpConfig config = TcpConfig.defaults();
            try (TapEmulator emulator = TapEmulator.start(tap, 1500, sink -> {
                Engine engine = new Engine(config, new LiveClock(), sink, 42);
                int address = Ipv4Address.parse(server);
                VirtualHost host = engine.addHost("target", address, MacAddress.derivedFrom(address));
                engine.listen(host, Ports.ECHO, new EchoService());
                return engine;
            })) {
                FloodResult result = flood(namespace, server);
                return new FloodResult(result.connected(), result.details() + "tapnet counters: " + emulator.describeCounters() + "\n");
            }
        } finally {
            StringBuilder problems = new StringBuilder();
            Namespaces.deleteQuietly(namespace, problems);
            if (problems.length() > 0) {
                throw new IllegalStateException(problems.toString());
            }
        }
    }

    /** Floods {@code server}:echo from {@code namespace} while the client there connects; bounded in time. */
    private static FloodResult flood(NetworkNamespace namespace, String server) throws Exception {
        CompletableFuture<ExternalCommand> hping = CompletableFuture.supplyAsync(() -> Namespaces.exec(namespace,
                FLOOD_LIMIT_SECONDS, "hping3", "-q", "-S", "-p", String.valueOf(Ports.ECHO), "-i", FLOOD_INTERVAL, "--rand-source",
                "-c", String.valueOf(FLOOD_SYNS), server));
        Thread.sleep(500); // the flood is on before the first client
        List<String> failures = new ArrayList<>();
        List<Integer> succeeded = new ArrayList<>();
        AtomicInteger connected = new AtomicInteger();
        namespace.call(() -> {
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int index = i;
                Thread client = new Thread(() -> { // threads started here inherit the namespace
                    try {
                        echoOneOctet(server);
                        connected.incrementAndGet();
                        synchronized (succeeded) {
                            succeeded.add(index);
                        }
                    } catch (IOException e) {
                        synchronized (failures) {
                            failures.add(index + ": " + e.getMessage());
                        }
                    }
                }, "flood-client-" + i);
                client.setDaemon(true);
                client.start();
                clients.add(client);
                Thread.sleep(CLIENT_SPACING_MILLIS);
            }
            for (Thread client : clients) {
                client.join(10_000);
            }
            return null;
        });
        ExternalCommand flood = hping.get(FLOOD_LIMIT_SECONDS + 5, TimeUnit.SECONDS);
        java.util.Collections.sort(succeeded);
        String details = "hping3: " + flood.errors().strip() + "\nclients that got through (0 starts 0.5 s into the flood, one every "
                + CLIENT_SPACING_MILLIS + " ms): " + succeeded + "\nclient failures: " + failures + "\n";
        return new FloodResult(connected.get(), details);
    }

    private static void echoOneOctet(String server) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(server, Ports.ECHO), CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write('!');
            InputStream in = socket.getInputStream();
            if (in.read() != '!') {
                throw new IOException("no echo");
            }
        }
    }

    private static void report(Target target, FloodResult result) throws IOException {
        String line = target + ": " + result.connected() + " of " + CLIENTS + " connections succeeded during a SYN flood\n"
                + result.details().indent(2);
        System.out.println(line);
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
