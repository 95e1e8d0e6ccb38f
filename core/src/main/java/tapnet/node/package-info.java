/**
 * The nodes: every virtual host and router by index, name, IPv4 address and MAC, and whether it is
 * stopped ({@link tapnet.node.HostTable}, {@link tapnet.node.VirtualHost}). The directory the layers above
 * look frames' addresses up in; it sits below the segment so that the switch and the routers can.
 *
 * <p>Depends on wire and collections. Built before the engine starts; then the engine thread's.
 */
package tapnet.node;
