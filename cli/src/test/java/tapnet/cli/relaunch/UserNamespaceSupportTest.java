package tapnet.cli.relaunch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each kernel switch that refuses user namespaces to ordinary users is named, with the sysctl that lifts it. */
class UserNamespaceSupportTest {
    private static String with(Map<String, String> values) {
        return UserNamespaceSupport.switchProblem(file -> values.get(file.toString()));
    }

    @Test
    void debiansSwitchIsNamedWithItsSysctl() {
        assertEquals("cannot run without root: the kernel allows user namespaces to root only"
                + " (kernel.unprivileged_userns_clone is 0). Fix: as root, sysctl -w kernel.unprivileged_userns_clone=1"
                + " (a file in /etc/sysctl.d/ keeps it), or run tapnet as root",
                with(Map.of("/proc/sys/kernel/unprivileged_userns_clone", "0", "/proc/sys/user/max_user_namespaces", "15000")));
    }

    @Test
    void ubuntusAppArmorRestrictionIsNamedWithItsSysctl() {
        assertEquals("cannot run without root: AppArmor takes every capability away in user namespaces of ordinary"
                + " users (kernel.apparmor_restrict_unprivileged_userns is 1). Fix: as root, sysctl -w"
                + " kernel.apparmor_restrict_unprivileged_userns=0 (a file in /etc/sysctl.d/ keeps it), or run tapnet as root",
                with(Map.of("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "1")));
    }

    @Test
    void switchesThatAllowOrDoNotExistSayNothing() {
        assertNull(with(Map.of("/proc/sys/kernel/unprivileged_userns_clone", "1",
                "/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "0", "/proc/sys/user/max_user_namespaces", "1")));
        assertNull(UserNamespaceSupport.switchProblem(file -> null));
    }

    @Test
    void theProgramsTheRelaunchCallsAreLookedForOnThePath() {
        assertNotNull(UserNamespaceSupport.onPath("sh"));
        assertNull(UserNamespaceSupport.onPath("no-such-program-tapnet"));
    }
}
