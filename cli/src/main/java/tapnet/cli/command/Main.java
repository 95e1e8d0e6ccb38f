package tapnet.cli.command;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code tapnet} command. Exit codes (README, "The command"): 0 success; 1 a script's expectation failed,
 * {@code check} found an invalid file, or {@code ctl} got an error; 2 a bad topology, bad usage or a run that
 * could not start; 130 and 143 a run stopped by Ctrl-C or SIGTERM (after its cleanup).
 */
@Command(name = "tapnet",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        subcommands = {RunCommand.class, CheckCommand.class, CtlCommand.class, ReportCommand.class, CommandLine.HelpCommand.class},
        description = {
                "A user-space network emulator: virtual hosts behind a TAP device, reachable from real programs.",
                "",
                "Start with:  tapnet run --netns tapnet",
                "then, from another shell:  ip netns exec tapnet curl http://10.77.0.10/"})
public final class Main implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: say 'tapnet run' or 'tapnet check FILE'");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        return new CommandLine(new Main()).execute(args);
    }
}
