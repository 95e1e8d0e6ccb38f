package tapnet.tap;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * Makes the calling thread, and only it, an ordinary user: real, effective and saved uid and gid become
 * {@code uid}/{@code gid}, supplementary groups none, and of the capabilities only CAP_DAC_OVERRIDE stays.
 * That one keeps {@code /dev/net/tun} openable where it is mode 0600 (it is 0666 on most systems) and keeps
 * the JVM able to read its class path; it grants nothing about network devices. Test threads only: the
 * thread cannot become root again.
 */
final class ThreadCredentials {
    private static final CredentialCalls CALLS = LibraryLoader.create(CredentialCalls.class).load("c");
    private static final int PR_SET_KEEPCAPS = 8;
    private static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;
    private static final int CAP_DAC_OVERRIDE = 1;

    private ThreadCredentials() {
    }

    static void becomeUser(int uid, int gid) throws SystemCallException {
        SyscallNumbers numbers = SyscallNumbers.forThisMachine();
        // Keep the permitted capabilities across the uid change so CAP_DAC_OVERRIDE can be made effective.
        check(CALLS.prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0), "prctl(PR_SET_KEEPCAPS)");
        check(CALLS.syscall(numbers.setgroups, 0, 0, 0), "setgroups");
        check(CALLS.syscall(numbers.setresgid, gid, gid, gid), "setresgid");
        check(CALLS.syscall(numbers.setresuid, uid, uid, uid), "setresuid");
        // capset(2), linux/capability.h: header {u32 version; int pid (0: this thread)}, then two
        // {u32 effective, permitted, inheritable} for capabilities 0-31 and 32-63.
        ByteBuffer header = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        header.putInt(0, LINUX_CAPABILITY_VERSION_3).putInt(4, 0);
        ByteBuffer data = ByteBuffer.allocateDirect(24).order(ByteOrder.nativeOrder());
        data.putInt(0, 1 << CAP_DAC_OVERRIDE).putInt(4, 1 << CAP_DAC_OVERRIDE);
        check(CALLS.capset(header, data), "capset");
    }

    private static void check(long result, String call) throws SystemCallException {
        if (result < 0) {
            throw SystemCallException.of(call + " failed", Runtime.getRuntime(CALLS).getLastError());
        }
    }

    /** Per-architecture numbers from the kernel's syscall tables. */
    private record SyscallNumbers(long setgroups, long setresgid, long setresuid) {
        static SyscallNumbers forThisMachine() {
            String arch = System.getProperty("os.arch");
            assumeTrue(arch.equals("amd64") || arch.equals("aarch64"), "per-thread credentials are wired for x86_64 and aarch64 only, not " + arch);
            return arch.equals("amd64") ? new SyscallNumbers(116, 119, 117) : new SyscallNumbers(159, 149, 147);
        }
    }
}
