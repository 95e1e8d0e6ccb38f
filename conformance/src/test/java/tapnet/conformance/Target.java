package tapnet.conformance;

/**
 * What a scenario runs against: a {@link Stack} over a {@link Family}. The two families of one stack share
 * its target network (one kernel host, or one tapnet engine, with an address of each family).
 */
enum Target {
    KERNEL_IPV4(Stack.KERNEL, Family.IPV4),
    KERNEL_IPV6(Stack.KERNEL, Family.IPV6),
    TAPNET_IPV4(Stack.TAPNET, Family.IPV4),
    TAPNET_IPV6(Stack.TAPNET, Family.IPV6);

    final Stack stack;
    final Family family;

    Target(Stack stack, Family family) {
        this.stack = stack;
        this.family = family;
    }
}
