package tapnet.net;

import java.nio.ByteBuffer;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.wire.EthernetFrame;
import tapnet.wire.Icmpv6Message;
import tapnet.wire.Ipv6HeaderChain;
import tapnet.wire.Ipv6Packet;

/**
 * IPv6 fragments for the virtual hosts (RFC 8200 §4.5), put together in the {@link FragmentReassembly} the
 * IPv4 ones share (one bound for both families): keyed by source, destination and the 32-bit
 * identification; overlapping fragments drop the whole datagram (RFC 5722), an exact copy is dropped alone,
 * as Linux does. The whole packet is the first fragment's unfragmentable part (Ethernet, fixed header, the
 * extension headers before the Fragment header) and the payload, its Payload Length fixed and the Next
 * Header that named the Fragment header naming what followed it. Engine thread only.
 */
final class Ipv6Reassembly {
    private static final int MAX_PAYLOAD = 65_535;

    private final FragmentReassembly table;
    private final Counters counters;
    private final Ipv6Packet whole = new Ipv6Packet();
    private int slot = -1;

    Ipv6Reassembly(FragmentReassembly table, Counters counters) {
        this.table = table;
        this.counters = counters;
    }

    /**
     * The fragment in {@code ip} (its frame in {@code ethernet}, walked by {@code chain}) from {@code remote}
     * to {@code local}: true when it completed its packet, whose frame is then at {@link #frameOffset()} in
     * {@link #buffer()} until {@link #release()}.
     */
    boolean add(EthernetFrame ethernet, Ipv6Packet ip, Ipv6HeaderChain chain, int remote, int local, long now) {
        counters.increment(Counter.IPV6_FRAGMENTS_IN);
        int headerAt = ethernet.offset();
        int unfragmentable = chain.unfragmentableLength(); // the fixed header and the headers before the Fragment header
        FragmentReassembly.Result result = table.add(remote, local, chain.fragmentIdentification(), chain.fragmentNextHeader(),
                ip.buffer(), headerAt, EthernetFrame.HEADER_LENGTH + unfragmentable, chain.fragmentableOffset(),
                chain.fragmentOffset(), chain.fragmentDataLength(), chain.moreFragments(),
                MAX_PAYLOAD - (unfragmentable - Ipv6Packet.HEADER_LENGTH), now);
        if (!FragmentReassembly.completes(result, counters)) {
            return false;
        }
        slot = table.completed();
        asWhole(slot);
        counters.increment(Counter.IPV6_REASSEMBLED);
        return true;
    }

    /**
     * Makes the kept headers of {@code done} those of one packet with its payload: Payload Length, and the
     * last Next Header of the unfragmentable part (which named the Fragment header) naming what followed it.
     * Also what a timeout quotes.
     */
    private void asWhole(int done) {
        ByteBuffer buffer = table.buffer(done);
        int packetAt = FragmentReassembly.HEADROOM - table.headerLength(done) + EthernetFrame.HEADER_LENGTH;
        int end = FragmentReassembly.HEADROOM;
        whole.wrap(buffer, packetAt, end - packetAt + table.payloadLength(done));
        whole.setPayloadLength(end - packetAt - Ipv6Packet.HEADER_LENGTH + table.payloadLength(done));
        int field = packetAt + 6; // the fixed header's Next Header, then each extension header's first byte
        for (int at = whole.payloadOffset(); at < end; at += ((buffer.get(at + 1) & 0xff) + 1) * 8) {
            field = at;
        }
        buffer.put(field, (byte) table.protocol(done));
    }

    ByteBuffer buffer() {
        return table.buffer(slot);
    }

    /** Where the reassembled packet's frame starts in {@link #buffer()}. */
    int frameOffset() {
        return frameOffset(slot);
    }

    int frameLength() {
        return frameLength(slot);
    }

    ByteBuffer buffer(int of) {
        return table.buffer(of);
    }

    int frameOffset(int of) {
        return FragmentReassembly.HEADROOM - table.headerLength(of);
    }

    int frameLength(int of) {
        return table.headerLength(of) + table.payloadLength(of);
    }

    /** The reassembled packet was handled: its slot is free again. */
    void release() {
        table.release(slot);
        slot = -1;
    }

    /**
     * Whether the host answers time exceeded about {@code expired} (from the shared table): its first
     * fragment came (RFC 8200 §4.5) and it is no ICMPv6 error (RFC 4443 §2.4(e)). Then its headers are made
     * one packet's, for the quote.
     */
    boolean answerable(int expired) {
        if (table.headerLength(expired) == 0 || table.protocol(expired) == Ipv6Packet.NEXT_ICMPV6
                && Icmpv6Message.isError(table.buffer(expired).get(FragmentReassembly.HEADROOM) & 0xff)) {
            return false;
        }
        asWhole(expired);
        return true;
    }
}
