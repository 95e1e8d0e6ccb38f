package tapnet.cli.command;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tapnet.topology.TapSpec;
import tapnet.cli.control.ControlClient;
import tapnet.cli.control.ControlReply;
import tapnet.cli.control.ControlRequest;
import tapnet.cli.control.ControlSocket;

/**
 * {@code tapnet ctl COMMAND}: asks a running tapnet, through its control API on its socket, to change a link, a
 * partition, a host, a service or the DNS server's faults, or to say what its links and counters are. Exit 0
 * when it did, 1 when it answered an error or nothing listens, 2 for bad usage.
 */
@Command(name = "ctl", mixinStandardHelpOptions = true,
        description = {"Change a running tapnet's links, partitions, hosts and services, or read its links and counters,"
                + " through its control socket.",
                "",
                "Commands:",
                "  link SPEC   make a link exactly SPEC, a links: entry of a topology file",
                "              (keys not given: perfect), like",
                "              '{between: [tap, web], delay: 50ms, loss: 1%%}'",
                "  down NODE   take NODE's link down both ways, keeping its other settings",
                "  up NODE     bring it back up",
                "  partition GROUPS",
                "              cut groups of nodes off from each other, like",
                "              '[[tap, left], [right, web]]' (nodes in no group: untouched)",
                "  heal        end the partition",
                "  stop HOST   make a virtual host silent: it answers nothing",
                "  start HOST  start it again, its connections forgotten",
                "  stopService HOST:PORT",
                "              stop a service: SYNs get RST, its connections go on",
                "  startService HOST:PORT",
                "              make it listen again",
                "  routeFaults SPEC",
                "              replace the faults of an http service's route (by number,",
                "              from 1), like '{service: web:80, route: 2,",
                "              faults: [{status: 503, probability: 50%%}]}' (faults: []: none)",
                "  dnsFaults FAULTS",
                "              the DNS server's faults become FAULTS, a dns: faults: list,",
                "              like '[ {name: db, servfail: {}, first: 2} ]' ('[]': none)",
                "  links       each link's settings, as links: entries, and its counters",
                "  counters    the engine's counters, one 'name value' a line"})
final class CtlCommand implements Callable<Integer> {
    /** Either the socket itself or the namespace whose default socket it is; neither: the default TAP's. */
    static final class Target {
        @Option(names = "--socket", paramLabel = "PATH", description = "The control socket, as 'tapnet run' printed it.")
        Path socket;

        @Option(names = "--netns", paramLabel = "NAME",
                description = "The tapnet run with --netns NAME: its socket " + "/run/tapnet/NAME.sock.")
        String netns;
    }

    @ArgGroup(exclusive = true)
    private Target target;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "link SPEC, down NODE, up NODE, partition GROUPS, heal, stop HOST, start HOST, "
            + "stopService HOST:PORT, startService HOST:PORT, routeFaults SPEC, dnsFaults FAULTS, links or counters.")
    private List<String> words;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        ControlRequest request;
        try {
            request = ControlRequest.of(words);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Path path = socket();
        ControlReply reply;
        try {
            reply = ControlClient.send(path, request);
        } catch (IllegalArgumentException e) { // a service not HOST:PORT: as tapnet would answer it
            System.err.println(e.getMessage());
            return 1;
        } catch (IOException e) {
            System.err.println("tapnet ctl: " + e.getMessage());
            return 1;
        }
        java.io.PrintStream out = reply.ok() ? System.out : System.err;
        reply.lines().forEach(out::println);
        out.flush();
        return reply.ok() ? 0 : 1;
    }

    private Path socket() {
        if (target != null && target.socket != null) {
            return target.socket;
        }
        return ControlSocket.defaultPath(target != null && target.netns != null ? target.netns : TapSpec.DEFAULT_DEVICE);
    }
}
