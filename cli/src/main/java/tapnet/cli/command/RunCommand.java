package tapnet.cli.command;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tapnet.report.ReportDirectory;
import tapnet.script.RunReport;
import tapnet.script.SimulatedRun;
import tapnet.topology.PartRun;
import tapnet.topology.Topology;
import tapnet.topology.yaml.TopologyError;
import tapnet.topology.yaml.TopologyException;
import tapnet.topology.yaml.TopologyLoader;
import tapnet.topology.yaml.TopologySummary;
import tapnet.topology.yaml.Units;
import tapnet.cli.live.IoFailureText;
import tapnet.cli.live.LiveRun;
import tapnet.cli.live.ProgressPrinter;
import tapnet.cli.live.UserCommand;
import tapnet.cli.api.ListenAddress;
import tapnet.cli.relaunch.InnerRun;
import tapnet.cli.relaunch.Relaunch;
import tapnet.cli.relaunch.UserIds;
import tapnet.cli.relaunch.UserNamespaceSupport;

/**
 * {@code tapnet run [FILE]}: runs a topology until Ctrl-C, SIGTERM or {@code --duration} (or, when the file
 * has a script, until the script's end), then removes what it made (the TAP, its route, and the namespace
 * if it made that too) and prints its counters. A script's report goes to {@code --report DIR}; its exit
 * code says whether every expectation held.
 *
 * <p>With {@code -- COMMAND} (the words after {@code --}, which {@link Main} takes from picocli), the run
 * lasts as long as COMMAND. Without root, or with COMMAND and no {@code --netns}, this process runs tapnet
 * again in namespaces of its own ({@link Relaunch}) and returns its exit code; the relaunched one knows
 * itself by {@link InnerRun}.
 *
 * <p>This class reads the options and checks what can be checked before anything is made; {@link LiveRun}
 * runs the topology live, {@link SimulatedRun} on a virtual clock ({@code --simulate}).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a topology: make its TAP device and play its virtual hosts until stopped.",
                "Without FILE, the bundled default topology runs (hosts 10.77.0.10 and 10.77.0.20).",
                "A file with a script: runs it, writes a report, exits 0 when every expectation held, 1 when not.",
                "tapnet run [FILE] [OPTIONS] -- COMMAND [ARGS...]: runs COMMAND in the TAP's network namespace, with an"
                        + " /etc/hosts naming every node and TAPNET_CONTROL and TAPNET_TOPOLOGY set; Ctrl-C and SIGTERM go to"
                        + " it, and the run ends when it exits, with its status (when 0: the script's verdict).",
                "Without root, tapnet runs in namespaces of its own (a user namespace): no sudo, no TAP made before.",
                "Exit 2: a bad file, bad usage, or a run that could not start."})
final class RunCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    /** The words after {@code --}: COMMAND and its arguments; null without {@code --}. Set by {@link Main}. */
    private List<String> command;
    /** Every word tapnet was given, {@code run} first: what a relaunch runs again. Set by {@link Main}. */
    private List<String> arguments = List.of();

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

    @Option(names = "--part", paramLabel = "NAME", description = "Play only part NAME of a file split into parts: its"
            + " hosts, routers and ports, joined to the other parts' runs over the TAP segment's VXLAN.")
    private String part;

    @Option(names = "--duration", paramLabel = "TIME", description = "Stop after this long, e.g. 30s or 5m.")
    private String duration;

    @Option(names = "--start-at", paramLabel = "TIME", description = "Start the script's timeline at TIME, as every part"
            + " of a split file given the same TIME does: an instant (2026-12-05T14:30:00Z) or the next time of day"
            + " (14:30:00, local time). tapnet comes up first and waits; without it the timeline starts at once.")
    private String startAt;

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

    @Option(names = "--control-listen", paramLabel = "HOST:PORT",
            description = "Serve the control API on TCP too, at a loopback address like 127.0.0.1:8474 (another only with"
                    + " --force); every request there needs the token: Authorization: Bearer TOKEN.")
    private String controlListen;

    @Option(names = "--control-token-file", paramLabel = "FILE",
            description = "The token --control-listen asks for, read from FILE. Default: a random one, written to"
                    + " /run/tapnet/NAME.token (mode 0600) and removed at exit.")
    private Path controlTokenFile;

    void command(List<String> words) {
        command = List.copyOf(words);
    }

    void arguments(List<String> words) {
        arguments = List.copyOf(words);
    }

    @Override
    public Integer call() throws Exception {
        checkCommandUsage();
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
        String loadProblem = splitProblem(topology);
        if (loadProblem == null && startAt != null && topology.script() == null) {
            loadProblem = "--start-at starts a script's timeline, and " + fileName() + " has no script:";
        }
        if (loadProblem != null) {
            System.err.println("tapnet: " + loadProblem);
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
        if (!InnerRun.active()) {
            Integer relaunched = relaunchIfNeeded(topology);
            if (relaunched != null) {
                return relaunched;
            }
        } else {
            String problem = InnerRun.prepare();
            if (problem != null) {
                System.err.println("tapnet: " + problem);
                return 2;
            }
        }
        String privilege = privilegeProblem();
        if (privilege != null) {
            System.err.println("tapnet: " + privilege);
            return 2;
        }
        PartRun partRun;
        try {
            // ports without a netns follow the run: {run}-left is shop-left under --netns shop
            topology = topology.inRun(netns != null ? netns : topology.tap().device());
            partRun = part == null ? null : PartRun.of(topology, part);
        } catch (IllegalArgumentException e) {
            System.err.println("tapnet: " + e.getMessage());
            return 2;
        }
        if (partRun != null) {
            topology = partRun.topology(); // this part's kernel addresses, script and names
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
        ListenAddress listen = null;
        if (controlListen != null) {
            try {
                listen = ListenAddress.parse(controlListen, force);
            } catch (IllegalArgumentException e) {
                System.err.println("tapnet: " + e.getMessage());
                return 2;
            }
        } else if (controlTokenFile != null) {
            System.err.println("tapnet: --control-token-file is the token of --control-listen; give both, or neither.");
            return 2;
        }
        java.time.Instant scriptStart = null;
        if (startAt != null) {
            try {
                scriptStart = StartTime.parse(startAt, java.time.ZonedDateTime.now());
            } catch (IllegalArgumentException e) {
                System.err.println("tapnet: " + e.getMessage());
                return 2;
            }
        }
        if (duration != null) {
            try {
                stopAfter = Units.duration(duration);
            } catch (IllegalArgumentException e) {
                System.err.println("--duration: " + e.getMessage());
                return 2;
            }
        }

        UserCommand userCommand = null;
        if (command != null) {
            userCommand = new UserCommand(command, file == null ? null : file.toAbsolutePath(),
                    InnerRun.active() ? InnerRun.user() : null);
            // Standard output is COMMAND's: what tapnet says goes to standard error.
            System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        }
        return new LiveRun(new LiveRun.Options(netns, force, spinNanos, offload, !ring, control, noControl, stopAfter,
                fileName(), reportDirectory(), report, VersionProvider.version(), userCommand, InnerRun.active(), listen,
                controlTokenFile, partRun, scriptStart))
                .run(topology);
    }

    /**
     * Null when the file runs as given: whole, or split into parts with {@code --part}; else why not. A file
     * with parts needs --part (each machine runs one), and {@code --simulate}
     * plays the whole file in one process, its VXLAN left out.
     */
    private String splitProblem(Topology topology) {
        List<String> parts = topology.parts().stream().map(tapnet.topology.PartSpec::name).toList();
        if (part != null && simulate) {
            return "--simulate plays the whole file in one process: drop --part";
        }
        if (part != null && parts.isEmpty()) {
            return "--part " + part + ": " + fileName() + " has no parts: (README, \"VXLAN segments and parts\")";
        }
        if (part == null && !parts.isEmpty() && !simulate) {
            return fileName() + " is split into parts (" + String.join(", ", parts) + "): run one with --part NAME on each"
                    + " machine, or --simulate to play it whole";
        }
        return null;
    }

    /** Usage mistakes of {@code -- COMMAND}: they print the usage and exit 2, before anything is loaded. */
    private void checkCommandUsage() {
        if (simulate && startAt != null) {
            throw new ParameterException(spec.commandLine(), "--simulate plays the timeline at once, on a clock of its own:"
                    + " drop --start-at");
        }
        if (command == null) {
            return;
        }
        if (command.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "'--' must be followed by COMMAND, e.g. tapnet run -- curl"
                    + " http://10.77.0.10/");
        }
        if (simulate) {
            throw new ParameterException(spec.commandLine(), "--simulate makes no network for COMMAND to use: drop"
                    + " --simulate, or drop -- COMMAND");
        }
        if (duration != null) {
            throw new ParameterException(spec.commandLine(), "with -- COMMAND the run lasts as long as COMMAND: drop"
                    + " --duration, or drop -- COMMAND");
        }
    }

    /**
     * Runs tapnet again inside namespaces of its own, and returns its exit code; null when this process runs
     * the topology itself. Without root (and not on a persistent TAP of the README's recipe), the new namespaces
     * are in a user namespace of the user's; as root, a COMMAND without --netns gets a network and a mount
     * namespace of its own.
     */
    private Integer relaunchIfNeeded(Topology topology) throws Exception {
        boolean persistentTap = Files.exists(Path.of("/sys/class/net", topology.tap().device()));
        boolean relaunches = privileged() ? command != null && netns == null
                : netns == null && !(command == null && topology.ports().isEmpty() && persistentTap);
        if (relaunches && !topology.vxlanSegments().isEmpty()) {
            // namespaces of its own would hide the underlay: its socket must be bound where the underlay is
            System.err.println("tapnet: a segment over VXLAN runs as root in a named namespace: give --netns NAME"
                    + (command != null ? " for COMMAND to run in" : "") + " (README, \"VXLAN segments and parts\")");
            return 2;
        }
        if (privileged()) {
            if (command == null || netns != null) {
                return null;
            }
            String missing = UserNamespaceSupport.missingPrograms();
            if (missing != null) {
                System.err.println("tapnet: " + missing);
                return 2;
            }
            return Relaunch.run(Main.class.getName(), arguments, false);
        }
        if (netns != null) {
            return null; // privilegeProblem says what --netns needs
        }
        if (command == null && topology.ports().isEmpty() && persistentTap) {
            return null; // the README's recipe: an administrator's TAP, attached to as it is
        }
        String problem = UserNamespaceSupport.problem(UserIds.current());
        if (problem != null) {
            System.err.println("tapnet: " + problem);
            return 2;
        }
        return Relaunch.run(Main.class.getName(), arguments, true);
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
            System.err.println("tapnet: --report " + directory + ": cannot write the report: " + IoFailureText.of(e));
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
            return "cannot make the directory (" + IoFailureText.of(e) + "); give --report a directory you can write";
        }
        if (!java.nio.file.Files.isDirectory(directory)) {
            return "is not a directory; give --report a directory";
        }
        if (!java.nio.file.Files.isWritable(directory)) {
            return "cannot write in it (permission denied); give --report a directory you can write";
        }
        return null;
    }

    // capability(7) numbers
    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_SYS_ADMIN = 21;

    /**
     * Null when this process may do what the run needs; else what is missing, in one line. --netns needs
     * CAP_SYS_ADMIN to make and enter the namespace, and CAP_NET_ADMIN for the devices in it. Without --netns an
     * ordinary user's run is relaunched in namespaces of its own (ports included), or attaches to a persistent
     * TAP (the README's recipe), which needs nothing checked here (TapDevice says what is wrong with it).
     */
    private String privilegeProblem() {
        if (netns == null || privileged()) {
            return null;
        }
        return "--netns " + netns + " needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN: tapnet makes the network namespace and"
                + " a TAP device in it); run as root, or, as an ordinary user, without --netns: tapnet then runs in"
                + " namespaces of its own, e.g. tapnet run -- COMMAND (README, \"Running a command, and runs without root\")";
    }

    /** CAP_SYS_ADMIN and CAP_NET_ADMIN are effective: root, or the mapped root of a user namespace. */
    private static boolean privileged() {
        long capabilities = effectiveCapabilities();
        return (capabilities & (1L << CAP_SYS_ADMIN)) != 0 && (capabilities & (1L << CAP_NET_ADMIN)) != 0;
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
}
