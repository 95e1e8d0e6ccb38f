package tapnet.tap;

import java.util.function.Consumer;
import tapnet.engine.Engine;
import tapnet.tcp.TcpConfig;
import tapnet.time.LiveClock;

/**
 * tapnet as a test runs it: a TAP in the test's namespace, given {@code tapAddress}, and behind it a
 * {@link TapEmulator} whose engine (live clock) gets its virtual hosts from the caller.
 */
final class EmulatorInNamespace implements AutoCloseable {
    static final int MTU = 1500;

    private final TapEmulator emulator;

    private EmulatorInNamespace(TapEmulator emulator) {
        this.emulator = emulator;
    }

    static EmulatorInNamespace start(TestNamespace ns, String tapAddress, Consumer<Engine> hosts) throws Exception {
        return start(ns, tapAddress, false, hosts);
    }

    /** As above; with {@code offloads} the TAP carries virtio-net headers and takes checksum and TSO offload. */
    static EmulatorInNamespace start(TestNamespace ns, String tapAddress, boolean offloads, Consumer<Engine> hosts) throws Exception {
        TapDevice tap = ns.call(() -> TapDeviceTest.openConfigured("tapnet0", tapAddress, MTU, offloads));
        return new EmulatorInNamespace(TapEmulator.start(tap, MTU, sink -> {
            Engine engine = new Engine(TcpConfig.defaults(), new LiveClock(), sink, 42);
            hosts.accept(engine);
            return engine;
        }));
    }

    TapDevice tap() {
        return emulator.tap();
    }

    TapReader reader() {
        return emulator.reader();
    }

    TapSink sink() {
        return emulator.sink();
    }

    Engine engine() {
        return emulator.engine();
    }

    /** The engine's counters and the TAP's, for failure messages. */
    String counters() {
        return emulator.describeCounters();
    }

    @Override
    public void close() {
        emulator.close();
    }
}
