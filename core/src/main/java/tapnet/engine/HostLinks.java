package tapnet.engine;

import java.nio.ByteBuffer;
import tapnet.frame.HeldFrames;
import tapnet.link.Impairments;
import tapnet.link.LinkDirection;
import tapnet.link.SplitMix64;
import tapnet.link.Verdict;
import tapnet.net.HostTable;
import tapnet.net.VirtualHost;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;
import tapnet.wire.ArpPacket;
import tapnet.wire.EthernetFrame;
import tapnet.wire.Ipv4Packet;

/**
 * The emulated links between the TAP (the kernel's side) and each virtual host, one {@link LinkDirection}
 * per direction, and the frames they hold in flight. A frame is matched to its host by its IPv4 address
 * (destination going in, source going out) or, for ARP, the address asked for or answered; frames of
 * hosts without a link pass untouched. Engine thread only.
 */
final class HostLinks {
    /** Where a held frame goes when its time comes. */
    static final int TOWARD_HOST = 0;
    static final int TOWARD_TAP = 1;

    private final HostTable hosts;
    private final Counters counters;
    private final long seed;
    private LinkDirection[] toHost = new LinkDirection[0];
    private LinkDirection[] fromHost = new LinkDirection[0];
    private final HeldFrames held;
    private final Verdict verdict = new Verdict();
    private final EthernetFrame ethernet = new EthernetFrame();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final ArpPacket arp = new ArpPacket();
    private boolean any;

    HostLinks(HostTable hosts, Counters counters, long seed, int heldFrames, int frameCapacity) {
        this.hosts = hosts;
        this.counters = counters;
        this.seed = seed;
        this.held = new HeldFrames(heldFrames, frameCapacity);
    }

    /** Sets the link of {@code host}, each direction on its own generators (seed, host, direction). */
    void set(VirtualHost host, Impairments towardHost, Impairments towardTap) {
        int i = host.index();
        if (i >= toHost.length) {
            toHost = java.util.Arrays.copyOf(toHost, hosts.size());
            fromHost = java.util.Arrays.copyOf(fromHost, hosts.size());
        }
        toHost[i] = update(toHost[i], towardHost, SplitMix64.derive(SplitMix64.derive(seed, i), TOWARD_HOST));
        fromHost[i] = update(fromHost[i], towardTap, SplitMix64.derive(SplitMix64.derive(seed, i), TOWARD_TAP));
        any = true;
    }

    private static LinkDirection update(LinkDirection current, Impairments next, long seed) {
        if (current == null) {
            return new LinkDirection(next, seed);
        }
        current.set(next); // keeps its generators and queue: a change while running continues the same run
        return current;
    }

    LinkDirection towardHost(VirtualHost host) {
        return host.index() < toHost.length ? toHost[host.index()] : null;
    }

    LinkDirection towardTap(VirtualHost host) {
        return host.index() < fromHost.length ? fromHost[host.index()] : null;
    }

    boolean any() {
        return any;
    }

    /**
     * A frame from the TAP: returns true when the link of its host took it (dropped or held for later);
     * false when it goes on now, unchanged.
     */
    boolean takeIncoming(ByteBuffer frame, int offset, int length, long now) {
        int i = hostIndex(frame, offset, length, true);
        return i >= 0 && i < toHost.length && toHost[i] != null && take(toHost[i], frame, offset, length, now, TOWARD_HOST);
    }

    /** A frame a host sends: true when its link took it (dropped or held); false when it goes out now, unchanged. */
    boolean takeOutgoing(ByteBuffer frame, int length, long now) {
        int i = hostIndex(frame, 0, length, false);
        return i >= 0 && i < fromHost.length && fromHost[i] != null && take(fromHost[i], frame, 0, length, now, TOWARD_TAP);
    }

    private boolean take(LinkDirection link, ByteBuffer frame, int offset, int length, long now, int direction) {
        link.decide(length, now, verdict);
        if (verdict.dropped()) {
            counters.drop(switch (verdict.dropReason()) {
                case LOSS -> DropReason.LINK_LOSS;
                case QUEUE_FULL -> DropReason.LINK_QUEUE_FULL;
                case DOWN -> DropReason.LINK_DOWN;
                case TOO_BIG -> DropReason.LINK_TOO_BIG;
            });
            return true;
        }
        if (verdict.copies() == 1 && verdict.releaseNanos(0) <= now && !verdict.corrupted(0)) {
            return false; // the fast path: a perfect moment of a link, nothing to hold
        }
        for (int copy = 0; copy < verdict.copies(); copy++) {
            ByteBuffer kept = held.hold(frame, offset, length, verdict.releaseNanos(copy), direction);
            if (kept == null) {
                counters.drop(DropReason.LINK_HELD_FULL);
                continue;
            }
            if (verdict.corrupted(copy)) {
                verdict.corrupt(copy, kept, 0);
            }
        }
        return true;
    }

    /** The earliest time a held frame is due, or {@link HeldFrames#NONE}. */
    long nextRelease() {
        return held.nextRelease();
    }

    void releaseDue(long now, HeldFrames.Release release) {
        held.releaseDue(now, release);
    }

    /** The host a frame belongs to, by its address (incoming: destination; outgoing: source), or -1. */
    private int hostIndex(ByteBuffer buffer, int offset, int length, boolean incoming) {
        ethernet.wrap(buffer, offset, length);
        if (!ethernet.isComplete()) {
            return -1;
        }
        int address;
        if (ethernet.etherType() == EthernetFrame.TYPE_IPV4) {
            ip.wrap(buffer, ethernet.payloadOffset(), ethernet.payloadLength());
            if (ip.length() < Ipv4Packet.MIN_HEADER_LENGTH) {
                return -1;
            }
            address = incoming ? ip.destination() : ip.source();
        } else if (ethernet.etherType() == EthernetFrame.TYPE_ARP) {
            arp.wrap(buffer, ethernet.payloadOffset(), ethernet.payloadLength());
            if (!arp.isValidEthernetIpv4()) {
                return -1;
            }
            address = incoming ? arp.targetIp() : arp.senderIp();
        } else {
            return -1;
        }
        VirtualHost host = hosts.byAddress(address);
        return host == null ? -1 : host.index();
    }
}
