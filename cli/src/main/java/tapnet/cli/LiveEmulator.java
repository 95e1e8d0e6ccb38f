package tapnet.cli;

import java.util.List;
import tapnet.engine.Engine;
import tapnet.engine.EngineRunner;
import tapnet.observe.Counters;
import tapnet.tap.InterfaceAddress;
import tapnet.tap.InterfaceSettings;
import tapnet.tap.Ipv4Route;
import tapnet.tap.Ipv4Routes;
import tapnet.tap.Ipv4Subnet;
import tapnet.tap.NetworkNamespace;
import tapnet.tap.TapDevice;
import tapnet.tap.TapReader;
import tapnet.tap.TapSink;
import tapnet.time.LiveClock;
import tapnet.topology.EngineBuilder;
import tapnet.topology.TapSpec;
import tapnet.topology.Topology;
import tapnet.wire.EthernetFrame;

/**
 * A topology running live: its TAP device made and configured (inside a network namespace when one is
 * given), the engine on its own thread behind the ingress ring, a reader thread feeding the ring, answers
 * written straight to the TAP. Closing it stops the threads and closes the TAP, which removes the device
 * and the route the kernel made for its subnet.
 */
final class LiveEmulator implements AutoCloseable {
    private static final int RING_SIZE = 4096;

    private final TapDevice tap;
    private final Engine engine;
    private final EngineRunner runner;
    private final TapReader reader;

    private LiveEmulator(TapDevice tap, Engine engine, EngineRunner runner, TapReader reader) {
        this.tap = tap;
        this.engine = engine;
        this.runner = runner;
        this.reader = reader;
    }

    /** Thrown when the topology's subnet overlaps a route that is already there. */
    static final class SubnetInUseException extends Exception {
        SubnetInUseException(String message) {
            super(message);
        }
    }

    /**
     * Makes the TAP in {@code namespace} (or the current one when null), refusing a subnet that overlaps an
     * existing route unless {@code force}, and starts the engine.
     */
    static LiveEmulator start(Topology topology, NetworkNamespace namespace, boolean force) throws Exception {
        TapSpec spec = topology.tap();
        TapDevice tap = namespace == null ? openTap(spec, force) : namespace.call(() -> openTap(spec, force));
        try {
            int frameLength = EthernetFrame.HEADER_LENGTH + spec.mtu();
            TapSink sink = new TapSink(tap, frameLength);
            Engine engine = EngineBuilder.build(topology, new LiveClock(), sink);
            EngineRunner runner = new EngineRunner(engine, RING_SIZE, frameLength, true);
            TapReader reader = new TapReader(tap, runner.publisher());
            runner.start();
            reader.start();
            return new LiveEmulator(tap, engine, runner, reader);
        } catch (Exception | Error e) {
            tap.close();
            throw e;
        }
    }

    /** Runs in the target namespace: the route check, the TAP and its address all belong there. */
    private static TapDevice openTap(TapSpec spec, boolean force) throws Exception {
        Ipv4Subnet subnet = Ipv4Subnet.containing(spec.address(), spec.prefixLength());
        List<Ipv4Route> overlapping = Ipv4Routes.current().overlapping(subnet);
        if (!overlapping.isEmpty() && !force) {
            StringBuilder message = new StringBuilder("the topology's subnet " + subnet
                    + " overlaps routes already in this network namespace:");
            for (Ipv4Route route : overlapping) {
                message.append("\n  ").append(route);
            }
            message.append("\nPick another subnet in the topology's tap.address, run in a namespace of its own"
                    + " (--netns NAME), or pass --force if you know the overlap is harmless.");
            throw new SubnetInUseException(message.toString());
        }
        TapDevice tap = TapDevice.open(spec.device());
        try {
            tap.configure(new InterfaceSettings(new InterfaceAddress(spec.address(), spec.prefixLength()), spec.mtu()));
        } catch (Exception e) {
            tap.close();
            throw e;
        }
        return tap;
    }

    String deviceName() {
        return tap.name();
    }

    /** The engine's counters; safe to read from any thread. */
    Counters counters() {
        return engine.counters();
    }

    @Override
    public void close() {
        reader.close();
        runner.close();
        tap.close();
    }
}
