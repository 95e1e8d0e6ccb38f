package tapnet.cli.command;

import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code tapnet} command. Exit codes (README, "The command"): 0 success; 1 a script's expectation failed,
 * {@code check} found an invalid file, or {@code ctl} got an error; 2 a bad topology, bad usage or a run that
 * could not start; 130 and 143 a run stopped by Ctrl-C or SIGTERM (after its cleanup). {@code run -- COMMAND}
 * exits with COMMAND's status (128+N when signal N ended it), or the script's verdict when that is 0.
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
        CommandLine line = new CommandLine(new Main());
        if (args.length > 0 && args[0].equals("run")) {
            // Everything after the first "--" is COMMAND, words picocli must not read as FILE or options.
            RunCommand run = line.getSubcommands().get("run").getCommand();
            run.arguments(List.of(args));
            int dash = List.of(args).indexOf("--");
            if (dash > 0) {
                run.command(List.of(args).subList(dash + 1, args.length));
                return line.execute(Arrays.copyOf(args, dash));
            }
        }
        return line.execute(args);
    }
}
