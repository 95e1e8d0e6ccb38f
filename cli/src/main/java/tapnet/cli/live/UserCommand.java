package tapnet.cli.live;

import java.nio.file.Path;
import java.util.List;
import tapnet.cli.relaunch.UserIds;

/**
 * The COMMAND of {@code tapnet run [FILE] -- COMMAND [ARGS...]}: what to run, and as whom.
 *
 * @param argv     the command and its arguments, at least the command
 * @param topology the topology file, absolute; null for the bundled default ({@code TAPNET_TOPOLOGY} is then empty)
 * @param runAs    the user COMMAND runs as when tapnet is the mapped root of a user namespace; null: tapnet's own
 */
public record UserCommand(List<String> argv, Path topology, UserIds runAs) {
    /** Names COMMAND finds in its environment. */
    public static final String CONTROL_VARIABLE = "TAPNET_CONTROL";
    public static final String TOPOLOGY_VARIABLE = "TAPNET_TOPOLOGY";
    /** With {@code --control-listen}: the API's URL and the file holding its token. */
    public static final String CONTROL_URL_VARIABLE = "TAPNET_CONTROL_URL";
    public static final String CONTROL_TOKEN_VARIABLE = "TAPNET_CONTROL_TOKEN_FILE";

    public UserCommand {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("no COMMAND after --");
        }
    }
}
