package tapnet.tap;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run by {@link Ipv6RootlessTest} as nobody in a user and network namespace of its own ({@code unshare -Urn}),
 * as a rootless tapnet run is: makes a TAP, gives it IPv4 and IPv6 addresses and an IPv6 route, and prints
 * what the kernel then shows.
 */
public final class Ipv6RootlessProbe {
    private Ipv6RootlessProbe() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("uid_map: " + Files.readString(Path.of("/proc/self/uid_map")).trim().replaceAll("\\s+", " "));
        try (TapDevice tap = TapDevice.open("tapnet0")) {
            tap.configure(new InterfaceSettings(InterfaceAddress.parse("10.241.88.1/24"), 1500,
                    Ipv6InterfaceAddress.parse("fd77:241:88::1/64")));
            Ipv6Subnet routed = Ipv6Subnet.parse("fd77:241:89::/64");
            Ipv6RouteControl.add(routed, 0xfd77_0241_0088_0000L, 0xfe);
            for (String line : Files.readAllLines(Ipv6AddressControl.THREAD_ADDRESSES)) {
                if (line.startsWith("fd770241008800000000000000000001")) {
                    System.out.println("address: " + line.trim().replaceAll("\\s+", " "));
                }
            }
            System.out.println("route: " + Ipv6Routes.current().overlapping(routed));
            System.out.println("accept_dad: " + new Ipv6DeviceSwitch("tapnet0", "accept_dad").read());
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("fd77:241:88::1"), 0))) {
                System.out.println("bound: " + socket.getLocalAddress().getHostAddress());
            }
        }
    }
}
