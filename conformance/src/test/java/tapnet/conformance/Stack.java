package tapnet.conformance;

/** Whose TCP a scenario runs against: the Linux kernel (which proves the scenario right), or tapnet. */
enum Stack {
    /** A listener of the kernel in a namespace of its own, reached over a veth pair. */
    KERNEL,
    /** A virtual host of tapnet's engine, reached through a TAP device. */
    TAPNET
}
