package tapnet.cli.live;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import tapnet.cli.api.ApiRoutes;
import tapnet.cli.api.ApiServer;
import tapnet.cli.api.ApiToken;
import tapnet.cli.api.ListenAddress;
import tapnet.cli.api.RunChanges;
import tapnet.cli.control.ControlSocket;
import tapnet.cli.relaunch.Processes;
import tapnet.tap.NetworkNamespace;
import tapnet.tap.TapEmulator;
import tapnet.topology.PartRun;
import tapnet.topology.Topology;

/**
 * One live run of a topology, from start to cleanup: its namespace claimed, its ports and TAP made, the
 * engine behind them, the control socket answering, then the script played or the run held until Ctrl-C,
 * SIGTERM or its duration; at the end the control socket closes, the counters are printed and what the run
 * made is removed, however it ends (a shutdown hook waits for the cleanup). Returns the run's exit code.
 */
public final class LiveRun {
    /** The exit code of a run that an internal error ended (the engine or the reader stopped). */
    public static final int INTERNAL_ERROR = 3;

    /**
     * How the run goes, as the command line said it.
     *
     * @param netns           the network namespace to run in (made if missing), null for the current one
     * @param force           run even when the topology's subnets overlap routes already there
     * @param spinNanos       how long the engine looks for the next frame before it sleeps
     * @param offload         the TAP's and the ports' offloads on
     * @param direct          the engine on the reader's thread (else behind the ring, on its own)
     * @param control         the control socket's path, null for the default one
     * @param noControl       listen for no control requests
     * @param stopAfter       how long a run without a script lasts, null until stopped
     * @param fileName        the topology file's name, for the report
     * @param reportDirectory where a script's report goes
     * @param report          {@code --report} as given, for the start message
     * @param version         tapnet's version, for the start message and the report
     * @param command         {@code run -- COMMAND}: the run lasts as long as COMMAND; null for none
     * @param relaunched      tapnet runs in namespaces a relaunch made for it ({@code InnerRun}), not the machine's
     * @param listen          {@code --control-listen}: the control API on TCP too; null for the socket alone
     * @param tokenFile       {@code --control-token-file}: the TCP listener's token; null to make one
     * @param part            {@code --part}: the part of a split topology this run plays; null for the whole
     */
    public record Options(String netns, boolean force, long spinNanos, boolean offload, boolean direct, Path control,
                          boolean noControl, Duration stopAfter, String fileName, Path reportDirectory, Path report,
                          String version, UserCommand command, boolean relaunched, ListenAddress listen, Path tokenFile,
                          PartRun part, java.time.Instant scriptStart) {
    }

    private final Options options;
    /** The last line of a run with COMMAND: how COMMAND and the script ended, and the exit code. */
    private String ending;

    public LiveRun(Options options) {
        this.options = options;
    }

    /** Runs {@code topology} (its ports' namespaces filled in, {@link Topology#inRun}) until it ends; the exit code. */
    public int run(Topology topology) throws Exception {
        String netns = options.netns();
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
        CommandSignals signals = options.command() == null ? null : CommandSignals.install(stop);
        ApiServer controlServer = null;
        // A relaunched run's namespaces are its own, under a /run of its own: /etc/netns is the machine's.
        boolean namedNamespaces = netns != null || !topology.ports().isEmpty();
        NetnsNames names = options.relaunched() || !namedNamespaces ? null
                : new NetnsNames(NetnsNames.ETC_NETNS, NetnsNames.Owner.current(), HostsFile.of(topology, machineName()),
                        ResolvConf.of(topology), System.out);
        try {
            controlServer = bindControl(topology);
            if (netns != null) {
                // made and marked as this run's; or left by a tapnet that was killed, and taken over; or kept
                namespace = NetworkNamespace.claim(netns);
                if (namespace.origin() == NetworkNamespace.Origin.TAKEN_OVER) {
                    System.out.println("Network namespace " + netns + " was left by a tapnet that was killed: this run"
                            + " takes it over and removes it at exit.");
                }
                if (options.command() != null && namespace.owned()) {
                    namespace.loopbackUp(); // COMMAND's view is whole; one tapnet did not make is left as it is
                }
                if (names != null) {
                    names.add(netns);
                }
            }
            try (PortDevices ports = PortDevices.open(topology, options.part(), options.force(), options.offload())) {
                if (names != null) {
                    ports.namespaces().values().forEach(port -> names.add(port.name()));
                }
                TapEmulator emulator = LiveEmulator.start(topology, options.part(), namespace, options.force(), options.spinNanos(),
                        options.offload(), options.direct(), ports);
                AtomicReference<Throwable> failed = new AtomicReference<>();
                emulator.onFailure(error -> { // never a process that stays up and answers nothing
                    failed.compareAndSet(null, error);
                    stop.countDown();
                });
                int exit = 0;
                try (emulator) {
                    RunChanges changes = new RunChanges(topology);
                    ApiServer api = controlServer;
                    if (api != null) {
                        api.serve(new ApiRoutes(topology, options.fileName(), emulator.tap().name(), netns, emulator, changes,
                                () -> UnderlayCounters.with(api.counters(), emulator.underlay())));
                    }
                    StartMessage.print(topology, options.version(), emulator.tap().name(), netns, reach(netns),
                            api, options.report(), options.command(), options.relaunched(), options.part());
                    NetworkNamespace commandNamespace = namespace;
                    UserCommandProcess command = signals == null ? null
                            : signals.start(() -> startCommand(topology, commandNamespace, api, stop));
                    if (signals != null && command == null) {
                        System.out.println("tapnet: stopped by SIG" + signals.early() + " before COMMAND started");
                        exit = signals.earlyExit();
                    } else if (topology.script() != null) {
                        exit = LiveScript.run(topology, options.part(), options.fileName(), options.version(), emulator, namespace,
                                ports.namespaces(), commandRunner(topology, namespace, ports), options.reportDirectory(), stop,
                                changes, options.scriptStart());
                    } else if (options.stopAfter() == null) {
                        stop.await();
                    } else {
                        stop.await(options.stopAfter().toNanos(), TimeUnit.NANOSECONDS);
                    }
                    if (command != null) {
                        exit = awaitCommand(command, failed.get() != null, topology.script() != null, exit);
                    }
                } finally {
                    if (controlServer != null) {
                        controlServer.close(); // before the engine stops: no request reaches a closed engine
                    }
                }
                Map<String, Long> counters = new LinkedHashMap<>(emulator.engine().counters().snapshot());
                UnderlayCounters.of(emulator.underlay()).forEach((name, value) -> {
                    if (value != 0) {
                        counters.put(name, value);
                    }
                });
                if (controlServer != null) {
                    controlServer.counters().forEach((name, value) -> {
                        if (value != 0) {
                            counters.put(name, value);
                        }
                    });
                }
                printCounters(counters);
                if (ending != null) {
                    System.out.println(ending);
                }
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
            System.err.println("tapnet: " + IoFailureText.of(e));
            return 2;
        } finally {
            if (controlServer != null) {
                controlServer.close();
            }
            if (names != null) {
                names.close(); // the files this run wrote in /etc/netns, and the directories it made
            }
            if (namespace != null) {
                try {
                    namespace.release(); // removes it when this run made it or took it over
                } catch (IOException e) {
                    System.err.println("tapnet: could not remove network namespace " + netns + ": " + IoFailureText.of(e));
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

    /**
     * COMMAND started; its exit ends the run. Its hosts file (and resolv.conf, with a DNS server) lie next to
     * the control socket's default place.
     */
    private UserCommandProcess startCommand(Topology topology, NetworkNamespace namespace, ApiServer control,
                                            CountDownLatch stop) throws IOException {
        String run = namespace != null ? namespace.name() : topology.tap().device();
        Processes.adoptOrphans();
        Path socket = ControlSocket.defaultPath(run);
        UserCommandProcess command = UserCommandProcess.start(options.command(), HostsFile.of(topology, machineName()),
                socket.resolveSibling(run + ".hosts"), ResolvConf.of(topology), socket.resolveSibling(run + ".resolv.conf"),
                namespace == null ? null : namespace.path(), controlVariables(control, namespace == null));
        command.onExit(stop::countDown);
        return command;
    }

    /**
     * What runs the script's {@code run:} events: in a relaunched run, each with the run's names bound, as
     * COMMAND's are, its files next to the control socket's default place; else with those of its namespace.
     */
    private CommandRunner commandRunner(Topology topology, NetworkNamespace namespace, PortDevices ports) {
        Map<String, NetworkNamespace> namespaces = new LinkedHashMap<>(ports.namespaces());
        namespaces.put("tap", namespace);
        if (!options.relaunched()) {
            return new CommandRunner(namespaces);
        }
        String run = topology.tap().device();
        return new CommandRunner(namespaces, new CommandRunner.Names(HostsFile.of(topology, machineName()),
                ResolvConf.of(topology), ControlSocket.defaultPath(run).getParent(), run));
    }

    /**
     * Waits for COMMAND (stopped first when the engine failed) and says how the run ended, in one line. Its
     * non-zero status wins; else the script's verdict, {@code scriptExit}; the engine's failure wins over both.
     */
    private int awaitCommand(UserCommandProcess command, boolean engineFailed, boolean scripted, int scriptExit)
            throws InterruptedException {
        if (engineFailed) {
            command.terminate();
        }
        int status = command.awaitExit();
        int left = Processes.stopDescendants();
        if (left > 0) {
            System.out.println("tapnet: stopped " + left + " process" + (left == 1 ? "" : "es") + " COMMAND left running");
        }
        int exit = status != 0 ? status : scriptExit;
        ending = "tapnet: COMMAND exited with " + status + (scripted ? "; expectations "
                + (scriptExit == 0 ? "held" : "failed (" + scriptExit + ")") : "") + "; exit " + exit;
        return exit;
    }

    /** The machine's name, for the hosts file; null when it cannot be read. */
    private static String machineName() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return null;
        }
    }

    /** How a user reaches the run's namespace from another shell: prefix of the example commands. */
    private static String reach(String netns) {
        return netns == null ? "" : "ip netns exec " + netns + " ";
    }

    /**
     * What COMMAND finds of the control API: TAPNET_CONTROL, and with TCP, when COMMAND shares tapnet's network
     * namespace ({@code sameNetns}: its loopback is tapnet's), TAPNET_CONTROL_URL and TAPNET_CONTROL_TOKEN_FILE.
     */
    private static Map<String, String> controlVariables(ApiServer control, boolean sameNetns) {
        Map<String, String> variables = new LinkedHashMap<>();
        if (control != null && control.socket() != null) {
            variables.put(UserCommand.CONTROL_VARIABLE, control.socket().toAbsolutePath().toString());
        }
        if (control != null && control.url() != null && sameNetns) {
            variables.put(UserCommand.CONTROL_URL_VARIABLE, control.url());
            variables.put(UserCommand.CONTROL_TOKEN_VARIABLE, control.token().file().toAbsolutePath().toString());
        }
        return variables;
    }

    /**
     * The control API, listening; null with --no-control and no --control-listen. Without a path given, a
     * default socket that cannot be made (tapnet not run as root, say) leaves the run without one; a path
     * given, a live tapnet at the default, or a TCP address that cannot be bound refuses the run.
     */
    private ApiServer bindControl(Topology topology) throws IOException {
        Path socket = null;
        String run = options.netns() != null ? options.netns() : topology.tap().device();
        if (!options.noControl()) {
            socket = options.control() != null ? options.control() : ControlSocket.defaultPath(run);
        }
        ApiToken token = null;
        try {
            if (socket != null) {
                ControlSocket.prepare(socket); // before the token: a live run's token beside it stays its own
            }
            if (options.listen() != null) {
                token = options.tokenFile() != null ? ApiToken.read(options.tokenFile())
                        : ApiToken.create(tokenBeside(socket != null ? socket : ControlSocket.defaultPath(run)));
            }
            return socket == null && token == null ? null : ApiServer.bind(socket, options.listen(), token);
        } catch (ControlSocket.InUseException e) {
            removeToken(token);
            throw e;
        } catch (IOException e) {
            removeToken(token);
            if (options.control() != null || options.listen() != null) {
                throw e;
            }
            System.err.println("tapnet: no control socket (" + e.getMessage() + "); give --control PATH for one");
            return null;
        }
    }

    /** {@code /run/tapnet/NAME.token} beside {@code /run/tapnet/NAME.sock}. */
    private static Path tokenBeside(Path socket) {
        String name = socket.getFileName().toString();
        return socket.resolveSibling((name.endsWith(".sock") ? name.substring(0, name.length() - 5) : name) + ".token");
    }

    private static void removeToken(ApiToken token) {
        if (token != null) {
            token.remove();
        }
    }

    private static void printCounters(Map<String, Long> counters) {
        System.out.println("counters at exit:");
        counters.forEach((name, value) -> System.out.println("  " + name + " " + value));
        System.out.flush();
    }
}
