package tapnet.node;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tapnet.collections.LongLongHashMap;
import tapnet.wire.Ipv6Address;
import tapnet.wire.Ipv6Addresses;

/**
 * The virtual hosts, found by IPv4 address without boxing, and which of them are stopped. Filled before
 * the engine starts: adding a host costs the same with 10 or 100,000 already there.
 */
public final class HostTable {
    private final List<VirtualHost> hosts = new ArrayList<>();
    /** Every IPv6 address the engine knows, the nodes' first: their handles are host-table keys too. */
    private final Ipv6Addresses addresses6 = new Ipv6Addresses();
    private final LongLongHashMap indexByAddress = new LongLongHashMap(64, -1);
    /** Control plane only (links, ctl, scripts name nodes): a walk of 100,000 hosts per name would add up. */
    private final Map<String, VirtualHost> byName = new HashMap<>();
    /** By index, as long as the table or longer: grown by half again, not one host at a time. */
    private boolean[] stopped = new boolean[16];

    /** Adds a host with the next index; throws when its address is taken. */
    public VirtualHost add(String name, int address, long mac) {
        if (indexByAddress.containsKey(address)) {
            throw new IllegalArgumentException("two hosts share the address " + tapnet.wire.Ipv4Address.format(address));
        }
        VirtualHost host = new VirtualHost(hosts.size(), name, address, mac);
        hosts.add(host);
        indexByAddress.put(address, host.index());
        byName.putIfAbsent(name, host); // names are unique in a topology; were one given twice, the first wins
        if (stopped.length < hosts.size()) {
            stopped = Arrays.copyOf(stopped, stopped.length + (stopped.length >> 1));
        }
        return host;
    }

    /**
     * Gives {@code host} the IPv6 address high/low and the link-local address its MAC makes (RFC 4291
     * appendix A): frames to either find the same host. Throws when another node has one of them.
     */
    public void addIpv6(VirtualHost host, long high, long low) {
        int address6 = addresses6.intern(high, low);
        int linkLocal = addresses6.intern(Ipv6Address.LINK_LOCAL_HIGH, Ipv6Address.linkLocalLow(host.mac()));
        addAddress(host, address6);
        addAddress(host, linkLocal);
        host.setIpv6(address6, linkLocal);
    }

    /**
     * Gives {@code host}, which has an IPv6 address already ({@link #addIpv6}), one more: it answers on it
     * too. Throws when another node has it.
     */
    public void addMoreIpv6(VirtualHost host, long high, long low) {
        int address6 = addresses6.intern(high, low);
        addAddress(host, address6);
        host.addMore6(address6);
    }

    /** Gives {@code host} one more IPv6 address, without a link-local one (a router's side on its subnet). */
    public void addAddress6(VirtualHost host, long high, long low) {
        int address6 = addresses6.intern(high, low);
        addAddress(host, address6);
        host.setIpv6(address6, Ipv6Addresses.NONE);
    }

    private void addAddress(VirtualHost host, int address) {
        if (address == Ipv6Addresses.NONE) {
            throw new IllegalArgumentException("more IPv6 addresses than " + addresses6.capacity());
        }
        if (indexByAddress.containsKey(address) && indexByAddress.get(address) != host.index()) {
            throw new IllegalArgumentException("two hosts share the address " + addresses6.format(address));
        }
        indexByAddress.put(address, host.index());
    }

    /** The engine's IPv6 addresses, the nodes' and their peers'. */
    public Ipv6Addresses addresses6() {
        return addresses6;
    }

    /** Whether the entry at {@code index} is stopped: silent, every frame for it dropped. */
    public boolean isStopped(int index) {
        return stopped[index];
    }

    public boolean isStopped(VirtualHost host) {
        return stopped[host.index()];
    }

    /** Stops or starts the entry at {@code index}. Engine thread only. */
    public void setStopped(int index, boolean value) {
        stopped[index] = value;
    }

    /** The host with this address, or null. */
    public VirtualHost byAddress(int address) {
        int index = (int) indexByAddress.get(address);
        return index < 0 ? null : hosts.get(index);
    }

    /** The host or router called {@code name}, or null; control plane only. */
    public VirtualHost byName(String name) {
        return byName.get(name);
    }

    public VirtualHost get(int index) {
        return hosts.get(index);
    }

    public int size() {
        return hosts.size();
    }

    public List<VirtualHost> all() {
        return Collections.unmodifiableList(hosts);
    }
}
