/**
 * The {@code tapnet} command line (picocli): {@link tapnet.cli.command.Main} and one class per command
 * ({@code run}, {@code ctl}, {@code check}, {@code report}). A command reads and checks its options, says
 * what is wrong with usage help and exit code 2, and hands the work to the package that does it: a live run
 * to {@code live}, a request to the running tapnet to {@code control}, a run in namespaces of tapnet's own
 * (without root, or {@code run -- COMMAND}) first to {@code relaunch}, which starts tapnet again there.
 *
 * <p>Depends on live, control, relaunch and core. The main thread.
 */
package tapnet.cli.command;
