package tapnet.cli.command;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tapnet.tap.NetworkNamespace;
import tapnet.tap.TapEmulator;
import tapnet.report.ReportDirectory;
import tapnet.script.RunReport;
import tapnet.script.SimulatedRun;
import tapnet.topology.PortSpec;
import tapnet.topology.Topology;
import tapnet.topology.yaml.TopologyError;
import tapnet.topology.yaml.TopologyException;
import tapnet.topology.yaml.TopologyLoader;
import tapnet.topology.yaml.TopologySummary;
import tapnet.topology.yaml.Units;
import tapnet.wire.Ipv4Address;
import tapnet.cli.control.ControlHandler;
import tapnet.cli.control.ControlServer;
import tapnet.cli.control.ControlSocket;
import tapnet.cli.live.LiveEmulator;
import tapnet.cli.live.LiveScript;
import tapnet.cli.live.PortDevices;
import tapnet.cli.live.ProgressPrinter;

/**
 * {@code tapnet run [FILE]}: runs a topology until Ctrl-C, SIGTERM or {@code --duration} (or, when the file
 * has a script, until the script's end), then removes what it made (the TAP, its route, and the namespace
 * if it made that too) and prints its counters. A script's report goes to {@code --report DIR}; its exit
 * code says whether every expectation held.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a topology: make its TAP device and play its virtual hosts until stopped.",
                "Without FILE, the bundled default topology runs (hosts 10.77.0.10 and 10.77.0.20).",
                "A file with a script: runs it, writes a report, exits 0 when every expectation held, 1 when not.",
                "Exit 2: a bad file, bad usage, or a run that could not start."})
final class RunCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "FILE", description = "Topology file (YAML). Default: the bundled default.yaml.")
    private Path file;

    @Option(names = "--netns", paramLabel = "NAME",
            description = "Run inside network namespace NAME, made if missing and then removed on exit (also one a "
                    + "killed tapnet left). The host's own network is never touched. Reach the hosts with: "
                    + "ip netns exec NAME ... Ports without a netns go into NAME-PORT.")
    private String netns;

    @Option(names = "--force", description = "Run even if the topology's subnet overlaps an existing route.")
    private boolean force;

    @Option(names = "--seed", paramLabel = "N", description = "Seed every random choice (losses, jitter, faults, "
            + "sequence numbers) with N instead of the topology's seed: the same seed replays a run.")
    private Long seed;

    /** Where a scripted run's report goes without --report. */
    static final Path DEFAULT_REPORT = Path.of("tapnet-report");

    @Option(names = "--report", paramLabel = "DIR",
            description = "Where a scripted run writes report.json, junit.xml, report.html and its capture "
                    + "(only for files with a script). Default: tapnet-report.")
    private Path report;

    @Option(names = "--simulate", description = "Run the file's script on a virtual clock, without a TAP or root, as "
            + "fast as the machine goes: every probe must be from a virtual host, and no event may run a command.")
    private boolean simulate;

    @Option(names = "--duration", paramLabel = "TIME", description = "Stop after this long, e.g. 30s or 5m.")
    private String duration;

    /** The exit code of a run that an internal error ended (the engine or the reader stopped). */
    static final int INTERNAL_ERROR = 3;

    /** Long enough to catch the next frame of a burst, short enough to cost little when traffic is sparse. */
    private static final String DEFAULT_SPIN = "200us";

    @Option(names = "--spin", paramLabel = "TIME", arity = "0..1", fallbackValue = "20ms",
            description = "How long the engine keeps looking for the next frame before it sleeps: longer saves thread "
                    + "wake-ups (lower latency) at the price of a busy core while traffic flows; an idle tapnet sleeps "
                    + "either way. --spin alone: 20ms. Default: " + DEFAULT_SPIN + ".")
    private String spin;

    @Option(names = "--ring", description = "Run the engine on a thread of its own behind the ring, fed by the TAP "
            + "reader's thread: two threads, two wake-ups per burst of frames. Default: the reader's thread runs the "
            + "engine itself (faster in every figure of BENCHMARKS.md on a 2-core machine).")
    private boolean ring;

    @Option(names = "--direct", description = "The engine on the TAP reader's thread: the default, the opposite of --ring.")
    private boolean direct;

    @Option(names = "--offload", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Let the kernels of the TAP and the ports hand over TCP segments of up to 64 KB with "
                    + "checksums left to tapnet (virtio-net header, checksum, TSO and USO offload): far fewer reads for "
                    + "bulk data. Links still act on wire frames. Default: on.")
    private boolean offload;

    @Option(names = "--control", paramLabel = "PATH",
            description = "Listen for 'tapnet ctl' at this Unix socket. Default: /run/tapnet/NAME.sock, NAME the "
                    + "--netns name or else the TAP device's.")
    private Path control;

    @Option(names = "--no-control", description = "Listen for no 'tapnet ctl': links stay as the file says.")
    private boolean noControl;

    @Override
    public Integer call() throws Exception {
        Topology topology;
        try {
            topology = file == null ? TopologyLoader.loadDefault() : TopologyLoader.load(file);
        } catch (TopologyException e) {
            e.errors().stream().map(TopologyError::toString).forEach(System.err::println);
            return 2;
        } catch (NoSuchFileException e) {
            System.err.println(file + ": no such file");
            return 2;
        }
        if (seed != null) {
            topology = topology.withSeed(seed);
        }
        // What can be checked before anything is made is checked here: a mistake costs no namespace or TAP.
        if (report != null && topology.script() == null) {
            System.err.println("tapnet: --report is for files with a script, and " + fileName() + " has none; drop"
                    + " --report, or give the file a script: (README, \"Scripted runs\")");
            return 2;
        }
        if (topology.script() != null) {
            String problem = reportDirectoryProblem(reportDirectory());
            if (problem != null) {
                System.err.println("tapnet: --report " + reportDirectory() + ": " + problem);
                return 2;
            }
        }
        if (simulate) {
            return simulate(topology);
        }
        String privilege = privilegeProblem(topology);
        if (privilege != null) {
            System.err.println("tapnet: " + privilege);
            return 2;
        }
        try {
            // ports without a netns follow the run: {run}-left is shop-left under --netns shop
            topology = topology.inRun(netns != null ? netns : topology.tap().device());
        } catch (IllegalArgumentException e) {
            System.err.println("tapnet: " + e.getMessage());
            return 2;
        }
        if (topology.script() != null && duration != null) {
            System.err.println("tapnet: the file's script says how long the run lasts (duration: "
                    + Units.format(topology.script().duration()) + "); --duration is for runs without a script.");
            return 2;
        }
        Duration stopAfter = null;
        if (direct && ring) {
            System.err.println("tapnet: --direct (the default) and --ring contradict each other. Choose one.");
            return 2;
        }
        long spinNanos;
        try {
            spinNanos = Units.duration(spin == null ? DEFAULT_SPIN : spin).toNanos();
        } catch (IllegalArgumentException e) {
            System.err.println("--spin: " + e.getMessage());
            return 2;
        }
        if (noControl && control != null) {
            System.err.println("tapnet: --control PATH and --no-control contradict each other. Choose one.");
            return 2;
        }
        if (duration != null) {
            try {
                stopAfter = Units.duration(duration);
            } catch (IllegalArgumentException e) {
                System.err.println("--duration: " + e.getMessage());
                return 2;
            }
        }

        NetworkNamespace namespace = null;
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch cleanedUp = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                cleanedUp.await(10, TimeUnit.SECONDS); // the JVM exits when hooks return: wait for the cleanup
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tapnet-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        ControlServer controlServer = null;
        try {
            controlServer = bindControl(topology);
            if (netns != null) {
                // made and marked as this run's; or left by a tapnet that was killed, and taken over; or kept
                namespace = NetworkNamespace.claim(netns);
                if (namespace.origin() == NetworkNamespace.Origin.TAKEN_OVER) {
                    System.out.println("Network namespace " + netns + " was left by a tapnet that was killed: this run"
                            + " takes it over and removes it at exit.");
                }
            }
            try (PortDevices ports = PortDevices.open(topology, force, offload)) {
                TapEmulator emulator = LiveEmulator.start(topology, namespace, force, spinNanos, offload, !ring, ports);
                java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
                emulator.onFailure(error -> { // never a process that stays up and answers nothing
                    failed.compareAndSet(null, error);
                    stop.countDown();
                });
                int exit = 0;
                try (emulator) {
                    if (controlServer != null) {
                        controlServer.serve(new ControlHandler(topology, emulator, controlServer::counters)::handle);
                    }
                    printStart(topology, emulator, controlServer);
                    if (topology.script() != null) {
                        exit = LiveScript.run(topology, fileName(), VersionProvider.version(), emulator, namespace, ports.namespaces(),
                                reportDirectory(), stop);
                    } else if (stopAfter == null) {
                        stop.await();
                    } else {
                        stop.await(stopAfter.toNanos(), TimeUnit.NANOSECONDS);
                    }
                } finally {
                    if (controlServer != null) {
                        controlServer.close(); // before the engine stops: no request reaches a closed engine
                    }
                }
                Map<String, Long> counters = new java.util.LinkedHashMap<>(emulator.engine().counters().snapshot());
                if (controlServer != null) {
                    counters.putAll(controlServer.counters());
                }
                printCounters(counters);
                if (failed.get() != null) {
                    System.err.println("tapnet: stopped: " + failed.get() + " (an internal error; the counters above are"
                            + " those until then)");
                    return INTERNAL_ERROR;
                }
                return exit;
            } catch (LiveEmulator.SubnetInUseException e) {
                System.err.println("tapnet: refusing to run: " + e.getMessage());
                return 2;
            }
        } catch (IOException e) {
            System.err.println("tapnet: " + describe(e));
            return 2;
        } finally {
            if (controlServer != null) {
                controlServer.close();
            }
            if (namespace != null) {
                try {
                    namespace.release(); // removes it when this run made it or took it over
                } catch (IOException e) {
                    System.err.println("tapnet: could not remove network namespace " + netns + ": " + describe(e));
                }
            }
            cleanedUp.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C or SIGTERM: the hook is running and returns now that cleanup is done.
            }
        }
    }

    /** {@code --simulate}: the script on a virtual clock; no TAP, no namespace, no root. */
    private int simulate(Topology topology) throws IOException {
        String problem = SimulatedRun.problem(topology);
        if (problem != null) {
            System.err.println("tapnet: cannot simulate " + fileName() + ": " + problem);
            return 2;
        }
        if (netns != null || direct || ring || spin != null) {
            System.err.println("tapnet: --simulate makes no TAP: --netns, --direct, --ring and --spin have nothing to act on.");
            return 2;
        }
        System.out.println("tapnet " + VersionProvider.version() + ": simulating " + TopologySummary.of(topology).stripTrailing());
        Path directory = reportDirectory();
        long started = System.nanoTime();
        RunReport result = SimulatedRun.run(topology, fileName(), VersionProvider.version(), directory);
        try {
            ReportDirectory.write(directory, result);
        } catch (IOException e) { // checked before the run; the directory changed since
            System.err.println("tapnet: --report " + directory + ": cannot write the report: " + describe(e));
            return 2;
        }
        System.out.printf(java.util.Locale.ROOT, "simulated %s in %.1f s of wall time%n",
                Units.format(topology.script().duration()), (System.nanoTime() - started) / 1e9);
        ProgressPrinter.summary(result, directory, System.out);
        return result.passed() ? 0 : 1;
    }

    private String fileName() {
        return file == null ? "default.yaml" : file.getFileName().toString();
    }

    private Path reportDirectory() {
        return report != null ? report : DEFAULT_REPORT;
    }

    /**
     * Null when {@code directory} is, or can be made, a directory this process can write into; else why not,
     * in words. Makes the directory (and its parents) when missing, as the run would.
     */
    static String reportDirectoryProblem(Path directory) {
        try {
            java.nio.file.Files.createDirectories(directory);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return "is a file, not a directory; give --report a directory";
        } catch (IOException e) {
            return "cannot make the directory (" + describe(e) + "); give --report a directory you can write";
        }
        if (!java.nio.file.Files.isDirectory(directory)) {
            return "is not a directory; give --report a directory";
        }
        if (!java.nio.file.Files.isWritable(directory)) {
            return "cannot write in it (permission denied); give --report a directory you can write";
        }
        return null;
    }

    /** An I/O failure in words: the file and the reason, which Java's message alone often leaves out. */
    static String describe(IOException e) {
        if (e instanceof java.nio.file.FileSystemException fs && fs.getFile() != null) {
            String reason = fs.getReason() != null ? fs.getReason()
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof NoSuchFileException ? "no such file or directory"
                    : e instanceof java.nio.file.FileAlreadyExistsException ? "already exists"
                    : e instanceof java.nio.file.NotDirectoryException ? "not a directory"
                    : e.getClass().getSimpleName();
            return fs.getFile() + (fs.getOtherFile() != null ? " -> " + fs.getOtherFile() : "") + ": " + reason;
        }
        return String.valueOf(e.getMessage());
    }

    // capability(7) numbers
    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_SYS_ADMIN = 21;

    /**
     * Null when this process may do what the run needs; else what is missing, in one line. A namespace
     * (--netns, or a port's) needs CAP_SYS_ADMIN to be made and entered, and CAP_NET_ADMIN for the devices in
     * it. A run without either works as an ordinary user on a persistent TAP (the README's recipe); that
     * one needs nothing checked here (TapDevice says what is wrong if the TAP is not there or not theirs).
     */
    private String privilegeProblem(Topology topology) {
        if (netns == null && topology.ports().isEmpty()) {
            return null;
        }
        long capabilities = effectiveCapabilities();
        if ((capabilities & (1L << CAP_SYS_ADMIN)) != 0 && (capabilities & (1L << CAP_NET_ADMIN)) != 0) {
            return null;
        }
        if (netns == null) {
            return fileName() + "'s ports need root (CAP_SYS_ADMIN and CAP_NET_ADMIN: each port is a TAP device in a"
                    + " network namespace tapnet makes); run as root";
        }
        return "--netns " + netns + " needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN: tapnet makes the network namespace and"
                + " a TAP device in it); run as root, or, as an ordinary user, without --netns on a persistent TAP an"
                + " administrator made for you: sudo ip tuntap add dev " + topology.tap().device() + " mode tap user $USER,"
                + " then give it tap.address (README, \"The command\")";
    }

    /** The CapEff mask of /proc/self/status; all of them when it cannot be read (the system call will tell). */
    static long effectiveCapabilities() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return Long.parseUnsignedLong(line.substring("CapEff:".length()).strip(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux's /proc: let the calls themselves fail
        }
        return -1L;
    }

    /**
     * The control socket, bound; null with --no-control, or when the default place cannot be made (tapnet
     * not run as root, say: the run goes on without it). A path given, or a live tapnet at the default, refuses the run.
     */
    private ControlServer bindControl(Topology topology) throws IOException {
        if (noControl) {
            return null;
        }
        if (control != null) {
            return ControlServer.bind(control);
        }
        Path path = ControlSocket.defaultPath(netns != null ? netns : topology.tap().device());
        try {
            return ControlServer.bind(path);
        } catch (ControlServer.InUseException e) {
            throw e;
        } catch (IOException e) {
            System.err.println("tapnet: no control socket (" + e.getMessage() + "); give --control PATH for one");
            return null;
        }
    }

    private void printStart(Topology topology, TapEmulator emulator, ControlServer controlServer) {
        System.out.println("tapnet " + VersionProvider.version() + ": " + TopologySummary.of(topology).stripTrailing());
        String where = netns == null ? "" : "ip netns exec " + netns + " ";
        System.out.println("TAP " + emulator.tap().name() + " is up" + (netns == null ? "" : " in network namespace " + netns) + ". Try:");
        for (String example : examples(topology)) {
            System.out.println("  " + where + example);
        }
        for (PortSpec port : topology.ports()) {
            System.out.println("Port " + port.name() + ": " + Ipv4Address.format(port.address()) + " on " + port.device()
                    + " in network namespace " + port.netns() + "; run programs there with: ip netns exec " + port.netns() + " ...");
        }
        if (controlServer != null) {
            System.out.println("control: tapnet ctl --socket " + controlServer.path() + " links|counters|link SPEC|down NODE|up NODE|partition GROUPS|heal");
        }
        if (topology.script() != null) {
            System.out.println("The script runs for " + Units.format(topology.script().duration()) + ", then the report goes to "
                    + report + ". Stop with Ctrl-C to end it early.");
        } else {
            System.out.println("Stop with Ctrl-C.");
        }
        System.out.flush();
    }

    /** A ping of the first host, and one client command per kind of service the topology has. */
    private static List<String> examples(Topology topology) {
        List<String> out = new ArrayList<>();
        Set<String> kinds = new HashSet<>();
        if (!topology.hosts().isEmpty()) {
            out.add("ping -c 3 " + Ipv4Address.format(topology.hosts().get(0).address()));
        }
        for (var host : topology.hosts()) {
            String address = Ipv4Address.format(host.address());
            for (var service : host.services()) {
                if (!kinds.add(service.kind())) {
                    continue;
                }
                out.add(switch (service.kind()) {
                    case "http" -> "curl http://" + address + (service.port() == 80 ? "" : ":" + service.port()) + "/";
                    default -> "nc " + address + " " + service.port() + "    # " + service.kind();
                });
            }
        }
        return out;
    }

    private static void printCounters(Map<String, Long> counters) {
        System.out.println("counters at exit:");
        counters.forEach((name, value) -> System.out.println("  " + name + " " + value));
        System.out.flush();
    }
}
