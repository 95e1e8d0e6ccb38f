/**
 * Time, a basic every layer uses: the {@link tapnet.time.Clock} (live: monotonic nanoseconds; virtual:
 * moved by a simulated run), the hashed {@link tapnet.time.TimerWheel}, and {@link tapnet.time.Deadline},
 * the one way to say that nothing is due. Nothing in core reads the system clock but {@code LiveClock}.
 *
 * <p>Depends on nothing in tapnet. Each wheel and virtual clock is its engine thread's.
 */
package tapnet.time;
