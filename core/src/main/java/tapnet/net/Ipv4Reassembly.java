package tapnet.net;

import java.nio.ByteBuffer;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;
import tapnet.wire.EthernetFrame;
import tapnet.wire.IcmpMessage;
import tapnet.wire.Ipv4Packet;

/**
 * IPv4 fragments for the virtual hosts, put together in a {@link FragmentReassembly}: refuses tiny
 * fragments (RFC 1858 §3.2), counts what becomes of each fragment, and makes the whole datagram's frame of
 * the first fragment's Ethernet and IPv4 headers and the payload, total length and flags fixed. Engine
 * thread only.
 */
final class Ipv4Reassembly {
    /** The 65,535 bytes an IPv4 datagram holds at most, header included (RFC 791). */
    private static final int MAX_DATAGRAM = 65_535;
    private static final int TCP_MIN_HEADER = 20;
    private static final int MIN_TRANSPORT_HEADER = 8;

    private final FragmentReassembly table;
    private final Counters counters;
    private final Ipv4Packet whole = new Ipv4Packet();
    private int slot = -1;

    /** @param table where fragments wait: one for both families, one bound */
    Ipv4Reassembly(FragmentReassembly table, Counters counters) {
        this.table = table;
        this.counters = counters;
    }

    /**
     * The fragment in {@code ip} (its frame in {@code ethernet}): true when it completed its datagram, whose
     * frame is then at {@link #frameOffset()} in {@link #buffer()} until {@link #release()}.
     */
    boolean add(EthernetFrame ethernet, Ipv4Packet ip, long now) {
        counters.increment(Counter.IPV4_FRAGMENTS_IN);
        int offset = ip.fragmentOffset();
        int protocol = ip.protocol();
        // RFC 1858 §4: a TCP fragment at offset 8 could rewrite the flags a filter saw in the first one; a first
        // fragment must hold the whole transport header (§3.2)
        if (protocol == Ipv4Packet.PROTOCOL_TCP && offset == 8
                || offset == 0 && ip.payloadLength() < (protocol == Ipv4Packet.PROTOCOL_TCP ? TCP_MIN_HEADER : MIN_TRANSPORT_HEADER)) {
            counters.drop(DropReason.FRAGMENT_TINY);
            return false;
        }
        int headerAt = ethernet.offset();
        int headerLength = ip.payloadOffset() - headerAt; // Ethernet and IPv4 headers, options included
        FragmentReassembly.Result result = table.add(ip.source(), ip.destination(), ip.identification(), protocol,
                ip.buffer(), headerAt, headerLength, ip.payloadOffset(), offset, ip.payloadLength(), ip.moreFragments(),
                MAX_DATAGRAM - ip.headerLength(), now);
        return FragmentReassembly.completes(result, counters) && complete(table.completed());
    }

    /** The first fragment's header with the whole payload behind it: one datagram, as if never cut. */
    private boolean complete(int done) {
        int ipHeader = table.headerLength(done) - EthernetFrame.HEADER_LENGTH;
        int total = ipHeader + table.payloadLength(done);
        if (total > MAX_DATAGRAM) {
            table.release(done);
            counters.drop(DropReason.FRAGMENT_INCONSISTENT);
            return false;
        }
        whole.wrap(table.buffer(done), FragmentReassembly.HEADROOM - ipHeader, total)
                .setTotalLength(total)
                .setFragment(0, false)
                .updateChecksum();
        slot = done;
        counters.increment(Counter.IPV4_REASSEMBLED);
        return true;
    }

    ByteBuffer buffer() {
        return table.buffer(slot);
    }

    /** Where the reassembled datagram's frame starts in {@link #buffer()}. */
    int frameOffset() {
        return FragmentReassembly.HEADROOM - table.headerLength(slot);
    }

    int frameLength() {
        return table.headerLength(slot) + table.payloadLength(slot);
    }

    /** The reassembled datagram was handled: its slot is free again. */
    void release() {
        table.release(slot);
        slot = -1;
    }

    /** When the next datagram in progress times out, or {@link tapnet.time.Deadline#NONE}. */
    long nextDeadline() {
        return table.nextDeadline();
    }

    /** A datagram whose 30 s ran out by {@code now} (counted; read it, then {@link #forget} it), or -1. */
    int expired(long now) {
        int expired = table.expired(now);
        if (expired >= 0) {
            counters.drop(DropReason.FRAGMENT_TIMEOUT);
        }
        return expired;
    }

    /**
     * Whether the host answers time exceeded about {@code expired}: its first fragment came, and it is no ICMP
     * error (RFC 1122 §3.2.2: none about those).
     */
    boolean answerable(int expired) {
        return table.headerLength(expired) > 0 && !(table.protocol(expired) == Ipv4Packet.PROTOCOL_ICMP
                && IcmpMessage.isError(table.buffer(expired).get(FragmentReassembly.HEADROOM) & 0xff));
    }

    /** The first fragment's frame in {@code expired}, cut to its header and first 8 bytes (RFC 792's quote). */
    int quoteOffset(int expired) {
        return FragmentReassembly.HEADROOM - table.headerLength(expired);
    }

    int quoteLength(int expired) {
        return table.headerLength(expired) + MIN_TRANSPORT_HEADER;
    }

    ByteBuffer buffer(int expired) {
        return table.buffer(expired);
    }

    int destination(int expired) {
        return table.destination(expired);
    }

    void forget(int expired) {
        table.release(expired);
    }

    /** Datagrams in progress (for tests and the memory bound). */
    int inProgress() {
        return table.inUse();
    }
}
