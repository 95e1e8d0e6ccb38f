package tapnet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tapnet.tap.ExternalCommand;
import tapnet.tap.TestNamespace;

/**
 * The other side of a VXLAN segment in tests: an underlay between two namespaces and a Linux {@code vxlan}
 * device, with a server behind it. Every device is made inside the tests' namespaces, never in the machine's.
 */
final class KernelVxlan {
    static final int VNI = 42;

    private KernelVxlan() {
    }

    /** A program the test started in the background: stopped (SIGTERM, then waited for) on close. */
    record Background(Process process) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /**
     * A veth pair from {@code underlay} ({@code vu}, address {@code tapnetSide}) to {@code kernel} ({@code vk},
     * {@code kernelSide}), MTU 1600 so that a 1514-byte frame crosses in one datagram, and in {@code kernel}
     * a vxlan device {@code vx0} of VNI {@value #VNI} to {@code tapnetSide}, with {@code address} on it.
     */
    static void join(TestNamespace underlay, TestNamespace kernel, String tapnetSide, String kernelSide, String address) {
        underlay.vethTo(kernel, "vu", tapnetSide + "/24", "vk", kernelSide + "/24", 1600);
        kernel.ip("link", "add", "vx0", "mtu", "1500", "type", "vxlan", "id", String.valueOf(VNI), "local", kernelSide,
                "remote", tapnetSide, "dstport", "4789", "dev", "vk");
        kernel.ip("addr", "add", address, "dev", "vx0");
        kernel.ip("link", "set", "vx0", "up");
        // Over veth no NIC fills in the inner TCP and UDP checksums the vxlan device leaves to hardware: the
        // device must, as it would in front of a NIC that cannot
        ExternalCommand offloads = kernel.exec(10, "ethtool", "-K", "vx0", "tx", "off");
        if (offloads.exitCode() != 0) {
            throw new AssertionError("cannot turn vx0's checksum offload off: " + offloads.describe());
        }
        kernel.ip("link", "set", "lo", "up");
    }

    /** Python's HTTP server on {@code address}:8080 in {@code namespace}, listening when this returns. */
    static Background httpServer(TestNamespace namespace, String address, Path dir) throws Exception {
        Files.writeString(dir.resolve("index.html"), "hello from the kernel's side\n");
        Process server = new ProcessBuilder("ip", "netns", "exec", namespace.name(), python(), "-m", "http.server", "--bind",
                address, "--directory", dir.toString(), "8080").redirectErrorStream(true)
                .redirectOutput(dir.resolve("http-server.log").toFile()).start();
        for (int i = 0; i < 100; i++) {
            if (namespace.exec(5, "ss", "-ltn", "sport", "= :8080").output().contains(address + ":8080")) {
                return new Background(server);
            }
            Thread.sleep(100);
        }
        server.destroyForcibly();
        throw new IOException("the HTTP server in " + namespace.name() + " did not listen: " + Files.readString(dir.resolve("http-server.log")));
    }

    /** tcpdump of the underlay's VXLAN port on {@code vu} into {@code file}, until the process is destroyed. */
    static Background capture(TestNamespace underlay, Path file) throws Exception {
        Process capture = new ProcessBuilder("ip", "netns", "exec", underlay.name(), "tcpdump", "-i", "vu", "-U", "-w",
                file.toString(), "udp", "port", "4789").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        for (int i = 0; i < 50 && !Files.exists(file); i++) {
            Thread.sleep(100);
        }
        Thread.sleep(300); // listening once the file exists, give or take
        return new Background(capture);
    }

    /**
     * Three datagrams to {@code to}'s VXLAN port that are not the segment's: the I flag clear, another VNI, and
     * one from an address that is no remote (10.243.60.3, added to {@code vk}).
     */
    static void sendMalformed(TestNamespace kernel, String to, int vni) {
        kernel.ip("addr", "add", "10.243.60.3/24", "dev", "vk");
        String script = String.join("\n", List.of(
                "import socket, struct",
                "frame = b'\\xff' * 6 + b'\\x02\\x00\\x00\\x00\\x00\\x09' + b'\\x08\\x06' + bytes(28)",
                "def send(source, flags, vni):",
                "    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
                "    s.bind((source, 0))",
                "    s.sendto(struct.pack('!II', flags << 24, vni << 8) + frame, ('" + to + "', 4789))",
                "    s.close()",
                "send('10.243.60.2', 0, " + vni + ")",
                "send('10.243.60.2', 0x08, " + (vni + 1) + ")",
                "send('10.243.60.3', 0x08, " + vni + ")"));
        ExternalCommand sent = kernel.exec(20, python(), "-c", script);
        if (sent.exitCode() != 0) {
            throw new AssertionError("could not send the malformed datagrams: " + sent.describe());
        }
    }

    static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }
}
