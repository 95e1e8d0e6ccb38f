package tapnet.cli.relaunch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The inner tapnet's command line: the same java, JVM options, class path and arguments, behind unshare. */
class RelaunchTest {
    @Test
    void withoutRootTheInnerTapnetIsTheMappedRootOfANewUserNamespace() {
        assertEquals(List.of("setpriv", "--pdeathsig", "KILL", "--", "unshare", "--user", "--map-root-user", "--net",
                        "--mount", "--propagation", "private", "--pid", "--fork", "--kill-child", "--mount-proc", "--", "/jdk/bin/java", "-XX:+UseSerialGC", "-cp", "/t.jar",
                        "tapnet.cli.command.Main", "run", "--", "curl", "web"),
                Relaunch.command(true, "/jdk/bin/java", List.of("-XX:+UseSerialGC"), "/t.jar", "tapnet.cli.command.Main",
                        List.of("run", "--", "curl", "web")));
    }

    @Test
    void asRootNoUserNamespace() {
        assertEquals(List.of("setpriv", "--pdeathsig", "KILL", "--", "unshare", "--net", "--mount", "--propagation",
                        "private", "--pid", "--fork", "--kill-child", "--mount-proc", "--", "java", "-cp", "t.jar", "M", "run"),
                Relaunch.command(false, "java", List.of(), "t.jar", "M", List.of("run")));
    }

    @Test
    void userIdsReadBackAsWritten() {
        assertEquals(new UserIds(1000, 100), UserIds.parse(new UserIds(1000, 100).text()));
    }
}
