/**
 * DNS, the answering side: {@link tapnet.dns.DnsZone}, the names one emulated server is authoritative for
 * (every host, router and port's A and PTR records under the topology's domain, and the records the file
 * configures), and {@code answer}, a query's bytes to the reply's, allocating nothing. It knows nothing of
 * how datagrams arrive: the UDP transport hands it a payload and sends back what it wrote.
 * {@link tapnet.dns.DnsFaults} decides, per name and seeded, which faults hit a query; the zone writes the
 * answer they make ({@link tapnet.dns.DnsFaultDecision}), and holding one back is the transport's.
 *
 * <p>Beside the frame path's stack, above wire: depends on wire only (and the basics); service and engine
 * (and build, which makes a zone from the model, and the model, which holds fault rules) may use it. Each
 * zone instance belongs to one thread (the engine's).
 */
package tapnet.dns;
