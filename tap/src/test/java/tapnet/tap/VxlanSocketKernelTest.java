package tapnet.tap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.wire.ArpPacket;
import tapnet.wire.EthernetFrame;
import tapnet.wire.IcmpMessage;
import tapnet.wire.Ipv4Address;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.MacAddress;
import tapnet.wire.VxlanHeader;

/**
 * A {@link VxlanSocket} against a Linux vxlan device ({@link VxlanUnderlay}): the kernel's frames reach it from
 * its remote, its frames reach the kernel at the VXLAN port (though the kernel sends from other source ports),
 * and any datagram, VXLAN or not, comes whole with who sent it: judging it is the engine's job.
 */
@Timeout(60)
class VxlanSocketKernelTest {
    private static final int ROOM = 2048;
    private static final long SOCKET_MAC = 0x02_00_0a_f1_5b_02L;
    private static final int SOCKET_OVERLAY = Ipv4Address.parse(VxlanUnderlay.SOCKET_OVERLAY);
    /** Remote 0 is an address nobody holds, remote 1 the kernel: the sender is told by the index. */
    private static final int KERNEL = 1;

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(ROOM);
    private final ByteBuffer reply = ByteBuffer.allocateDirect(ROOM);
    private final EthernetFrame ethernet = new EthernetFrame();
    private final ArpPacket arp = new ArpPacket();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final IcmpMessage icmp = new IcmpMessage();
    private VxlanUnderlay underlay;
    private VxlanSocket socket;

    @BeforeEach
    void underlay() throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("ping");
        TapTestEnvironment.assumeCommand("sysctl");
        underlay = VxlanUnderlay.create();
        socket = VxlanSocket.open(underlay.socket.namespace(), Ipv4Address.parse(VxlanUnderlay.SOCKET_UNDERLAY),
                VxlanHeader.DEFAULT_PORT, VxlanUnderlay.VNI,
                new int[] {Ipv4Address.parse("10.241.90.3"), Ipv4Address.parse(VxlanUnderlay.KERNEL_UNDERLAY)});
    }

    @AfterEach
    void removeUnderlay() throws Exception {
        if (socket != null) {
            socket.close();
        }
        if (underlay != null) {
            underlay.close();
        }
    }

    @Test
    void theKernelsArpRequestArrivesAsAFrameOfItsVni() throws Exception {
        CompletableFuture<ExternalCommand> ping = pingFromTheKernel(1);

        int length = receiveFrameOfType(EthernetFrame.TYPE_ARP);
        ping.join();

        assertEquals(VxlanUnderlay.VNI, new VxlanHeader().wrap(buffer, 0, VxlanHeader.LENGTH).vni());
        arp.wrap(buffer, ethernet.payloadOffset(), ethernet.payloadLength());
        assertTrue(arp.isValidEthernetIpv4());
        assertEquals(ArpPacket.OPERATION_REQUEST, arp.operation());
        assertEquals(SOCKET_OVERLAY, arp.targetIp());
        assertEquals(Ipv4Address.parse(VxlanUnderlay.KERNEL_OVERLAY), arp.senderIp());
        assertEquals(MacAddress.BROADCAST, ethernet.destination());
        assertEquals(VxlanUnderlay.VNI, socket.vni());
        assertEquals(KERNEL, socket.sender());
        assertTrue(length >= EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH);
    }

    @Test
    void theKernelTakesTheSocketsFramesAndItsPingIsAnswered() throws Exception {
        CompletableFuture<ExternalCommand> ping = pingFromTheKernel(5);

        receiveFrameOfType(EthernetFrame.TYPE_ARP);
        answerArp();
        receiveFrameOfType(EthernetFrame.TYPE_IPV4);
        answerEcho();

        ExternalCommand result = ping.join();
        assertEquals(0, result.exitCode(), result.describe());
        String neighbours = underlay.kernel.ip("neigh", "show", VxlanUnderlay.SOCKET_OVERLAY, "dev", "vx0");
        assertTrue(neighbours.contains(MacAddress.format(SOCKET_MAC)), neighbours);
        assertEquals(2, socket.sent(KERNEL));
    }

    @Test
    void datagramsComeWholeAndUnjudgedWithTheRemoteThatSentThem() throws Exception {
        try (DatagramChannel plain = underlay.kernel.call(DatagramChannel::open)) {
            String frame = "ffffffffffff 020000000001 0806" + "00".repeat(28);
            send(plain, "0800000000");                           // shorter than a header
            send(plain, "0000000000002a00" + frame);             // I flag clear
            send(plain, "0800000000002b00" + frame);             // VNI 43
            send(plain, "0800000000002a00" + frame + "00".repeat(ROOM)); // longer than the room

            int[] lengths = new int[4];
            for (int i = 0; i < lengths.length; i++) {
                lengths[i] = receiveDatagram();
                assertEquals(KERNEL, socket.sender(), "datagram " + i);
            }
            assertArrayEquals(new int[] {5, 50, 50, ROOM}, lengths, "the last filled the room: the reader takes it as cut");
            assertEquals(4, socket.received(KERNEL));
        }
    }

    @Test
    void aDatagramFromAnAddressThatIsNoRemoteComesAsFromAnUnknownSender() throws Exception {
        // from the socket's own namespace, from 127.0.0.1: an underlay address that is none of the remotes
        underlay.socket.namespace().loopbackUp();
        try (DatagramChannel stranger = underlay.socket.call(() -> DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0)))) {
            send(stranger, "0800000000002a00" + "ffffffffffff 020000000001 0806" + "00".repeat(28));

            assertEquals(50, receiveDatagram());
            assertEquals(VxlanSocket.UNKNOWN_SENDER, socket.sender());
            assertEquals(1, socket.receivedFromUnknown());
            assertEquals(0, socket.received(KERNEL));
        }
    }

    private int receiveDatagram() throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            int length = socket.receive(buffer, 0, ROOM);
            if (length != VxlanSocket.WOULD_BLOCK) {
                return length;
            }
            Thread.sleep(1);
        }
        return fail("no datagram in 5 s");
    }

    @Test
    void tsharkDecodesTheSocketsDatagramsAsVxlan() throws Exception {
        TapTestEnvironment.assumeCommand("tcpdump");
        TapTestEnvironment.assumeCommand("tshark");
        java.nio.file.Path capture = java.nio.file.Files.createTempFile("tapnet-vxlan", ".pcap");
        try {
            CompletableFuture<ExternalCommand> tcpdump = CompletableFuture.supplyAsync(() -> underlay.socket.exec(20,
                    "tcpdump", "-Z", "root", "-i", "vxb", "-c", "1", "-w", capture.toString(),
                    "udp and src host " + VxlanUnderlay.SOCKET_UNDERLAY));
            int length = EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH;
            new EthernetFrame().wrap(reply, 0, length)
                    .setDestination(MacAddress.BROADCAST).setSource(SOCKET_MAC).setEtherType(EthernetFrame.TYPE_ARP);
            new ArpPacket().wrap(reply, EthernetFrame.HEADER_LENGTH, ArpPacket.LENGTH).write(ArpPacket.OPERATION_REQUEST,
                    SOCKET_MAC, SOCKET_OVERLAY, 0, Ipv4Address.parse(VxlanUnderlay.KERNEL_OVERLAY));
            while (!tcpdump.isDone()) { // until tcpdump, once listening, has taken one
                socket.send(reply, 0, length, KERNEL);
                Thread.sleep(100);
            }
            assertEquals(0, tcpdump.join().exitCode(), tcpdump.join().describe());

            String decoded = ExternalCommand.check("tshark", "-r", capture.toString(), "-d", "udp.port==4789,vxlan",
                    "-T", "fields", "-e", "vxlan.flags", "-e", "vxlan.vni", "-e", "arp.src.proto_ipv4", "-e", "arp.dst.proto_ipv4");
            assertEquals("0x0800\t42\t" + VxlanUnderlay.SOCKET_OVERLAY + "\t" + VxlanUnderlay.KERNEL_OVERLAY, decoded.strip());
        } finally {
            java.nio.file.Files.deleteIfExists(capture);
        }
    }

    private static void send(DatagramChannel channel, String hex) throws Exception {
        channel.send(ByteBuffer.wrap(HexFormat.of().parseHex(hex.replace(" ", ""))), VxlanUnderlay.SOCKET_ADDRESS);
    }

    private CompletableFuture<ExternalCommand> pingFromTheKernel(int waitSeconds) {
        return CompletableFuture.supplyAsync(() -> underlay.kernel.exec(waitSeconds + 5,
                "ping", "-c", "1", "-W", Integer.toString(waitSeconds), VxlanUnderlay.SOCKET_OVERLAY));
    }

    /**
     * Polls until a frame of {@code etherType} comes (the kernel may send others first), behind a VXLAN header
     * at 0 in {@link #buffer}; the frame's length.
     */
    private int receiveFrameOfType(int etherType) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            int length = socket.receive(buffer, 0, ROOM) - VxlanHeader.LENGTH;
            if (length >= EthernetFrame.HEADER_LENGTH) {
                ethernet.wrap(buffer, VxlanHeader.LENGTH, length);
                if (ethernet.etherType() == etherType) {
                    return length;
                }
            } else {
                Thread.sleep(1);
            }
        }
        return fail("no frame of type 0x" + Integer.toHexString(etherType) + " in 10 s; " + socket.received() + " datagrams");
    }

    /** Answers the ARP request in {@link #buffer} for the socket's overlay address with {@link #SOCKET_MAC}. */
    private void answerArp() {
        arp.wrap(buffer, ethernet.payloadOffset(), ethernet.payloadLength());
        long requesterMac = arp.senderMac();
        int requesterIp = arp.senderIp();
        int length = EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH;
        new EthernetFrame().wrap(reply, 0, length)
                .setDestination(requesterMac).setSource(SOCKET_MAC).setEtherType(EthernetFrame.TYPE_ARP);
        new ArpPacket().wrap(reply, EthernetFrame.HEADER_LENGTH, ArpPacket.LENGTH)
                .write(ArpPacket.OPERATION_REPLY, SOCKET_MAC, SOCKET_OVERLAY, requesterMac, requesterIp);
        assertTrue(socket.send(reply, 0, length, KERNEL));
    }

    /** Turns the echo request in {@link #buffer} into its reply, in place, and sends it. */
    private void answerEcho() {
        long requesterMac = ethernet.source();
        ethernet.setDestination(requesterMac).setSource(SOCKET_MAC);
        ip.wrap(buffer, ethernet.payloadOffset(), ethernet.payloadLength());
        assertEquals(Ipv4Packet.PROTOCOL_ICMP, ip.protocol());
        int requester = ip.source();
        int payloadLength = ip.payloadLength();
        icmp.wrap(buffer, ip.payloadOffset(), payloadLength);
        assertEquals(IcmpMessage.TYPE_ECHO_REQUEST, icmp.type());
        ip.writeHeader(1, 64, Ipv4Packet.PROTOCOL_ICMP, SOCKET_OVERLAY, requester, payloadLength);
        icmp.writeHeader(IcmpMessage.TYPE_ECHO_REPLY, 0, icmp.restOfHeader());
        int length = EthernetFrame.HEADER_LENGTH + Ipv4Packet.MIN_HEADER_LENGTH + payloadLength;
        assertTrue(socket.send(buffer, VxlanHeader.LENGTH, length, KERNEL));
    }
}
