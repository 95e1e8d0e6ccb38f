package tapnet.tap;

import java.util.function.Consumer;
import tapnet.engine.Engine;
import tapnet.engine.EngineRunner;
import tapnet.tcp.TcpConfig;
import tapnet.time.LiveClock;

/**
 * tapnet as a test runs it: a TAP in the test's namespace, given {@code tapAddress}, and behind it an
 * engine on a live clock (its virtual hosts set up by the caller) fed by a {@link TapReader} and answering
 * through a {@link TapSink}. Closing stops the reader, then the engine, then closes the TAP, which vanishes.
 */
final class EmulatorInNamespace implements AutoCloseable {
    static final int MTU = 1500;
    static final int MAX_FRAME = MTU + 14;
    private static final int RING_SIZE = 1024;

    final TapDevice tap;
    final TapSink sink;
    final Engine engine;
    final EngineRunner runner;
    final TapReader reader;

    private EmulatorInNamespace(TapDevice tap, TapSink sink, Engine engine, EngineRunner runner, TapReader reader) {
        this.tap = tap;
        this.sink = sink;
        this.engine = engine;
        this.runner = runner;
        this.reader = reader;
    }

    static EmulatorInNamespace start(TestNamespace ns, String tapAddress, Consumer<Engine> hosts) throws Exception {
        TapDevice tap = ns.call(() -> TapDeviceTest.openConfigured("tapnet0", tapAddress, MTU));
        EngineRunner runner = null;
        try {
            TapSink sink = new TapSink(tap, MAX_FRAME);
            Engine engine = new Engine(TcpConfig.defaults(), new LiveClock(), sink, 42);
            hosts.accept(engine);
            runner = new EngineRunner(engine, RING_SIZE, MAX_FRAME, true);
            runner.start();
            TapReader reader = new TapReader(tap, runner.publisher());
            reader.start();
            return new EmulatorInNamespace(tap, sink, engine, runner, reader);
        } catch (Exception | Error e) {
            if (runner != null) {
                runner.close();
            }
            tap.close();
            throw e;
        }
    }

    /** The engine's counters and the TAP's, for failure messages. */
    String counters() {
        return engine.counters().snapshot() + " tap: read " + reader.framesRead() + ", read errors " + reader.readErrors()
                + ", written " + sink.framesWritten() + ", write errors " + sink.writeErrors();
    }

    @Override
    public void close() {
        reader.close();
        runner.close();
        tap.close();
    }
}
