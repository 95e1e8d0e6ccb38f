package tapnet.conformance;

/**
 * The network layer a scenario's segments ride on. Each target network serves both: the target host has
 * 10.242.N.2 and fd77:242:N::2, the fake peer speaks for 10.242.N.3 and fd77:242:N::3.
 */
enum Family {
    IPV4(536),
    IPV6(1220);

    /** The send MSS a TCP assumes when the SYN has no MSS option (RFC 9293 §3.7.1, MUST-15). */
    final int defaultMss;

    Family(int defaultMss) {
        this.defaultMss = defaultMss;
    }

    /** The address of host {@code host} (1 the kernel's side, 2 the target, 3 the fake peer) on subnet N, as text. */
    String address(int subnet, int host) {
        return this == IPV4 ? "10.242." + subnet + "." + host : "fd77:242:" + subnet + "::" + host;
    }

    /** The prefix length of the subnet. */
    int prefixLength() {
        return this == IPV4 ? 24 : 64;
    }
}
