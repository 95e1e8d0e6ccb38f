package tapnet.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.frame.Offload;
import tapnet.frame.VirtioNetHeader;
import tapnet.frame.WireFrames;
import tapnet.testing.FrameBuilder;
import tapnet.wire.EthernetFrame;
import tapnet.wire.InternetChecksum;
import tapnet.wire.Ipv4Address;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.MacAddress;
import tapnet.wire.TcpSegment;

/**
 * The kernel segments the same GSO frame, and tapnet's wire frames must match its segments header for
 * header. In a namespace the kernel routes between two TAPs: tapnet writes an offloaded frame into
 * {@code gsoin} (virtio-net header first, as the kernel hands frames to tapnet), the kernel forwards it out
 * of {@code gsoout}, a TAP without checksum or segmentation offload (no TUNSETOFFLOAD: its features lack
 * NETIF_F_TSO* and NETIF_F_HW_CSUM), so that dev_queue_xmit has to segment in software (skb_gso_segment) and
 * complete checksums (skb_checksum_help) before the frames reach tapnet's read. Each of those must equal the
 * one WireFrames makes, but for what forwarding changes: the TTL or hop limit, one less, and the IPv4
 * header checksum that covers it.
 */
@Timeout(60)
class WireFramesAgainstKernelTest {
    private static final String IN = "gsoin";
    private static final String OUT = "gsoout";
    private static final int SOURCE = Ipv4Address.parse("10.241.70.2");
    private static final int DESTINATION = Ipv4Address.parse("10.241.71.2");
    private static final String SOURCE6 = "fd00:241:70::2";
    private static final String DESTINATION6 = "fd00:241:71::2";
    private static final long SOURCE_MAC = 0x02_00_0a_f1_46_02L;
    private static final long DESTINATION_MAC = 0x02_00_0a_f1_47_02L;
    private static final int ETH = 14;
    private static final int MSS = 1448;
    private static final int MAX_FRAME = 1514;
    /** RFC 8200 §4.6: a Destination Options header of 8 bytes, PadN inside; its next header is filled in. */
    private static final int DESTINATION_OPTIONS_HEADER = 60;
    private static final byte[] DESTINATION_OPTIONS = {0, 0, 1, 4, 0, 0, 0, 0};

    @BeforeEach
    void needsRoot() {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("sysctl");
    }

    @Test
    void tcpv4GsoFrameIsCutIntoTheSegmentsTheKernelMakes() throws Exception {
        byte[] frame = FrameBuilder.tcp(SOURCE_MAC, 0, SOURCE, DESTINATION).ports(40001, 5001).seq(0xfffff000).ack(77)
                .flags(TcpSegment.ACK | TcpSegment.PSH | TcpSegment.CWR | TcpSegment.ECE).window(1000).timestamps(11, 22)
                .payload(payload(4 * MSS + 700)).build();
        ByteBuffer b = ByteBuffer.wrap(frame).putShort(ETH + 4, (short) 0xfffd); // ids wrap past 65535
        long offload = Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_TCPV4 | Offload.GSO_ECN, MSS, ETH + 20, 16);
        assertSameAsKernel(ipv4(b, Ipv4Packet.PROTOCOL_TCP), offload, 5);
    }

    @Test
    void tcpv4GsoFrameWithFinIsCutIntoTheSegmentsTheKernelMakes() throws Exception {
        byte[] frame = FrameBuilder.tcp(SOURCE_MAC, 0, SOURCE, DESTINATION).ports(40002, 5001).seq(1).ack(2)
                .flags(TcpSegment.ACK | TcpSegment.FIN).payload(payload(3 * 1400)).build();
        long offload = Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_TCPV4, 1400, ETH + 20, 16);
        assertSameAsKernel(ipv4(ByteBuffer.wrap(frame), Ipv4Packet.PROTOCOL_TCP), offload, 3);
    }

    @Test
    void tcpv4GsoFrameOfExactlyGsoSizeIsOneFrameAsTheKernelSendsIt() throws Exception {
        byte[] frame = FrameBuilder.tcp(SOURCE_MAC, 0, SOURCE, DESTINATION).ports(40007, 5001).seq(9).ack(10)
                .flags(TcpSegment.ACK | TcpSegment.PSH).payload(payload(MSS)).build();
        long offload = Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_TCPV4, MSS, ETH + 20, 16);
        assertSameAsKernel(ipv4(ByteBuffer.wrap(frame), Ipv4Packet.PROTOCOL_TCP), offload, 1);
    }

    @Test
    void partialTcpChecksumIsCompletedAsTheKernelDoes() throws Exception {
        byte[] frame = FrameBuilder.tcp(SOURCE_MAC, 0, SOURCE, DESTINATION).ports(40003, 5001).seq(5).ack(6)
                .flags(TcpSegment.ACK | TcpSegment.PSH).payload(payload(999)).build();
        assertSameAsKernel(ipv4(ByteBuffer.wrap(frame), Ipv4Packet.PROTOCOL_TCP), Offload.partialChecksum(ETH + 20, 16), 1);
    }

    @Test
    void partialUdpChecksumIsCompletedAsTheKernelDoes() throws Exception {
        byte[] frame = FrameBuilder.udp(SOURCE_MAC, 0, SOURCE, DESTINATION, 40004, 5001, payload(777));
        assertSameAsKernel(ipv4(ByteBuffer.wrap(frame), Ipv4Packet.PROTOCOL_UDP), Offload.partialChecksum(ETH + 20, 6), 1);
    }

    @Test
    void usoOverIpv4IsCutIntoTheDatagramsTheKernelMakes() throws Exception {
        byte[] frame = FrameBuilder.udp(SOURCE_MAC, 0, SOURCE, DESTINATION, 40005, 5001, payload(3 * 1200 + 33));
        long offload = Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_UDP_L4, 1200, ETH + 20, 6);
        assertSameAsKernel(ipv4(ByteBuffer.wrap(frame), Ipv4Packet.PROTOCOL_UDP), offload, 4);
    }

    @Test
    void tcpv6GsoFrameIsCutIntoTheSegmentsTheKernelMakes() throws Exception {
        byte[] frame = ipv6Frame(Ipv4Packet.PROTOCOL_TCP, null, payload(3 * 1400 + 1));
        long offload = Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_TCPV6, 1400, ETH + 40, 16);
        assertSameAsKernel(frame, offload, 4);
    }

    @Test
    void tcpv6GsoFrameWithADestinationOptionsHeaderIsCutIntoTheSegmentsTheKernelMakes() throws Exception {
        byte[] frame = ipv6Frame(Ipv4Packet.PROTOCOL_TCP, DESTINATION_OPTIONS, payload(2 * 1400 + 600));
        long offload = Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_TCPV6, 1400, ETH + 48, 16);
        assertSameAsKernel(frame, offload, 3);
    }

    @Test
    void usoOverIpv6IsCutIntoTheDatagramsTheKernelMakes() throws Exception {
        byte[] frame = ipv6Frame(Ipv4Packet.PROTOCOL_UDP, null, payload(2 * 1200 + 5));
        long offload = Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_UDP_L4, 1200, ETH + 40, 6);
        assertSameAsKernel(frame, offload, 3);
    }

    /** Has the kernel forward {@code frame}, makes its wire frames, and compares them field by field. */
    private static void assertSameAsKernel(byte[] frame, long offload, int expectedFrames) throws Exception {
        List<byte[]> kernel;
        try (KernelRouter router = KernelRouter.create()) {
            // to the router's MAC, so that the kernel takes the frame for itself to forward
            new EthernetFrame().wrap(ByteBuffer.wrap(frame), 0, ETH).setDestination(router.inMac);
            kernel = router.forward(frame, offload, expectedFrames);
        }
        WireFrames wireFrames = new WireFrames(MAX_FRAME);
        List<byte[]> ours = new ArrayList<>();
        assertEquals(expectedFrames, wireFrames.begin(ByteBuffer.wrap(frame), 0, frame.length, offload));
        for (int n; (n = wireFrames.next()) > 0; ) {
            byte[] made = Arrays.copyOf(wireFrames.buffer().array(), n);
            forwarded(made);
            ours.add(made);
        }
        StringBuilder differences = new StringBuilder();
        for (int i = 0; i < Math.max(kernel.size(), ours.size()); i++) {
            if (i >= kernel.size() || i >= ours.size()) {
                differences.append("\nframe ").append(i).append(": only ").append(i < ours.size() ? "tapnet" : "the kernel").append(" made it");
                continue;
            }
            FrameFields.differences(i, kernel.get(i), ours.get(i), differences);
            FrameFields.checksumProblems(i, "kernel", kernel.get(i), differences);
            FrameFields.checksumProblems(i, "tapnet", ours.get(i), differences);
        }
        assertTrue(differences.isEmpty(), Offload.describe(offload) + ", " + kernel.size() + " frames from the kernel, "
                + ours.size() + " from tapnet:" + differences);
    }

    /** What forwarding does to a frame tapnet made: one hop less, and the IPv4 header checksum again. */
    private static void forwarded(byte[] frame) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        if (b.getShort(12) == 0x0800) {
            b.put(ETH + 8, (byte) (b.get(ETH + 8) - 1)).putShort(ETH + 10, (short) 0);
            b.putShort(ETH + 10, (short) InternetChecksum.of(b, ETH, (b.get(ETH) & 0xf) * 4));
        } else {
            b.put(ETH + 7, (byte) (b.get(ETH + 7) - 1));
        }
    }

    /**
     * An IPv4 frame from FrameBuilder (changed, perhaps), its IP header checksum made right again and its
     * transport checksum left partial: the pseudo-header's sum only.
     */
    private static byte[] ipv4(ByteBuffer frame, int protocol) {
        frame.putShort(ETH + 10, (short) 0).putShort(ETH + 10, (short) InternetChecksum.of(frame, ETH, 20));
        long pseudo = InternetChecksum.pseudoHeader(SOURCE, DESTINATION, protocol, frame.capacity() - ETH - 20);
        frame.putShort(ETH + 20 + (protocol == Ipv4Packet.PROTOCOL_TCP ? 16 : 6), (short) ~InternetChecksum.finish(pseudo));
        return frame.array();
    }

    /**
     * An Ethernet + IPv6 frame, a Destination Options header {@code extension} (or none) before its TCP
     * (ACK|PSH|FIN) or UDP header, the transport checksum partial.
     */
    private static byte[] ipv6Frame(int protocol, byte[] extension, byte[] payload) throws Exception {
        int header = protocol == Ipv4Packet.PROTOCOL_TCP ? 20 : 8;
        int transport = ETH + 40 + (extension == null ? 0 : extension.length);
        int length = header + payload.length;
        ByteBuffer b = ByteBuffer.allocate(transport + length);
        b.putLong(6, SOURCE_MAC << 16).putShort(12, (short) 0x86dd);
        b.putInt(ETH, 0x6000_0000).putShort(ETH + 4, (short) (transport - ETH - 40 + length)).put(ETH + 7, (byte) 64);
        b.put(ETH + 6, (byte) (extension == null ? protocol : DESTINATION_OPTIONS_HEADER));
        b.put(ETH + 8, InetAddress.getByName(SOURCE6).getAddress()).put(ETH + 24, InetAddress.getByName(DESTINATION6).getAddress());
        if (extension != null) {
            b.put(ETH + 40, extension).put(ETH + 40, (byte) protocol);
        }
        b.putShort(transport, (short) 40006).putShort(transport + 2, (short) 5001);
        if (protocol == Ipv4Packet.PROTOCOL_TCP) {
            b.putInt(transport + 4, 1000).putInt(transport + 8, 2000).put(transport + 12, (byte) 0x50)
                    .put(transport + 13, (byte) (TcpSegment.ACK | TcpSegment.PSH | TcpSegment.FIN)).putShort(transport + 14, (short) 512);
        } else {
            b.putShort(transport + 4, (short) length);
        }
        b.put(transport + header, payload);
        long pseudo = InternetChecksum.add(protocol + length, b, ETH + 8, 32); // RFC 8200 §8.1
        b.putShort(transport + (protocol == Ipv4Packet.PROTOCOL_TCP ? 16 : 6), (short) ~InternetChecksum.finish(pseudo));
        return b.array();
    }

    private static byte[] payload(int length) {
        byte[] payload = new byte[length];
        new SplittableRandom(length).nextBytes(payload);
        return payload;
    }

    /**
     * Two TAPs in a namespace that forwards between them: {@code gsoin} (10.241.70.1/24, fd00:241:70::1/64)
     * with virtio-net headers, {@code gsoout} (10.241.71.1/24, fd00:241:71::1/64) without any offload, with
     * permanent neighbours for the destinations so that no ARP or neighbour discovery holds frames back.
     */
    private static final class KernelRouter implements AutoCloseable {
        private static final Pattern ETHER = Pattern.compile("link/ether ([0-9a-f:]{17})");

        private final TestNamespace ns;
        private TapDevice in;
        private TapDevice out;
        private long inMac;

        private KernelRouter(TestNamespace ns) {
            this.ns = ns;
        }

        static KernelRouter create() throws Exception {
            KernelRouter router = new KernelRouter(TestNamespace.create());
            try {
                router.setUp();
                return router;
            } catch (Exception | Error e) {
                router.close();
                throw e;
            }
        }

        private void setUp() throws Exception {
            in = ns.call(() -> TapDevice.open(IN, true));
            out = ns.call(() -> TapDevice.open(OUT, false));
            assertTrue(in.offloads(), "the kernel took IFF_VNET_HDR on " + IN);
            sysctl("net.ipv4.ip_forward=1");
            sysctl("net.ipv6.conf.all.forwarding=1");
            sysctl("net.ipv6.conf.all.accept_dad=0");
            for (String[] device : new String[][] {{IN, "10.241.70.1/24", "fd00:241:70::1/64"}, {OUT, "10.241.71.1/24", "fd00:241:71::1/64"}}) {
                ns.ip("addr", "add", device[1], "dev", device[0]);
                ns.ip("-6", "addr", "add", device[2], "dev", device[0], "nodad");
                ns.ip("link", "set", "dev", device[0], "up");
            }
            ns.ip("neigh", "add", Ipv4Address.format(DESTINATION), "lladdr", MacAddress.format(DESTINATION_MAC), "dev", OUT, "nud", "permanent");
            ns.ip("-6", "neigh", "add", DESTINATION6, "lladdr", MacAddress.format(DESTINATION_MAC), "dev", OUT, "nud", "permanent");
            Matcher mac = ETHER.matcher(ns.ip("-o", "link", "show", "dev", IN));
            assertTrue(mac.find(), "the MAC of " + IN);
            inMac = MacAddress.parse(mac.group(1));
            // Wait for the IPv6 addresses to be usable: routes to their subnets appear once they are.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (ns.ip("-6", "addr", "show", "tentative").contains("fd00:241") || !ns.ip("-6", "route").contains("fd00:241:71::/64")) {
                assertTrue(System.nanoTime() < deadline, "IPv6 addresses still tentative: " + ns.ip("-6", "addr"));
                Thread.sleep(20);
            }
        }

        private void sysctl(String setting) {
            ExternalCommand result = ns.exec(5, "sysctl", "-q", "-w", setting);
            assertEquals(0, result.exitCode(), result.describe());
        }

        /**
         * Writes {@code frame} into {@code gsoin} with a virtio-net header for {@code offload}, and returns the
         * frames to the destination that come out of {@code gsoout}: {@code expected} of them, or what came
         * within 3 s.
         */
        List<byte[]> forward(byte[] frame, long offload, int expected) throws Exception {
            ByteBuffer written = ByteBuffer.allocateDirect(VirtioNetHeader.LENGTH + frame.length);
            int headerLength = Offload.isGso(offload) ? Offload.checksumStart(offload) + 20 : 0; // hdr_len, a hint
            VirtioNetHeader.write(written, 0, offload, headerLength);
            written.put(VirtioNetHeader.LENGTH, frame);
            int n = in.write(written, written.capacity());
            assertEquals(written.capacity(), n, "write into " + IN + " (negative: -errno)");

            List<byte[]> frames = new ArrayList<>();
            ByteBuffer read = ByteBuffer.allocateDirect(2048);
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (frames.size() < expected && System.nanoTime() < deadline) {
                int length = out.read(read);
                if (length == TapDevice.WOULD_BLOCK) {
                    Thread.sleep(2);
                    continue;
                }
                assertTrue(length > 0, "read from " + OUT + " failed: errno " + -length);
                byte[] bytes = new byte[length];
                read.get(0, bytes);
                if (toDestination(bytes)) {
                    frames.add(bytes);
                }
            }
            return frames;
        }

        /** IPv4 to 10.241.71.2 or IPv6 to fd00:241:71::2; not router solicitations, MLD reports and the like. */
        private static boolean toDestination(byte[] frame) throws Exception {
            ByteBuffer b = ByteBuffer.wrap(frame);
            if (frame.length >= ETH + 20 && b.getShort(12) == 0x0800) {
                return b.getInt(ETH + 16) == DESTINATION;
            }
            return frame.length >= ETH + 40 && b.getShort(12) == (short) 0x86dd
                    && Arrays.equals(frame, ETH + 24, ETH + 40, InetAddress.getByName(DESTINATION6).getAddress(), 0, 16);
        }

        @Override
        public void close() throws Exception {
            try {
                if (in != null) {
                    in.close();
                }
                if (out != null) {
                    out.close();
                }
            } finally {
                ns.close();
            }
        }
    }

    /** Names the fields of IPv4/IPv6 and TCP/UDP headers where two frames differ, for the failure message. */
    private static final class FrameFields {
        private FrameFields() {
        }

        static void differences(int index, byte[] kernel, byte[] ours, StringBuilder out) {
            ByteBuffer k = ByteBuffer.wrap(kernel);
            ByteBuffer t = ByteBuffer.wrap(ours);
            if (kernel.length != ours.length) {
                out.append("\nframe ").append(index).append(": length kernel ").append(kernel.length).append(" tapnet ").append(ours.length);
            }
            int length = Math.min(kernel.length, ours.length);
            boolean ipv6 = k.getShort(12) == (short) 0x86dd;
            int transport;
            if (ipv6) {
                compare(index, "IPv6 version/class/flow", k, t, ETH, 4, out);
                compare(index, "IPv6 payload length", k, t, ETH + 4, 2, out);
                compare(index, "IPv6 next header", k, t, ETH + 6, 1, out);
                compare(index, "IPv6 hop limit", k, t, ETH + 7, 1, out);
                compare(index, "IPv6 addresses", k, t, ETH + 8, 32, out);
                transport = transport(k);
                if (transport > ETH + 40) {
                    compare(index, "IPv6 extension headers", k, t, ETH + 40, transport - ETH - 40, out);
                }
            } else {
                compare(index, "IPv4 version/ihl/tos", k, t, ETH, 2, out);
                compare(index, "IPv4 total length", k, t, ETH + 2, 2, out);
                compare(index, "IPv4 id", k, t, ETH + 4, 2, out);
                compare(index, "IPv4 flags/fragment offset", k, t, ETH + 6, 2, out);
                compare(index, "IPv4 TTL (tapnet's forwarded)", k, t, ETH + 8, 1, out);
                compare(index, "IPv4 protocol", k, t, ETH + 9, 1, out);
                compare(index, "IPv4 header checksum", k, t, ETH + 10, 2, out);
                compare(index, "IPv4 addresses", k, t, ETH + 12, 8, out);
                transport = transport(k);
            }
            int protocol = protocol(k);
            int payload;
            if (protocol == Ipv4Packet.PROTOCOL_TCP) {
                compare(index, "TCP ports", k, t, transport, 4, out);
                compare(index, "TCP seq", k, t, transport + 4, 4, out);
                compare(index, "TCP ack", k, t, transport + 8, 4, out);
                compare(index, "TCP data offset", k, t, transport + 12, 1, out);
                compare(index, "TCP flags", k, t, transport + 13, 1, out);
                compare(index, "TCP window", k, t, transport + 14, 2, out);
                compare(index, "TCP checksum", k, t, transport + 16, 2, out);
                compare(index, "TCP urgent pointer", k, t, transport + 18, 2, out);
                payload = transport + ((k.get(transport + 12) & 0xff) >>> 4) * 4;
                if (!Arrays.equals(kernel, transport + 20, Math.min(payload, length), ours, transport + 20, Math.min(payload, length))) {
                    out.append("\nframe ").append(index).append(": TCP options differ");
                }
            } else {
                compare(index, "UDP ports", k, t, transport, 4, out);
                compare(index, "UDP length", k, t, transport + 4, 2, out);
                compare(index, "UDP checksum", k, t, transport + 6, 2, out);
                payload = transport + 8;
            }
            if (payload <= length && !Arrays.equals(kernel, payload, kernel.length, ours, payload, ours.length)) {
                out.append("\nframe ").append(index).append(": payload differs");
            }
        }

        /** Says so when a frame's IPv4 header or transport checksum is wrong. */
        static void checksumProblems(int index, String maker, byte[] frame, StringBuilder out) {
            ByteBuffer b = ByteBuffer.wrap(frame);
            int transport = transport(b);
            int protocol = protocol(b);
            int length = frame.length - transport;
            long pseudo;
            if (b.getShort(12) == (short) 0x86dd) {
                pseudo = InternetChecksum.add(protocol + length, b, ETH + 8, 32);
            } else {
                if (InternetChecksum.of(b, ETH, transport - ETH) != 0) {
                    out.append("\nframe ").append(index).append(": ").append(maker).append("'s IPv4 header checksum is wrong");
                }
                pseudo = InternetChecksum.pseudoHeader(b.getInt(ETH + 12), b.getInt(ETH + 16), protocol, length);
            }
            if (InternetChecksum.finish(InternetChecksum.add(pseudo, b, transport, length)) != 0) {
                out.append("\nframe ").append(index).append(": ").append(maker).append("'s ")
                        .append(protocol == Ipv4Packet.PROTOCOL_TCP ? "TCP" : "UDP").append(" checksum is wrong");
            }
        }

        /** Where the TCP or UDP header starts: past the IPv4 header, or the IPv6 header and the test's Destination Options. */
        private static int transport(ByteBuffer frame) {
            if (frame.getShort(12) != (short) 0x86dd) {
                return ETH + (frame.get(ETH) & 0xf) * 4;
            }
            return frame.get(ETH + 6) == DESTINATION_OPTIONS_HEADER ? ETH + 40 + DESTINATION_OPTIONS.length : ETH + 40;
        }

        private static int protocol(ByteBuffer frame) {
            if (frame.getShort(12) != (short) 0x86dd) {
                return frame.get(ETH + 9);
            }
            return frame.get(ETH + 6) == DESTINATION_OPTIONS_HEADER ? frame.get(ETH + 40) : frame.get(ETH + 6);
        }

        private static void compare(int index, String field, ByteBuffer kernel, ByteBuffer ours, int at, int length, StringBuilder out) {
            if (at + length > kernel.capacity() || at + length > ours.capacity()) {
                out.append("\nframe ").append(index).append(": ").append(field).append(" missing");
                return;
            }
            if (!kernel.slice(at, length).equals(ours.slice(at, length))) {
                out.append("\nframe ").append(index).append(": ").append(field).append(" kernel ").append(hex(kernel, at, length))
                        .append(" tapnet ").append(hex(ours, at, length));
            }
        }

        private static String hex(ByteBuffer b, int at, int length) {
            StringBuilder text = new StringBuilder("0x");
            for (int i = 0; i < length; i++) {
                text.append(String.format("%02x", b.get(at + i)));
            }
            return text.toString();
        }
    }
}
