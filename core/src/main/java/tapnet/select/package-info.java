/**
 * Which events a fault rule hits ({@code first: N}, {@code probability: P%}, or all), and the seeded
 * counting and drawing that decide it: shared by TCP's connection faults and DNS's, a basic every layer
 * may use.
 */
package tapnet.select;
