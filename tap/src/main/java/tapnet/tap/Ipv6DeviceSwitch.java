package tapnet.tap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One per-device IPv6 sysctl of {@code /proc/sys/net/ipv6/conf/DEV/} that holds a number, such as
 * {@code disable_ipv6} or {@code accept_dad} (Documentation/networking/ip-sysctl.rst). The files show the
 * network namespace of the thread that opens them, so read and write on a thread in the interface's
 * namespace, as for the ioctls. Their owner is the namespace's root, so the root of a user namespace that
 * owns the network namespace (a rootless run) may write them.
 */
final class Ipv6DeviceSwitch {
    static final Path CONF = Path.of("/proc/sys/net/ipv6/conf");

    private final String device;
    private final Path file;

    Ipv6DeviceSwitch(String device, String name) {
        this.device = InterfaceRequest.checkName(device);
        this.file = CONF.resolve(device).resolve(name);
    }

    int read() throws SystemCallException {
        try {
            return Integer.parseInt(Files.readString(file).trim());
        } catch (IOException e) {
            throw SystemCallException.ofFile("cannot read " + file, e, fix(e));
        }
    }

    void write(int value) throws SystemCallException {
        try {
            Files.writeString(file, Integer.toString(value));
        } catch (IOException e) {
            throw SystemCallException.ofFile("cannot set " + file + " to " + value, e, fix(e));
        }
    }

    private String fix(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "Interface " + device + " has no IPv6 in this network namespace: the kernel keeps none on an interface"
                    + " whose MTU is under 1280, and none at all when booted with ipv6.disable=1";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Changing an interface needs root or CAP_NET_ADMIN; without them, have an administrator set it once"
                    + " (sysctl -w net.ipv6.conf." + device + "." + file.getFileName() + "=VALUE)";
        }
        return null;
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
