package tapnet.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The packaged tapnet, run as users run it ({@code java -jar cli/target/tapnet.jar ...}), with its output
 * collected line by line so a test can wait for what it prints.
 */
final class TapnetProcess implements AutoCloseable {
    private final Process process;
    private final List<String> stdout = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();

    private TapnetProcess(Process process) {
        this.process = process;
        collect(process.getInputStream(), stdout);
        collect(process.getErrorStream(), stderr);
    }

    static Path jar() {
        return Path.of(System.getProperty("tapnet.jar", "target/tapnet.jar"));
    }

    static Path topologies() {
        return Path.of(System.getProperty("tapnet.topologies", "../topologies"));
    }

    static TapnetProcess start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", jar().toString()));
        command.addAll(keepOutOfRun(args));
        return new TapnetProcess(new ProcessBuilder(command).start());
    }

    /** Any command line (tapnet behind setpriv, say), its output collected as tapnet's is. */
    static TapnetProcess startCommand(List<String> command) throws IOException {
        return new TapnetProcess(new ProcessBuilder(command).start());
    }

    /** As {@link #startCommand(List)}, in working directory {@code directory}. */
    static TapnetProcess startCommand(List<String> command, Path directory) throws IOException {
        return new TapnetProcess(new ProcessBuilder(command).directory(directory.toFile()).start());
    }

    /**
     * As {@link #start}, through the {@code tapnet} launcher at the repository's root, as a user there runs
     * it: with the JVM options it passes. It runs {@link #jar()} as it is (TAPNET_JAR), never a build.
     */
    static TapnetProcess launch(String... args) throws IOException {
        Path launcher = topologies().toAbsolutePath().normalize().resolveSibling("tapnet");
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(keepOutOfRun(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("TAPNET_JAR", jar().toAbsolutePath().toString());
        builder.environment().remove("TAPNET_JAVA_OPTIONS");
        return new TapnetProcess(builder.start());
    }

    /** The process's id: the java process's, since the launcher execs java. */
    long pid() {
        return process.pid();
    }

    /**
     * A run without --control would listen at /run/tapnet/NAME.sock, and one a test kills would leave it
     * there: tests that want a control socket give --control with a path in their own temp directory.
     */
    private static List<String> keepOutOfRun(String... args) {
        List<String> out = new ArrayList<>(List.of(args));
        // With -- COMMAND and no --netns the run has a /run of its own: its default socket is never left behind.
        boolean chosen = out.stream().anyMatch(a -> a.startsWith("--control") || a.equals("--no-control") || a.equals("--"));
        if (!out.isEmpty() && out.get(0).equals("run") && !chosen) {
            out.add(1, "--no-control");
        }
        return out;
    }

    /** Runs tapnet to completion (bounded) and returns its exit code. */
    static TapnetProcess run(String... args) throws Exception {
        TapnetProcess p = start(args);
        if (!p.process.waitFor(60, TimeUnit.SECONDS)) {
            p.process.destroyForcibly();
            throw new AssertionError("tapnet did not exit within 60 s: " + p.output());
        }
        p.drain();
        return p;
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void collect(InputStream in, List<String> lines) {
        Thread t = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "tapnet-output");
        t.setDaemon(true);
        t.start();
    }

    /** Waits until standard output has a line matching {@code regex}; fails with all output if it never comes. */
    String awaitLine(String regex, long timeoutSeconds) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        synchronized (stdout) {
            while (true) {
                for (String line : stdout) {
                    if (pattern.matcher(line).find()) {
                        return line;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && stdout.isEmpty())) {
                    throw new AssertionError("tapnet never printed /" + regex + "/; output so far:\n" + output());
                }
                stdout.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(left, 100_000_000))));
                if (!process.isAlive()) {
                    drain();
                }
            }
        }
    }

    /** Waits for the process to end by itself (bounded). */
    static void awaitExit(TapnetProcess p, long seconds) throws InterruptedException {
        if (!p.process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("tapnet did not exit within " + seconds + " s: " + p.output());
        }
        p.drain();
    }

    /** Sends a signal by name (TERM, INT, KILL) and waits for the process to end. */
    int signalAndWait(String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("tapnet did not exit within 30 s of SIG" + signal + ": " + output());
        }
        drain();
        return process.exitValue();
    }

    /** Writes {@code bytes} to the process's standard input. */
    void type(byte[] bytes) throws IOException {
        process.getOutputStream().write(bytes);
        process.getOutputStream().flush();
    }

    int exitCode() {
        return process.exitValue();
    }

    String stdout() {
        synchronized (stdout) {
            return String.join("\n", stdout);
        }
    }

    String stderr() {
        synchronized (stderr) {
            return String.join("\n", stderr);
        }
    }

    String output() {
        return "stdout:\n" + stdout() + "\nstderr:\n" + stderr();
    }

    /** Gives the reader threads a moment to take the last lines after the process ended. */
    private void drain() throws InterruptedException {
        Thread.sleep(100);
    }

    /**
     * Stops tapnet as a user would, with TERM, so that it removes what it made (its namespace's files under
     * /etc/netns among them); KILL only if it has not ended 10 s later.
     */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                process.destroy(); // TERM
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
